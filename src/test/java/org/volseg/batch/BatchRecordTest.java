package org.volseg.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.model.ModelIdentity;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;

/**
 * Batches resumed with another model or other settings (issue 16): each output's row records the
 * model identity and the output-changing settings; a rerun redoes outputs whose record differs and
 * skips the others; the columns are appended after the existing ones.
 */
class BatchRecordTest {

	@TempDir
	Path dir;
	Path in, out;
	final Segmenter segmenter = BatchFixtures.segmenter();

	@BeforeEach
	void scans() throws IOException {
		in = dir.resolve("in");
		out = dir.resolve("out");
		BatchFixtures.nifti(in.resolve("one.nii.gz"), 12, 10, 8);
		BatchFixtures.nifti(in.resolve("two.nii"), 9, 7, 5);
	}

	private BatchReport run(String model, SegmentationSettings seg, List<String> warnings) {
		BatchSettings s = BatchSettings.builder(in, out).modelIdentity(model).segmentation(seg).build();
		BatchListener listener = new BatchListener() {
			@Override
			public void warning(String message) {
				warnings.add(message);
			}
		};
		return new BatchRunner(segmenter, s).run(listener, new BatchCancellation());
	}

	@Test
	void anotherModelOrOtherSettingsRedoTheOutputsTheSameSkipThem() throws IOException {
		SegmentationSettings plain = SegmentationSettings.defaults();
		List<String> warnings = new ArrayList<>();
		assertEquals(2, run("model-a sha256:1", plain, warnings).done());
		Map<String, SummaryRow> rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		assertEquals("model-a sha256:1", rows.get("one_labels.nii.gz").model());
		assertEquals(OutputRecord.settingsKey(plain), rows.get("one_labels.nii.gz").settings());
		String header = Files.readAllLines(out.resolve("summary.csv")).get(0);
		assertTrue(header.startsWith("input,output,status,error,seconds,device,series,finished,")
				&& header.endsWith(",model,settings"), header);

		BatchReport same = run("model-a sha256:1", plain, warnings);
		assertEquals(2, same.skipped());
		assertEquals(0, same.done());
		rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		assertEquals("model-a sha256:1", rows.get("two_labels.nii.gz").model(), "a skipped row keeps the record");

		BatchReport otherModel = run("model-b sha256:2", plain, warnings);
		assertEquals(2, otherModel.done(), otherModel.rows().toString());
		assertTrue(warnings.stream().anyMatch(w -> w.contains("model-a sha256:1") && w.contains("model-b sha256:2")),
				warnings.toString());
		assertEquals("model-b sha256:2",
				BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out).get("one_labels.nii.gz").model());

		SegmentationSettings otherOverlap = SegmentationSettings.builder().overlap(0.75).build();
		BatchReport otherSettings = run("model-b sha256:2", otherOverlap, warnings);
		assertEquals(2, otherSettings.done());
		assertTrue(warnings.get(warnings.size() - 1).contains("overlap=0.75"), warnings.toString());
		assertEquals(2, run("model-b sha256:2", otherOverlap, warnings).skipped());
	}

	@Test
	void rowsWithoutARecordAreTrustedAsBefore() throws IOException {
		assertEquals(2, run("", SegmentationSettings.defaults(), new ArrayList<>()).done());
		// a summary written before the record existed: drop the two columns
		Path summary = out.resolve("summary.csv");
		List<String> lines = new ArrayList<>();
		for (String line : Files.readAllLines(summary))
			lines.add(line.substring(0, line.lastIndexOf(',', line.lastIndexOf(',') - 1)));
		Files.write(summary, lines);
		assertEquals(2, run("model-a sha256:1", SegmentationSettings.defaults(), new ArrayList<>()).skipped());
	}

	@Test
	void theModelIdentityChangesWithTheWeights() throws IOException {
		Path pkg = Path.of("sample-volumes/models/volseg-phantom-unetr");
		String id = ModelIdentity.of(pkg);
		assertTrue(id.startsWith("volseg-phantom-unetr sha256:") && id.length() == "volseg-phantom-unetr sha256:".length() + 16, id);
		Path copy = dir.resolve("copy");
		org.volseg.util.AtomicFiles.copyFolder(pkg, copy);
		assertEquals(id, ModelIdentity.of(copy), "the same package elsewhere");
		Path index = copy.resolve("saved_model/variables/variables.index");
		byte[] b = Files.readAllBytes(index);
		b[b.length / 2] ^= 1;
		Files.write(index, b);
		assertTrue(!id.equals(ModelIdentity.of(copy)), "other weights, another identity");
	}
}
