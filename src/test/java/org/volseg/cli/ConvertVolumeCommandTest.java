package org.volseg.cli;

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

class ConvertVolumeCommandTest {

	@TempDir
	Path dir;

	@Test
	void convertsKeepingDatatypeGeometryAndValues() {
		Path in = InfoCommandTest.fixture("anatomical.nii");
		Path out = dir.resolve("anat.nii.gz");
		CliRunner r = CliRunner.run("convert-volume", in.toString(), out.toString());
		assertEquals(0, r.exitCode, r.err);
		NiftiVolume a = NiftiReader.read(in, true), b = NiftiReader.read(out, true);
		assertEquals(NiftiDatatype.INT16, b.header().datatype());
		assertEquals(a.volume().geometry(), b.volume().geometry());
		assertEquals(a.statistics(), b.statistics());
		assertEquals(1, b.header().qformCode());
		assertEquals(1, b.header().sformCode());
	}

	@Test
	void scaledIntegersBecomeFloat32AndDatatypeCanBeChosen() {
		Path in = InfoCommandTest.fixture("nib_uint16_scaled_be.nii.gz");
		Path out = dir.resolve("scaled.nii");
		assertEquals(0, CliRunner.run("convert-volume", in.toString(), out.toString()).exitCode);
		NiftiVolume b = NiftiReader.read(out, true);
		assertEquals(NiftiDatatype.FLOAT32, b.header().datatype());
		assertEquals(NiftiReader.read(in, true).statistics(), b.statistics());

		Path f64 = dir.resolve("f64.nii");
		assertEquals(0, CliRunner.run("convert-volume", "--datatype", "float64", in.toString(), f64.toString()).exitCode);
		assertEquals(NiftiDatatype.FLOAT64, NiftiReader.readHeader(f64).datatype());

		CliRunner narrow = CliRunner.run("convert-volume", "--datatype", "uint8", in.toString(), dir.resolve("u8.nii").toString());
		assertEquals(1, narrow.exitCode);
		assertTrue(narrow.err.contains("uint8"), narrow.err);
		assertTrue(!Files.exists(dir.resolve("u8.nii")));

		CliRunner bad = CliRunner.run("convert-volume", "--datatype", "rgb", in.toString(), dir.resolve("x.nii").toString());
		assertEquals(1, bad.exitCode);
		assertTrue(bad.err.contains("--datatype") && bad.err.contains("rgb"), bad.err);
	}

	@Test
	void refusesToOverwriteTheInput() throws Exception {
		Path in = dir.resolve("in.nii.gz");
		Files.copy(InfoCommandTest.fixture("standard.nii.gz"), in);
		byte[] before = Files.readAllBytes(in);
		CliRunner r = CliRunner.run("convert-volume", in.toString(), dir.resolve(".").resolve("in.nii.gz").toString());
		assertEquals(1, r.exitCode);
		assertTrue(r.err.contains("OUT"), r.err);
		assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(in)));
		CliRunner wrongExt = CliRunner.run("convert-volume", in.toString(), dir.resolve("out.img").toString());
		assertEquals(1, wrongExt.exitCode);
		assertTrue(wrongExt.err.contains(".nii.gz"), wrongExt.err);
	}
}
