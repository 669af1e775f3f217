package org.volseg.engine.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.volseg.util.AtomicFiles;

/**
 * Compiles VolSeg's kernel source into a shared library with the machine's C compiler, once: the
 * library is kept in a cache folder under a name derived from everything that shapes it (the
 * source, the compiler and its version, the flags, the TensorFlow library it links to, and the
 * processor's instruction-set flags, since {@code -march=native} code must not run on another kind
 * of processor sharing the same home folder).
 *
 * <p>The library is written next to its final name and moved there atomically, so concurrent
 * processes (a SLURM array sharing a home folder) never load a half-written file. Thread-safe
 * (stateless).</p>
 */
final class KernelCompiler {

	/** The system property naming the C compiler; else the {@code CC} environment variable; else cc, gcc, clang on the PATH. */
	static final String COMPILER_PROPERTY = "volseg.cc";
	/** The system property naming the cache folder (default {@code ~/.volseg/kernels}). */
	static final String CACHE_PROPERTY = "volseg.kernels.cache";

	private static final List<String> FLAGS = List.of("-O3", "-march=native", "-fPIC", "-shared", "-std=gnu11");
	private static final List<String> LIBRARIES = List.of("-lpthread", "-lm");
	private static final long TIMEOUT_SECONDS = 120;

	private KernelCompiler() {}

	/** What went wrong, for the one-line status {@link FusedKernels#status()} shows. */
	static final class CompileException extends Exception {
		private static final long serialVersionUID = 1L;

		CompileException(String message) {
			super(message);
		}
	}

