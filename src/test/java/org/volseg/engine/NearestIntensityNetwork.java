package org.volseg.engine;

import java.io.IOException;
import java.nio.file.Path;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.OutputActivation;

/**
 * A voxel-wise "segmentation network" for tests of the layers above the engine (Fiji, macros,
 * batch): class {@code c}'s logit is {@code -((x - centre[c]) / 100)^2}, so the argmax picks the
 * class whose intensity centre is nearest to the voxel's value. Exported as a real model package
 * (SavedModel + rdf.yaml) that the engine loads like any other; any window size works.
 *
 * <p>{@link #expectedLabel} is the same rule in plain Java, the reference for tests.</p>
 */
public final class NearestIntensityNetwork {

	private final float[] centres;
	private final String[] names;
	private final int[][] colours;

	/**
	 * @param centres intensity centre of each class (class index = label)
	 * @param names class names
	 * @param colours RGB colour of each class
	 */
	public NearestIntensityNetwork(float[] centres, String[] names, int[][] colours) {
		this.centres = centres.clone();
		this.names = names.clone();
		this.colours = colours.clone();
	}

	/** Background (-1000), "soft tissue" (40) and "bone" (700): three classes of a CT in HU. */
	public static NearestIntensityNetwork ctThreeClasses() {
		return new NearestIntensityNetwork(new float[] { -1000, 40, 700 }, new String[] { "background", "soft tissue", "bone" },
				new int[][] { { 0, 0, 0 }, { 220, 60, 60 }, { 250, 230, 90 } });
	}

	/** The label the network gives a voxel of this value (ties: the lower label). */
	public int expectedLabel(float value) {
		int best = 0;
		double bestDistance = Double.POSITIVE_INFINITY;
		for (int c = 0; c < centres.length; c++) {
			double d = Math.abs(value - centres[c]);
			if (d < bestDistance) {
				bestDistance = d;
				best = c;
			}
		}
		return best;
	}

	/**
	 * The descriptor: no intensity preprocessing, softmax output, the given target spacing and
	 * orientation (pass the test volume's own to avoid resampling), default window {@code patch}.
	 */
	public ModelDescriptor descriptor(String name, double[] spacing, String orientation, int[] patch) {
		ModelDescriptor.Builder b = ModelDescriptor.builder().name(name)
				.description("Nearest intensity centre per voxel (VolSeg test network)").author("VolSeg tests", null)
				.inputChannels(1).patchSize(patch[0], patch[1], patch[2]).fixedPatchSize(false)
				.outputActivation(OutputActivation.SOFTMAX).targetSpacingMm(spacing[0], spacing[1], spacing[2])
				.targetOrientation(orientation);
		for (int c = 0; c < centres.length; c++)
			b.addClass(c, names[c], colours[c][0], colours[c][1], colours[c][2]);
		return b.build();
	}

	/** Writes the model package folder {@code dir} (which must not exist). */
	public Path export(Path dir, String name, double[] spacing, String orientation, int[] patch) throws IOException {
		ModelDescriptor d = descriptor(name, spacing, orientation, patch);
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> in = tf.withName("input").placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, -1, -1, -1, 1)));
			Operand<TFloat32> distance = tf.math.squaredDifference(in, tf.constant(centres));
			Operand<TFloat32> logits = tf.withName("logits").math.mul(distance, tf.constant(-1e-4f));
			return ModelPackageWriter.write(d, s, in, logits, dir, false);
		}
	}
}
