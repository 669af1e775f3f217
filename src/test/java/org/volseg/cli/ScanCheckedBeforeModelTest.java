package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.VolSegException;
import org.volseg.engine.TestNetworks;
import org.volseg.io.nifti.NiftiReader;

import picocli.CommandLine;

/**
 * Issue 15 items 9 and 11: CIFTI refused naming its intent; a 4D fMRI (nibabel's functional.nii,
 * 20 time points) given to a one-channel model names its time points and --volume-index; and a
 * bad scan is refused before the model loader is ever called (order, not time).
 */
class ScanCheckedBeforeModelTest {

	@TempDir
	Path dir;

	private Path resource(String name) throws Exception {
		Path out = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
		try (InputStream in = getClass().getResourceAsStream(name)) {
			Files.write(out, in.readAllBytes());
		}
		return out;
	}

	@Test
	void ciftiIsRefusedNamingItsIntent() throws Exception {
		// nibabel 5.0: nib.load('row_major.dconn.nii').nifti_header.get_intent() -> ('ConnDense', ...), code 3001
		Path cifti = resource("/nifti/row_major.dconn.nii");
		CliRunner r = CliRunner.run("info", cifti.toString());
		assertNotEquals(0, r.exitCode);
		assertTrue(r.err.contains("CIFTI-2") && r.err.contains("intent code 3001") && r.err.contains("ConnDense"), r.err);
	}

	/** Runs {@code volseg segment} with a loader that records its calls and stops there. */
	private List<String> segmentRecordingLoads(Path input, String... more) throws Exception {
		List<String> calls = new ArrayList<>();
		SegmentCommand cmd = new SegmentCommand();
		cmd.loader = (model, options) -> {
			calls.add("load " + model);
			throw new VolSegException("model loader reached");
		};
		List<String> args = new ArrayList<>(List.of("--model", dir.toString(), "--input", input.toString(), "--output",
				dir.resolve("labels.nii.gz").toString()));
		args.addAll(List.of(more));
		new CommandLine(cmd).parseArgs(args.toArray(new String[0]));
		VolSegException e = assertThrows(VolSegException.class, cmd::call);
		calls.add(e.getMessage());
		return calls;
	}

	@Test
	void aBadScanIsRefusedBeforeTheModelIsLoaded() throws Exception {
		List<String> truncated = segmentRecordingLoads(resource("/dicom/MR_truncated.dcm"));
		assertEquals(1, truncated.size(), truncated.toString()); // the refusal only: no load
		assertTrue(truncated.get(0).contains("truncated"), truncated.get(0));
		List<String> cifti = segmentRecordingLoads(resource("/nifti/row_major.dconn.nii"));
		assertEquals(1, cifti.size(), cifti.toString());
		assertTrue(cifti.get(0).contains("CIFTI-2"), cifti.get(0));
		List<String> badIndex = segmentRecordingLoads(resource("/nifti/functional.nii"), "--volume-index", "20");
		assertEquals(1, badIndex.size(), badIndex.toString());
		assertTrue(badIndex.get(0).contains("--volume-index") && badIndex.get(0).contains("0 to 19"), badIndex.get(0));
		// a good scan does reach the loader
		List<String> good = segmentRecordingLoads(resource("/dicom/MR_small.dcm"));
		assertEquals(List.of("load " + dir, "model loader reached"), good);
	}

	@Test
	void a4dFmriNamesItsTimePointsAndOneCanBePicked() throws Exception {
		Path model = new TestNetworks(1, 3, 42).export(dir.resolve("model1"), 16, 16, 16, false, false);
		Path fmri = resource("/nifti/functional.nii"); // nibabel: shape (17, 21, 3, 20), xyzt_units ('mm', 'sec')
		Path labels = dir.resolve("labels.nii.gz");
		CliRunner r = CliRunner.run("segment", "--model", model.toString(), "--input", fmri.toString(), "--output",
				labels.toString(), "--device", "cpu", "--progress", "lines");
		assertNotEquals(0, r.exitCode);
		assertTrue(r.err.contains("20 time points") && r.err.contains("--volume-index K (K from 0 to 19"), r.err);
		CliRunner ok = CliRunner.run("segment", "--model", model.toString(), "--input", fmri.toString(), "--output",
				labels.toString(), "--device", "cpu", "--progress", "lines", "--volume-index", "7");
		assertEquals(0, ok.exitCode, ok.err);
		assertArrayEquals(new long[] { 17, 21, 3 }, NiftiReader.read(labels).volume().dimensions());
		Path one = dir.resolve("t7.nii.gz");
		CliRunner c = CliRunner.run("convert-volume", fmri.toString(), one.toString(), "--volume-index", "7");
		assertEquals(0, c.exitCode, c.err);
		org.volseg.volume.Volume t7 = NiftiReader.read(one).volume();
		assertArrayEquals(new long[] { 17, 21, 3 }, t7.dimensions());
		double sum = 0;
		for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(t7.voxels()))
			sum += v.get();
		// nibabel: nib.load('functional.nii').get_fdata()[..., 7].sum() = 3891898.799704373 (float64; ours float32)
		assertEquals(3891898.799704373, sum, 0.5);
	}
}