	/** The cache folder: {@value #CACHE_PROPERTY}, or {@code ~/.volseg/kernels}. */
	static Path cacheFolder() {
		String p = System.getProperty(CACHE_PROPERTY);
		return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".volseg", "kernels");
	}

	/**
	 * The compiled library: from the cache if it is there, else compiled now.
	 *
	 * @param source the C source
	 * @param tensorflowFramework the {@code libtensorflow_framework.so.2} the process loaded; the
	 *        library is linked to it (so that loading it resolves TensorFlow's C functions)
	 * @param compiled receives the compiler's wall time in seconds when it ran (not for a cache hit)
	 * @throws CompileException when no compiler is found, or it fails (the message quotes its first
	 *         error lines)
	 */
	static Path library(byte[] source, Path tensorflowFramework, Path cache, java.util.function.DoubleConsumer compiled)
			throws CompileException {
		Path compiler = findCompiler().orElseThrow(() -> new CompileException(namedCompiler() == null
				? "no C compiler (cc, gcc or clang) on the PATH: install gcc, or name one with $CC or -D" + COMPILER_PROPERTY
				: "no C compiler at " + namedCompiler() + " (named by -D" + COMPILER_PROPERTY + " or $CC): install gcc, or name another"));
		String version = firstLine(run(List.of(compiler.toString(), "--version"), null, 20).output());
		String key = digest(source, compiler.toString(), version, String.join(" ", FLAGS) + " " + String.join(" ", LIBRARIES),
				tensorflowFramework.toString(), String.valueOf(size(tensorflowFramework)), processorFlags());
		Path library = cache.resolve("volseg_kernels-" + key + ".so");
		if (Files.isRegularFile(library))
			return library;
		try {
			Files.createDirectories(cache);
			Path dir = Files.createTempDirectory(cache, ".compile-");
			try {
				Path src = dir.resolve("volseg_kernels.c");
				Path out = dir.resolve("volseg_kernels.so");
				Files.write(src, source);
				List<String> command = new ArrayList<>();
				command.add(compiler.toString());
				command.addAll(FLAGS);
				command.addAll(List.of("-o", out.toString(), src.toString(), tensorflowFramework.toString()));
				command.addAll(LIBRARIES);
				long t0 = System.nanoTime();
				Run r = run(command, dir, TIMEOUT_SECONDS);
				if (r.exitCode() != 0 || !Files.isRegularFile(out))
					throw new CompileException(compiler + " failed (exit " + r.exitCode() + "): " + firstLines(r.output(), 3));
				compiled.accept((System.nanoTime() - t0) * 1e-9);
				AtomicFiles.moveIntoPlace(out, library);
			} finally {
				deleteTree(dir);
			}
			return library;
		} catch (IOException e) {
			throw new CompileException("cannot compile into " + cache + ": " + e.getMessage());
		}
	}

	/** {@value #COMPILER_PROPERTY}, {@code $CC}, or the first of cc, gcc, clang on the PATH. */
	static Optional<Path> findCompiler() {
		String named = namedCompiler();
		if (named != null)
			return onPath(named);
		for (String candidate : List.of("cc", "gcc", "clang")) {
			Optional<Path> p = onPath(candidate);
			if (p.isPresent())
				return p;
		}
		return Optional.empty();
	}

	/** The compiler {@value #COMPILER_PROPERTY} or {@code $CC} names, or null. */
	private static String namedCompiler() {
		String named = System.getProperty(COMPILER_PROPERTY);
		if (named == null || named.isBlank())
			named = System.getenv("CC");
		return named == null || named.isBlank() ? null : named.trim();
	}

	private static Optional<Path> onPath(String name) {
		Path direct = Path.of(name);
		if (direct.isAbsolute())
			return Files.isExecutable(direct) ? Optional.of(direct) : Optional.empty();
		String path = System.getenv("PATH");
		if (path == null)
			return Optional.empty();
		for (String dir : path.split(java.io.File.pathSeparator)) {
			if (dir.isEmpty())
				continue;
			Path p = Path.of(dir, name);
			if (Files.isRegularFile(p) && Files.isExecutable(p))
				return Optional.of(p);
		}
		return Optional.empty();
	}

	/** The processor's instruction-set flags ({@code /proc/cpuinfo}), or "" where there is no such file. */
	private static String processorFlags() {
		try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
			return lines.filter(l -> l.startsWith("flags") || l.startsWith("Features") || l.startsWith("model name"))
					.distinct().reduce("", (a, b) -> a + "\n" + b);
		} catch (IOException | RuntimeException e) {
			return "";
		}
	}

	private static long size(Path p) {
		try {
			return Files.size(p);
		} catch (IOException e) {
			return -1;
		}
	}

	private static String digest(byte[] source, String... parts) {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			md.update(source);
			for (String p : parts) {
				md.update((byte) 0);
				md.update(p.getBytes(StandardCharsets.UTF_8));
			}
			return HexFormat.of().formatHex(md.digest(), 0, 8);
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", e);
		}
	}

	private record Run(int exitCode, String output) {}

	/** Runs a command, its output (stdout and stderr) going to a temporary file, so that a hung compiler times out. */
	private static Run run(List<String> command, Path dir, long timeoutSeconds) throws CompileException {
		Path log = null;
		try {
			log = Files.createTempFile("volseg-cc", ".log");
			ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			if (dir != null)
				pb.directory(dir.toFile());
			Process p = pb.start();
			if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new CompileException(command.get(0) + " took more than " + timeoutSeconds + " s");
			}
			return new Run(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
		} catch (IOException e) {
			throw new CompileException("cannot run " + command.get(0) + ": " + e.getMessage());
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new CompileException("interrupted while " + command.get(0) + " ran");
		} finally {
			if (log != null)
				log.toFile().delete();
		}
	}

	private static String firstLine(String s) {
		return firstLines(s, 1);
	}

	private static String firstLines(String s, int n) {
		return s.lines().filter(l -> !l.isBlank()).limit(n).reduce((a, b) -> a + " | " + b).orElse("no output");
	}

	private static void deleteTree(Path dir) {
		try {
			AtomicFiles.deleteRecursively(dir);
		} catch (IOException e) {
			// a leftover temporary folder in the cache is harmless
		}
	}
}
