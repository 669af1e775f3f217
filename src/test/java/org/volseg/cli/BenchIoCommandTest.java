package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.io.nifti.NiftiDatatype;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiVolume;

class BenchIoCommandTest {

	@Test
	void writesReadsReportsAndCleansUp(@TempDir Path dir) throws Exception {
		CliRunner r = CliRunner.run("bench", "io", "--size", "24,20,6", "--repeat", "1", "--dir", dir.toString());
		assertEquals(0, r.exitCode, r.err);
		assertTrue(r.out.contains("volume 24x20x6 int16") && r.out.contains("best: write") && r.out.contains("MB/s"), r.out);
		try (var files = Files.list(dir)) {
			assertEquals(0, files.count(), "the benchmark file is removed");
		}
		CliRunner keep = CliRunner.run("bench-io", "--size", "24,20,6", "--repeat", "1", "--dir", dir.toString(), "--keep");
		assertEquals(0, keep.exitCode, keep.err);
		NiftiVolume v = NiftiReader.read(dir.resolve("bench-int16.nii.gz"), true);
		assertArrayEquals(new long[] { 24, 20, 6 }, v.volume().dimensions());
		assertEquals(NiftiDatatype.INT16, v.header().datatype());
		assertTrue(v.statistics().min() < -900 && v.statistics().max() > 600, "air and bone: " + v.statistics());
		assertEquals(1, CliRunner.run("bench-io", "--size", "24,20").exitCode);
	}

	@Test
	void benchmarksLiveUnderOneHiddenCommandAndKeepTheirFormerNames() {
		CliRunner help = CliRunner.run("--help");
		assertEquals(0, help.exitCode, help.err);
		assertTrue(help.out.contains("segment") && !help.out.contains("bench"), help.out);
		CliRunner bench = CliRunner.run("bench", "--help");
		assertEquals(0, bench.exitCode, bench.err);
		for (String sub : new String[] { "io", "engine", "pipeline" })
			assertTrue(bench.out.matches("(?s).*\\n\\s+" + sub + "\\s.*"), sub + " missing: " + bench.out);
		assertEquals(0, CliRunner.run("bench-pipeline", "--help").exitCode);
		assertEquals(0, CliRunner.run("bench", "engine", "--help").exitCode);
	}
}
