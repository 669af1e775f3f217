package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.testutil.FusedKernelsTesting.assertCloseToScale;
import static org.volseg.testutil.FusedKernelsTesting.requireFusedKernels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.engine.kernels.FusedKernels;
import org.volseg.model.ModelPackage;
import org.volseg.nets.ParityFixtures;
import org.volseg.runtime.EngineOptions;
import org.volseg.testutil.CliRunner;
import org.volseg.testutil.TemporaryProperty;

/**
 * A SegFormer3D model package (the reference fixture's weights, converted by {@code volseg convert})
 * runs its first patch embedding, its attentions and its Mix-FFNs' depthwise convolutions as fused
 * CPU kernels when loaded on the CPU, with the
 * package left as it was, and predicts what it predicts with TensorFlow's ops. (That the fused
 * package reproduces the PyTorch reference is {@code SegFormer3dConvertForwardTest}'s.) The engine
 * also freezes the package's weights into constants ({@link FrozenWeights}), which changes no
 * prediction.
 */
class FusedSavedModelTest {

	@TempDir
	static Path shared;

	private static Path pkg;

	@BeforeAll
	static void convert() {
		pkg = shared.resolve("segformer-small");
		CliRunner r = CliRunner.run("convert", "--arch", "segformer3d", "--weights",
				ParityFixtures.path("segformer3d_small.safetensors").toString(), "--out", pkg.toString());
		assertEquals(0, r.exitCode, r.err);
	}

	@Test
	void everyFusableSubgraphIsFusedAndThePackageIsLeftAsItWas() throws Exception {
		requireFusedKernels();
		try (ModelPackage p = ModelPackage.open(pkg)) {
			Path savedModel = p.savedModelDir();
			byte[] graph = Files.readAllBytes(savedModel.resolve("saved_model.pb"));
			java.util.Map<String, Object> config = p.descriptor().volseg().network().config();
			int[] depths = ((List<?>) config.get("depths")).stream().mapToInt(d -> ((Number) d).intValue()).toArray();
			int[] srRatios = ((List<?>) config.get("sr_ratios")).stream().mapToInt(d -> ((Number) d).intValue()).toArray();
			int blocks = 0, reductions = 0, layerNorms = 2 * depths.length; // each stage's embedding norm and final norm
			for (int s = 0; s < depths.length; s++) {
				blocks += depths[s];
				reductions += srRatios[s] > 1 ? depths[s] : 0; // the keys' and values' sr convolution
				layerNorms += depths[s] * (srRatios[s] > 1 ? 3 : 2); // norm1, norm2 and the keys' sr_norm
			}
			Path dir;
			try (FusedSavedModel fused = FusedSavedModel.prepare(savedModel, 2).orElseThrow()) {
				dir = fused.dir();
				assertEquals(4, ((List<?>) p.descriptor().volseg().network().config().get("patch_stride")).stream()
						.mapToInt(d -> ((Number) d).intValue()).findFirst().orElseThrow());
				assertEquals(2 * blocks + reductions + depths.length + 1 + layerNorms, fused.fused(), "each transformer block's "
						+ "attention and Mix-FFN, every key and value reduction, every stage's patch embedding, the decoder head and "
						+ "every LayerNorm");
				assertTrue(Files.isSymbolicLink(dir.resolve("variables")));
				assertFalse(Files.isSymbolicLink(dir.resolve("saved_model.pb")));
			}
			assertFalse(Files.exists(dir), "the temporary folder is deleted");
			assertArrayEquals(graph, Files.readAllBytes(savedModel.resolve("saved_model.pb")), "the package is not written");
			assertTrue(Files.isDirectory(savedModel.resolve("variables")), "deleting the links leaves their targets");
		}
	}

	@Test
	void theFusedEnginePredictsWhatTensorFlowsOpsPredict() throws Exception {
		requireFusedKernels();
		List<String> log = new ArrayList<>();
		Handler handler = new Handler() {
			@Override
			public void publish(LogRecord r) {
				log.add(r.getMessage());
			}

			@Override
			public void flush() {}

			@Override
			public void close() {}
		};
		Logger engineLog = Logger.getLogger(Engine.class.getName());
		engineLog.addHandler(handler);
		float[] fused;
		float[] portable;
		int[] size = { 32, 32, 32 };
		try (ModelPackage p = ModelPackage.open(pkg)) {
			float[] in;
			try (Engine e = Engine.load(p, EngineOptions.cpu().withThreads(2, 1))) {
				in = gaussian(2 * e.inputChannels() * 32 * 32 * 32);
				fused = e.predict(in, 2, size);
			} finally {
				engineLog.removeHandler(handler);
			}
			try (TemporaryProperty kernels = TemporaryProperty.set(FusedKernels.PROPERTY, "portable");
					Engine e = Engine.load(p, EngineOptions.cpu().withThreads(2, 1))) {
				portable = e.predict(in, 2, size);
			}
		}
		assertTrue(log.stream().anyMatch(m -> m.contains("subgraphs of") && m.contains("replaced by fused CPU kernels (")), log.toString());
		assertCloseToScale(portable, fused, 0.01, 1e-5);
	}

	/**
	 * A SegFormer3D package keeps its variables by default; with {@value FrozenWeights#PROPERTY} set
	 * the engine freezes its weights into constants on the CPU and predicts what the variables predict.
	 */
	@Test
	void theEngineFreezesSegFormer3dWeightsWhenAskedTo() throws Exception {
		int[] size = { 32, 32, 32 };
		float[] frozen;
		float[] variables;
		try (TemporaryProperty limit = TemporaryProperty.cleared(FrozenWeights.PROPERTY); ModelPackage p = ModelPackage.open(pkg)) {
			float[] in;
			try (Engine e = Engine.load(p, EngineOptions.cpu().withThreads(2, 1))) {
				assertFalse(e.info().weightsFrozen(), e.info().summary());
				in = gaussian(e.inputChannels() * 32 * 32 * 32);
				variables = e.predict(in, 1, size);
			}
			limit.to("64");
			try (Engine e = Engine.load(p, EngineOptions.cpu().withThreads(2, 1))) {
				assertTrue(e.info().weightsFrozen(), e.info().summary());
				frozen = e.predict(in, 1, size);
			}
		}
		assertCloseToScale(variables, frozen, 1e-4, 1e-6);
	}

	@Test
	void aGraphWithoutMarksIsNotParsed(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve("saved_model.pb"), "not a SavedModel, and no mark in it");
		assertTrue(FusedSavedModel.prepare(dir, 2).isEmpty());
	}

	private static float[] gaussian(int n) {
		Random r = new Random(5);
		float[] v = new float[n];
		for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
		return v;
	}
}
