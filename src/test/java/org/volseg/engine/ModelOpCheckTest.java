package org.volseg.engine;

import org.volseg.runtime.EngineOptions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.cli.VolSegCli;

/**
 * The op allow-list (issue 16): a SavedModel that reads a file outside its folder, exported with
 * VolSeg's own export code, is refused by name before TensorFlow loads it, and runs with
 * {@code --trust-model}; VolSeg's own exports (the demo UNETR, the engine test networks with
 * variables restored from {@code variables/}) pass.
 */
class ModelOpCheckTest {

	@TempDir
	Path tmp;

	/** conv3d + bias, plus the byte length of a file outside the package read with ReadFile. */
	private Path fileReadingModel(TestNetworks net, Path secret) throws Exception {
		Path dir = tmp.resolve("reads-a-file");
		try (Graph g = new Graph(); Session s = new Session(g)) {
			Ops tf = Ops.create(g);
			Placeholder<TFloat32> in = tf.withName("input").placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, -1, -1, -1, net.cin)));
			Operand<TFloat32> conv = net.build(tf, in, true);
			Operand<TInt32> length = tf.strings.stringLength(tf.io.readFile(tf.constant(secret.toAbsolutePath().toString())));
			Operand<TFloat32> out = tf.withName("leak").math.add(conv, tf.dtypes.cast(length, TFloat32.class));
			s.initialize();
			return ModelPackageWriter.write(net.descriptor(8, 8, 8, false), s, in, out, dir, false);
		}
	}

	@Test
	void aModelReadingAFileIsRefusedByNameAndRunsWhenTrusted() throws Exception {
		Path secret = Files.writeString(tmp.resolve("secret.txt"), "not for models", StandardCharsets.UTF_8);
		TestNetworks net = new TestNetworks(1, 2, 5);
		Path pkg = fileReadingModel(net, secret);

		Set<String> refused = ModelOpCheck.refusedOps(pkg.resolve("saved_model"));
		assertTrue(refused.contains("ReadFile"), refused.toString());
		UntrustedModelException e = assertThrows(UntrustedModelException.class, () -> Engine.load(pkg, EngineOptions.cpu()));
		assertTrue(e.getMessage().contains("ReadFile") && e.getMessage().contains("--trust-model")
				&& e.getMessage().startsWith(pkg.toString()), e.getMessage());

		float[] x = new float[8 * 8 * 8];
		for (int i = 0; i < x.length; i++)
			x[i] = (i % 7) - 3;
		try (Engine engine = Engine.load(pkg, EngineOptions.cpu().withTrustModel(true))) {
			float[] y = engine.predict(x, 1, new int[] { 8, 8, 8 });
			float[] expected = net.reference(x, 1, 8, 8, 8);
			for (int i = 0; i < expected.length; i++)
				expected[i] += "not for models".length();
			assertArrayEquals(expected, y, 1e-4f);
		}
	}

	@Test
	void theCommandLineRefusesItAndAcceptsTrustModel() throws Exception {
		Path secret = Files.writeString(tmp.resolve("secret.txt"), "x", StandardCharsets.UTF_8);
		Path pkg = fileReadingModel(new TestNetworks(1, 2, 5), secret);
		java.io.StringWriter err = new java.io.StringWriter();
		java.io.PrintWriter errWriter = new java.io.PrintWriter(err, true);
		java.io.PrintWriter out = new java.io.PrintWriter(new java.io.StringWriter(), true);
		int refused = VolSegCli.run(out, errWriter, "model", "validate", pkg.toString());
		assertTrue(refused != 0 && err.toString().contains("ReadFile"), err.toString());
		Path models = tmp.resolve("models");
		int install = VolSegCli.run(out, errWriter, "model", "install", pkg.toString(), "--models-dir", models.toString());
		assertTrue(install != 0, err.toString());
		assertTrue(!Files.exists(models) || Files.list(models).findAny().isEmpty(), "installed an untrusted model");
		assertEquals(0, VolSegCli.run(out, errWriter, "model", "validate", "--trust-model", pkg.toString()), err.toString());
	}

	@Test
	void volsegsOwnExportsPass() throws Exception {
		assertEquals(Set.of(), ModelOpCheck.refusedOps(Path.of("sample-volumes/models/volseg-phantom-unetr/saved_model")));
		Path withVariables = new TestNetworks(2, 3, 1).export(tmp.resolve("vars"), 8, 8, 8, false, true);
		assertEquals(Set.of(), ModelOpCheck.refusedOps(withVariables.resolve("saved_model")));
		assertEquals(List.of(), List.copyOf(ModelOpCheck.refusedOps(
				new TestNetworks(1, 1, 2).export(tmp.resolve("consts"), 8, 8, 8, true, false).resolve("saved_model"))));
	}
}
