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
		for (int c = 0; c < network.outputChannels(); c++) {
			int[] rgb = colour(c);
			b.addClass(c, c == 0 ? "background" : "class" + c, rgb[0], rgb[1], rgb[2]);
		}
		return b.build();
	}

	/** Distinct display colours: black background, then hues around the colour wheel. */
	private static int[] colour(int c) {
		if (c == 0) return new int[] { 0, 0, 0 };
		java.awt.Color col = java.awt.Color.getHSBColor((float) ((c * 0.618033988749895) % 1.0), 0.8f, 0.95f);
		return new int[] { col.getRed(), col.getGreen(), col.getBlue() };
	}
}
