package org.volseg.nets;

import java.io.IOException;
import java.nio.file.Path;

import org.volseg.engine.ModelPackageWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.NetworkSpec;

/**
 * Exports a {@link Network} with its parameters as a VolSeg model package: a SavedModel (weights
 * as TensorFlow variables named by their PyTorch keys, so the graph can be fine-tuned later) and
 * an {@code rdf.yaml} that records the architecture and its configuration
 * ({@code config.volseg.network}). Stateless.
 *
 * <p>The descriptor declares channels-last {@code [batch, x, y, z, channel]} tensors of exactly
 * the network's input size, no preprocessing, softmax outputs and generic class names
 * ({@code background}, {@code class1}, ...): edit {@code rdf.yaml} to add the intensity
 * normalisation, spacing, orientation and class names the model was trained with.</p>
 */
public final class NetworkExport {

	private NetworkExport() {
	}

	/**
	 * Builds the network, checks the parameters strictly and writes the package.
	 *
	 * @param name the model's name in {@code rdf.yaml}
	 * @param description a line on where the weights came from
	 * @param packageDir the package folder to create
	 * @param replace whether an existing package folder may be replaced
	 * @throws WeightImportException if the parameters do not fit (nothing is written)
	 * @throws org.volseg.InvalidParameterException if the network's output size differs from its input size
	 * @throws IOException if writing fails
	 */
	public static Path export(Network network, ParameterSource params, String name, String description, Path packageDir,
			boolean replace) throws IOException {
		ModelDescriptor descriptor = descriptor(network, name, description);
		try (NetworkGraph g = NetworkGraph.build(network, params, Layers.WeightStorage.VARIABLES)) {
			return ModelPackageWriter.write(descriptor, g.session(), g.input(), g.output(), packageDir, replace);
		}
	}

	/** The descriptor {@link #export} writes. */
	public static ModelDescriptor descriptor(Network network, String name, String description) {
		long[] s = network.inputSpatialShape();
		ModelDescriptor.Builder b = ModelDescriptor.builder()
				.name(name)
				.description(description)
				.inputChannels(network.inputChannels())
				.patchSize((int) s[0], (int) s[1], (int) s[2])
				.fixedPatchSize(true)
				.network(new NetworkSpec(network.architecture(), network.config()));
		if (network.acceptsOtherSpatialShapes()) {
			int[] rule = patchSizeRule(network);
			if (rule == null) {
				throw new org.volseg.InvalidParameterException(network.describe() + ": no input size up to "
						+ MAX_RULE_SIZE + " (in steps that include the default patch size "
						+ java.util.Arrays.toString(s) + ") gives an output of the same size, which a model package "
						+ "needs for sliding-window segmentation; use a configuration whose output matches its input "
						+ "(for SegFormer3D: patch_stride[0] 4, with patch_kernel_size[0] = 2 * patch_padding[0] + 1)");
			}
			b.patchSizeRule(rule[0], rule[1]);
		}
		for (int c = 0; c < network.outputChannels(); c++) {
			int[] rgb = colour(c);
			b.addClass(c, c == 0 ? "background" : "class" + c, rgb[0], rgb[1], rgb[2]);
		}
		return b.build();
	}

	/** Largest axis size {@link #patchSizeRule} examines. */
	static final int MAX_RULE_SIZE = 1024;

	/**
	 * For a network that {@link Network#acceptsOtherSpatialShapes() accepts other sizes}: the sizes
	 * {@code min + n * step} (per axis) on which its output has the input's size, found by asking
	 * {@link Network#outputSpatialShape} for every size up to {@value #MAX_RULE_SIZE}; {@code null}
	 * unless those sizes form such a progression containing the default size.
	 */
	public static int[] patchSizeRule(Network network) {
		java.util.List<Integer> fits = new java.util.ArrayList<>();
		for (int n = 1; n <= MAX_RULE_SIZE; n++) {
			try {
				long[] out = network.outputSpatialShape(new long[] { n, n, n });
				if (out[0] == n && out[1] == n && out[2] == n) fits.add(n);
			} catch (org.volseg.VolSegException ex) {
				// not a size the network runs on
			}
		}
		if (fits.size() < 2) return null;
		int min = fits.get(0);
		int step = fits.get(1) - min;
		for (int i = 0; i < fits.size(); i++) {
			if (fits.get(i) != min + i * step) return null;
		}
		for (long d : network.inputSpatialShape()) {
			if (d < min || (d - min) % step != 0) return null;
		}
		return new int[] { min, step };
	}

	/** Distinct display colours: black background, then hues around the colour wheel. */
	public static int[] colour(int c) {
		return org.volseg.model.SegmentationClass.paletteColour(c);
	}
}
