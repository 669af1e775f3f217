package org.volseg.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The deterministic mutation fuzzer of every user-input parser, run by {@code mvn verify} (surefire
 * execution {@code fuzz-short}, a forked JVM with {@code -Xmx1g}): for each {@link ParserTarget},
 * mutants of its seeds ({@link Mutator}) for {@code volseg.fuzz.seconds} seconds (default 8; the
 * {@code -Pfuzz} profile runs far longer), each case within {@code volseg.fuzz.caseMillis} ms
 * (default 10000; the JIT-cold seeds get two minutes). Property: every case returns or throws a {@code VolSegException}. A failing case
 * is saved under {@code target/fuzz-crashers/} (to become a regression file under
 * {@code src/test/resources/fuzz/}) and fails the test with the exception it threw.
 */
@Tag("fuzz")
class MutationFuzzTest {

	@TempDir
	Path scratch;

	@ParameterizedTest
	@EnumSource(ParserTarget.class)
	void everyMutantParsesOrIsRefusedCleanly(ParserTarget target) throws Exception {
		long seconds = Long.getLong("volseg.fuzz.seconds", 8);
		long caseMillis = Long.getLong("volseg.fuzz.caseMillis", 10_000);
		long start0 = Long.getLong("volseg.fuzz.start", 0);
		List<byte[]> seeds = target.seeds();
		List<Mutator> mutators = new ArrayList<>();
		for (byte[] s : seeds)
			mutators.add(new Mutator(s, target.hotOffsets(s), target.text()));
		List<String> failures = new ArrayList<>();
		long deadline = System.nanoTime() + seconds * 1_000_000_000L;
		long cases = 0;
		try (FuzzCase warmUp = new FuzzCase(scratch, 120_000); FuzzCase runner = new FuzzCase(scratch, caseMillis)) {
			for (byte[] s : seeds) { // the seeds themselves first, without the time bound (class loading, JIT)
				FuzzCase.Failure f = warmUp.run(target, s);
				if (f != null)
					failures.add(record(target, s, "seed", f));
			}
			for (long i = start0; System.nanoTime() < deadline && failures.size() < 5; i++) {
				int which = (int) (i % mutators.size());
				byte[] data = mutators.get(which).mutant(i);
				cases++;
				FuzzCase.Failure f = runner.run(target, data);
				if (f != null) {
					failures.add(record(target, data, "case " + i + " of seed " + which, f));
					if (f.cause() == null || f.cause() instanceof OutOfMemoryError)
						break; // a hung worker or a heap in distress: later cases would not mean much
				}
			}
		}
		System.out.println("fuzz " + target + ": " + cases + " mutants of " + seeds.size() + " seeds in " + seconds + " s, "
				+ failures.size() + " failure(s)");
		assertTrue(failures.isEmpty(), target + ": " + String.join("\n", failures));
	}

	private static String record(ParserTarget target, byte[] data, String which, FuzzCase.Failure f) throws Exception {
		Path dir = Files.createDirectories(Path.of("target", "fuzz-crashers"));
		Path file = dir.resolve(target.name().toLowerCase(java.util.Locale.ROOT) + "-" + Integer.toHexString(java.util.Arrays.hashCode(data))
				+ target.suffix);
		Files.write(file, data);
		if (f.cause() != null)
			f.cause().printStackTrace(System.out);
		return which + ": " + f.what() + " (input saved as " + file + ")";
	}
}
