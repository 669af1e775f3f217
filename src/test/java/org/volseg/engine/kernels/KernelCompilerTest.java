package org.volseg.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.testutil.FusedKernelsTesting.requireFusedKernels;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.TensorFlow;
import org.volseg.testutil.TemporaryProperty;

class KernelCompilerTest {

	private static final byte[] SOURCE = "int volseg_answer(void) { return 42; }\n".getBytes(StandardCharsets.US_ASCII);

	@Test
	void compilesOnceThenServesTheCachedLibrary(@TempDir Path cache) throws Exception {
		requireFusedKernels();
		AtomicInteger compiled = new AtomicInteger();
		Path first = KernelCompiler.library(SOURCE, framework(), cache, s -> compiled.incrementAndGet());
		Path second = KernelCompiler.library(SOURCE, framework(), cache, s -> compiled.incrementAndGet());
		assertEquals(first, second);
		assertEquals(1, compiled.get(), "the second call must not compile");
		assertTrue(Files.size(first) > 0);
		try (Stream<Path> left = Files.list(cache)) {
			assertEquals(1, left.count(), "only the library stays in the cache (no temporary folder)");
		}
		byte[] other = "int volseg_answer(void) { return 43; }\n".getBytes(StandardCharsets.US_ASCII);
		assertNotEquals(first, KernelCompiler.library(other, framework(), cache, s -> compiled.incrementAndGet()),
				"another source is another library");
	}

	@Test
	void aCompilerErrorIsQuoted(@TempDir Path cache) throws Exception {
		requireFusedKernels();
		byte[] broken = "int volseg_answer(void) { return undeclared_name; }\n".getBytes(StandardCharsets.US_ASCII);
		KernelCompiler.CompileException e = assertThrows(KernelCompiler.CompileException.class,
				() -> KernelCompiler.library(broken, framework(), cache, s -> {}));
		assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("undeclared_name"), e.getMessage());
		try (Stream<Path> left = Files.list(cache)) {
			assertEquals(0, left.count(), "a failed compilation leaves nothing in the cache");
		}
	}

	@Test
	void aMissingCompilerIsNamed(@TempDir Path cache) {
		try (TemporaryProperty compiler = TemporaryProperty.set(KernelCompiler.COMPILER_PROPERTY, cache.resolve("no-such-cc").toString())) {
			KernelCompiler.CompileException e = assertThrows(KernelCompiler.CompileException.class,
					() -> KernelCompiler.library(SOURCE, cache, cache, s -> {}));
			assertTrue(e.getMessage().startsWith("no C compiler at " + cache.resolve("no-such-cc")) && e.getMessage().contains("install gcc"),
					e.getMessage());
		}
	}

	private static Path framework() {
		TensorFlow.version();
		return FusedKernels.loadedLibrary("libtensorflow_framework.so").orElseThrow();
	}
}
