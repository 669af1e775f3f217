package org.volseg.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.volseg.model.MonaiOptions;
import org.volseg.model.OutputActivation;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Labels from class scores (probabilities after softmax or sigmoid) already on the scan's grid, as
 * a MONAI bundle's {@code Invertd} (trilinear) followed by {@code AsDiscreted} computes them:
 * argmax (first maximum wins, as {@code torch.argmax}) for exclusive classes; for sigmoid classes
 * either a region-to-label mapping (first region in priority order whose score reaches the
 * threshold) or the most probable class reaching it; 0 otherwise. Stateless.
 */
final class ScoreLabels {

	private ScoreLabels() {
	}

	/**
	 * @param scores {@code [x, y, z, class]} scores (a 3D volume counts as one class)
	 * @param labelOf the label of each channel
	 * @param regions region-to-label mapping (sigmoid only), or empty
	 * @return a new {@code [x, y, z]} label volume with the scores' geometry
	 */
	static Volume labels(Volume scores, int[] labelOf, OutputActivation activation, float threshold,
			List<MonaiOptions.RegionLabel> regions) {
		long[] dims = Arrays.copyOf(scores.dimensions(), 3);
		Volume out = Volume.allocate(scores.geometry(), dims);
		int classes = (int) scores.channels();
		List<Cursor<FloatType>> in = new ArrayList<>();
		for (int c = 0; c < classes; c++)
			in.add(Views.flatIterable(scores.channel(c)).cursor());
		float[] v = new float[classes];
		boolean sigmoid = activation == OutputActivation.SIGMOID;
		for (FloatType t : Views.flatIterable(out.voxels())) {
			for (int c = 0; c < classes; c++)
				v[c] = in.get(c).next().get();
			int label = 0;
			if (sigmoid && !regions.isEmpty()) {
				for (MonaiOptions.RegionLabel r : regions)
					if (v[r.channel()] >= threshold) {
						label = r.label();
						break;
					}
			} else if (sigmoid) {
				int best = -1;
				for (int c = 0; c < classes; c++)
					if (v[c] >= threshold && (best < 0 || v[c] > v[best]))
						best = c;
				label = best < 0 ? 0 : labelOf[best];
			} else {
				int best = 0;
				for (int c = 1; c < classes; c++)
					if (v[c] > v[best])
						best = c;
				label = labelOf[best];
			}
			t.set(label);
		}
		return out;
	}
}
