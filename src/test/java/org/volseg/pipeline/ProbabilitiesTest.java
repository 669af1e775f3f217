package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/** Softmax probabilities written by the Segmenter sum to 1 in every voxel, on the model grid and carried back. */
class ProbabilitiesTest {

	@TempDir
	Path dir;

	@Test
	void probabilitiesSumToOneWithAndWithoutResampling() {
		Volume scan = SegmenterTest.obliqueBall();
		Path in = dir.resolve("scan.nii");
		NiftiWriter.writeFloat32(scan, in);
		for (boolean preprocess : new boolean[] { false, true }) {
			Path p = dir.resolve("p" + preprocess + ".nii");
			SegmentationSettings s = SegmentationSettings.builder().reorient(preprocess).resample(preprocess)
					.probabilitiesOutput(p).build();
			try (Segmenter seg = Segmenter.of(FakeModels.descriptor(1, 16, new double[] { 2, 2, 2 }, "RAS"),
					new FakeModels.Threshold(1, 0.5f), "test")) {
				seg.segment(in, s, SegmentationListener.none(), () -> false);
			}
			Volume prob = NiftiReader.read(p).volume();
			RandomAccess<FloatType> a = prob.voxels().randomAccess();
			long[] d = prob.dimensions();
			for (int x = 2; x < d[0] - 2; x += 3)
				for (int y = 2; y < d[1] - 2; y += 3)
					for (int z = 2; z < d[2] - 2; z += 3) {
						double sum = a.setPositionAndGet(x, y, z, 0).get() + a.setPositionAndGet(x, y, z, 1).get();
						assertEquals(1, sum, 1e-5, "preprocess " + preprocess + " at " + x + "," + y + "," + z);
					}
		}
	}
}
