package org.volseg.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;

/**
 * Writes a graph held by a {@link Session} as a TensorFlow SavedModel with one serving signature
 * ({@value #SIGNATURE_KEY}, tag {@value #TAG}), the format {@link Engine} loads. Variables are
 * saved with their current values (initialise them first); constants are part of the graph.
 *
 * <p>Usually called through {@link ModelPackageWriter}, which also writes {@code rdf.yaml} and
 * makes the whole package appear atomically. Stateless; the caller keeps owning the session.</p>
 */
final class SavedModelExport {

	/** The signature the engine runs. */
	public static final String SIGNATURE_KEY = Signature.DEFAULT_KEY;

	/** The meta-graph tag the engine loads. */
	public static final String TAG = SavedModelBundle.DEFAULT_TAG;

	private SavedModelExport() {
	}

	/**
	 * Exports the session's graph with the signature {@code inputName -> input},
	 * {@code outputName -> output}.
	 *
	 * @param session holds the graph of {@code input} and {@code output}, with variables initialised;
	 *        not closed
	 * @param input the placeholder patches are fed to, normally {@code [batch, x, y, z, channel]} float32
	 * @param inputName the signature's input name (the descriptor's {@code inputs[0].id})
	 * @param output the network output, normally {@code [batch, x, y, z, classes]} float32
	 * @param outputName the signature's output name (the descriptor's {@code outputs[0].id})
	 * @param savedModelDir the folder to create; must not exist yet
	 * @throws IOException if the folder exists or cannot be written
	 */
	public static void export(Session session, Operand<?> input, String inputName, Operand<?> output,
			String outputName, Path savedModelDir) throws IOException {
		if (Files.exists(savedModelDir))
			throw new java.nio.file.FileAlreadyExistsException(savedModelDir.toString(), null,
					"a SavedModel is written into a new folder");
		Signature signature = Signature.builder()
				.key(SIGNATURE_KEY)
				.input(inputName, input)
				.output(outputName, output)
				.build();
		Files.createDirectories(savedModelDir);
		SavedModelBundle.exporter(savedModelDir.toString())
				.withTags(TAG)
				.withFunction(SessionFunction.create(signature, session))
				.export();
	}
}
