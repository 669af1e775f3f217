package org.volseg.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.batch.BatchFixtures.foreground;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.pipeline.Segmenter;
import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Volume;

/** {@link BatchRunner} with a plain-Java threshold model: outputs, failures, resume, shards, lists, stopping. */
class BatchRunnerTest {

	@TempDir
	Path dir;
	Path in, out;
	final Segmenter segmenter = BatchFixtures.segmenter();

	@BeforeEach
	void scans() throws IOException {
		in = dir.resolve("in");
		out = dir.resolve("out");
		BatchFixtures.nifti(in.resolve("a/one.nii.gz"), 12, 10, 8);
		BatchFixtures.nifti(in.resolve("b/two.nii"), 9, 7, 5);
		BatchFixtures.dicomFolder(in.resolve("dicom/ct"), dir.resolve("scratch"));
		BatchFixtures.truncatedNifti(in.resolve("broken.nii"));
		Files.writeString(in.resolve("notes.txt"), "not an image\n");
		Files.writeString(in.resolve("a/README"), "not an image either\n");
	}

	private BatchReport run(BatchSettings.Builder b) {
		return new BatchRunner(segmenter, b.build()).run(BatchListener.none(), new BatchCancellation());
	}

	private BatchSettings.Builder settings() {
		return BatchSettings.builder(in, out);
	}

	@Test
	void segmentsEveryScanAndOneRowPerSeriesAndFailsTheBrokenFileAlone() throws IOException {
		BatchReport r = run(settings());
		assertEquals(4, r.done(), r.rows().toString());
		assertEquals(1, r.failed());
		assertEquals(0, r.skipped());
		assertEquals(4, r.inputs()); // a/one, b/two, broken, dicom/ct (notes.txt and README ignored)

		// sorted by relative path: a/one.nii.gz, b/two.nii, broken.nii, dicom/ct (series 3, then 5)
		List<String> order = r.rows().stream().map(x -> Path.of(x.input()).getFileName() + ":" + x.series())
				.collect(Collectors.toList());
		assertEquals(List.of("one.nii.gz:", "two.nii:", "broken.nii:", "ct:3", "ct:5"), order);

		checkLabels(out.resolve("a/one_labels.nii.gz"), 12, 10, 8);
		checkLabels(out.resolve("b/two_labels.nii.gz"), 9, 7, 5);
		checkLabels(out.resolve("dicom/ct_series3_labels.nii.gz"), 12, 10, 6);
		checkLabels(out.resolve("dicom/ct_series5_labels.nii.gz"), 14, 8, 5);
		assertFalse(Files.exists(out.resolve("broken_labels.nii.gz")));

		Map<String, SummaryRow> rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		assertEquals(5, rows.size(), rows.keySet().toString());
		SummaryRow failed = rows.get("broken_labels.nii.gz");
		assertEquals(BatchStatus.FAILED, failed.status());
		assertTrue(failed.error().contains(in.resolve("broken.nii").toString()) && failed.error().contains("truncated"),
				failed.error());
		assertNull(failed.labels());
		SummaryRow one = rows.get("a/one_labels.nii.gz");
		assertEquals(BatchStatus.DONE, one.status());
		assertEquals("test-device", one.device());
		assertEquals(in.resolve("a/one.nii.gz").toString(), one.input());
		assertEquals(foreground(12, 10, 8), one.labels().get(1).voxels());
		assertEquals(foreground(12, 10, 8) / 1000.0, one.labels().get(1).millilitres(), 1e-9);
		assertTrue(one.seconds() >= 0);
		assertEquals("5", rows.get("dicom/ct_series5_labels.nii.gz").series());
		assertEquals(foreground(14, 8, 5), rows.get("dicom/ct_series5_labels.nii.gz").labels().get(1).voxels());

		// the class name has a comma: the header quotes it
		String header = Files.readAllLines(out.resolve("summary.csv")).get(0);
		assertEquals("input,output,status,error,seconds,device,series,finished,\"ball, big_voxels\",\"ball, big_ml\",model,settings",
				header);
		// no temporary file is left anywhere
		try (Stream<Path> all = Files.walk(out)) {
			assertEquals(List.of(), all.filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList()));
		}
	}

	private static void checkLabels(Path file, int w, int h, int d) {
		Volume labels = NiftiReader.read(file).volume();
		assertArrayEquals(new long[] { w, h, d }, labels.dimensions(), file.toString());
		List<LabelStatistics.Row> rows = LabelStatistics.of(labels);
		assertEquals(1, rows.size(), file.toString());
		assertEquals(foreground(w, h, d), rows.get(0).voxels(), file.toString());
	}

	@Test
	void rerunSkipsFinishedInputsWithoutTouchingThemAndRetriesFailures() throws IOException {
		run(settings());
		Path one = out.resolve("a/one_labels.nii.gz");
		FileTime before = FileTime.fromMillis(1_000_000_000_000L);
		Files.setLastModifiedTime(one, before);
		BatchReport again = run(settings());
		assertEquals(0, again.done());
		assertEquals(4, again.skipped());
		assertEquals(1, again.failed());
		assertEquals(before, Files.getLastModifiedTime(one));
		Map<String, SummaryRow> rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		SummaryRow skipped = rows.get("a/one_labels.nii.gz");
		assertEquals(BatchStatus.SKIPPED, skipped.status());
		// counts and device carried over from the run that made the file
		assertEquals(foreground(12, 10, 8), skipped.labels().get(1).voxels());
		assertEquals("test-device", skipped.device());

		// without any summary, the counts are read from the label file itself
		Files.delete(out.resolve("summary.csv"));
		run(settings());
		rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		assertEquals(foreground(14, 8, 5), rows.get("dicom/ct_series5_labels.nii.gz").labels().get(1).voxels());
		assertEquals(BatchStatus.SKIPPED, rows.get("dicom/ct_series5_labels.nii.gz").status());

		BatchReport redo = run(settings().overwrite(true));
		assertEquals(4, redo.done());
		assertTrue(Files.getLastModifiedTime(one).compareTo(before) > 0);
	}

	@Test
	void aRunKilledMidWriteIsResumedWithoutACorruptOutput() throws IOException {
		run(settings().saveLogits(true));
		// What kill -9 leaves at any moment: a half-written hidden temporary file of an output (never
		// its final name), a missing output, a half-written summary temporary; and, killed between the
		// renames of one input's outputs, labels without logits.
		Path labels = out.resolve("b/two_labels.nii.gz");
		Path partial = out.resolve("b/.two_labels.nii.gz.volseg-0b8e7c6e-dead-beef-0000-000000000000.nii.gz");
		Files.write(partial, java.util.Arrays.copyOf(Files.readAllBytes(labels), 40));
		// the NIfTI writer's own temporary file under the pipeline's
		Path nested = out.resolve("b/..two_labels.nii.gz.volseg-0b8e7c6e-dead-beef-0000-000000000000.nii.gz.4711.part");
		Files.write(nested, new byte[] { 1, 2, 3 });
		Files.delete(labels);
		Files.delete(out.resolve("dicom/ct_series5_logits.nii.gz"));
		// a file of another output whose name starts the same must not be touched
		Path unrelated = out.resolve("b/.two_labels.nii.gz.backup");
		Files.writeString(unrelated, "mine");
		Path summaryTemp = out.resolve(".summary.csv.12345.part");
		Files.writeString(summaryTemp, "input,output,sta");
		// another shard's temporary file must not be touched
		Path otherShard = out.resolve(".summary-shard-2-of-2.csv.999.part");
		Files.writeString(otherShard, "x");

		BatchReport resumed = run(settings().saveLogits(true));
		assertEquals(2, resumed.done(), resumed.rows().toString());
		assertEquals(2, resumed.skipped());
		assertFalse(Files.exists(partial));
		assertFalse(Files.exists(nested));
		assertTrue(Files.exists(unrelated));
		assertFalse(Files.exists(summaryTemp));
		assertTrue(Files.exists(otherShard));
		checkLabels(labels, 9, 7, 5);
		assertArrayEquals(new long[] { 14, 8, 5, 2 },
				NiftiReader.read(out.resolve("dicom/ct_series5_logits.nii.gz")).volume().dimensions());
		Map<String, SummaryRow> rows = BatchFixtures.rowsByOutput(out.resolve("summary.csv"), out);
		assertEquals(BatchStatus.DONE, rows.get("b/two_labels.nii.gz").status());
		assertEquals(BatchStatus.DONE, rows.get("dicom/ct_series5_labels.nii.gz").status());
		assertEquals(BatchStatus.SKIPPED, rows.get("dicom/ct_series3_labels.nii.gz").status());
	}

	@Test
	void temporaryFileNamesOfOneOutputOnly() {
		java.util.function.Predicate<String> t = BatchRunner.temporaryOf("a_labels.nii.gz");
		assertTrue(t.test(".a_labels.nii.gz.volseg-1234.nii.gz"));
		assertTrue(t.test("..a_labels.nii.gz.volseg-1234.nii.gz.99.part"));
		assertTrue(t.test(".a_labels.nii.gz.99.part"));
		assertFalse(t.test("a_labels.nii.gz"));
		assertFalse(t.test(".ba_labels.nii.gz.volseg-1234.nii.gz"));
		assertFalse(t.test(".a_labels.nii.gz.backup"));
		assertFalse(t.test(".b_labels.nii.gz.volseg-1234.nii.gz"));
	}

	@Test
	void twoShardsCoverEveryInputOnceAndAnUnshardedRerunMergesTheirSummaries() throws IOException {
		for (int i = 0; i < 5; i++)
			BatchFixtures.nifti(in.resolve("more/s" + i + ".nii.gz"), 8, 8, 8);
		List<BatchInput> all = BatchInputs.of(settings().build());
		assertEquals(9, all.size());
		BatchReport first = run(settings().shard(Shard.parse("1/2")));
		BatchReport second = run(settings().shard(new Shard(2, 2)));
		assertEquals(5, first.inputs());
		assertEquals(4, second.inputs());
		Set<String> one = inputs(out.resolve("summary-shard-1-of-2.csv"));
		Set<String> two = inputs(out.resolve("summary-shard-2-of-2.csv"));
		Set<String> union = new HashSet<>(one);
		union.addAll(two);
		assertEquals(one.size() + two.size(), union.size(), "shards overlap: " + one + " " + two);
		assertEquals(all.stream().map(x -> x.path().toString()).collect(Collectors.toSet()), union);
		assertFalse(Files.exists(out.resolve("summary.csv")));

		BatchReport merged = run(settings());
		assertEquals(0, merged.done());
		assertEquals(1, merged.failed()); // the truncated file, retried
		List<SummaryRow> rows = new SummaryCsv(BatchFixtures.descriptor().volseg().classes()).read(out.resolve("summary.csv"));
		assertEquals(10, rows.size());
		for (SummaryRow r : rows)
			if (r.status() == BatchStatus.SKIPPED) {
				assertEquals("test-device", r.device(), "counts and device come from the shard summaries");
				assertTrue(r.labels().get(1).voxels() > 0);
			}
	}

	private static Set<String> inputs(Path summary) throws IOException {
		List<SummaryRow> rows = new SummaryCsv(BatchFixtures.descriptor().volseg().classes()).read(summary);
		return rows.stream().map(SummaryRow::input).collect(Collectors.toSet());
	}

	@Test
	void csvListWithHeaderRelativePathsExplicitOutputsAndAMissingFile() throws IOException {
		Path lists = Files.createDirectories(dir.resolve("lists"));
		Path csv = lists.resolve("scans.csv");
		Files.writeString(csv, "input,output\n" + "../in/a/one.nii.gz,\"first, labels.nii.gz\"\n" + "# a comment\n\n"
				+ in.resolve("b/two.nii") + "\n" + "missing.nii.gz,sub/m.nii.gz\n" + "../in/dicom/ct,ct.nii.gz\n");
		BatchReport r = new BatchRunner(segmenter,
				BatchSettings.builder(csv, out).segmentation(
						org.volseg.pipeline.SegmentationSettings.builder().seriesNumber(5).build()).build())
				.run(BatchListener.none(), new BatchCancellation());
		assertEquals(3, r.done(), r.rows().toString());
		assertEquals(1, r.failed());
		checkLabels(out.resolve("first, labels.nii.gz"), 12, 10, 8);
		checkLabels(out.resolve("two_labels.nii.gz"), 9, 7, 5);
		checkLabels(out.resolve("ct.nii.gz"), 14, 8, 5); // --series 5 of the folder
		SummaryRow missing = r.rows().stream().filter(x -> x.status() == BatchStatus.FAILED).findFirst().orElseThrow();
		assertEquals(lists.resolve("missing.nii.gz").toString(), missing.input());
		assertEquals(out.resolve("sub/m.nii.gz").toString(), missing.output());
		assertTrue(missing.error().contains("does not exist"), missing.error());
	}

	@Test
	void malformedListsAreUsageErrorsNamingTheLine() throws IOException {
		Path csv = dir.resolve("bad.csv");
		Files.writeString(csv, "a.nii.gz\nb.nii.gz,b_out.nii.gz,extra\n");
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> BatchInputs.of(BatchSettings.builder(csv, out).build()));
		assertTrue(e.getMessage().contains("--input") && e.getMessage().contains("line 2"), e.getMessage());
		Files.writeString(csv, "a.nii.gz,labels.png\n");
		e = assertThrows(InvalidParameterException.class, () -> BatchInputs.of(BatchSettings.builder(csv, out).build()));
		assertTrue(e.getMessage().contains(".nii.gz"), e.getMessage());
	}

	@Test
	void outputsThatWouldCollideAndUnsupportedFormatsFailAlone() throws IOException {
		BatchFixtures.nifti(in.resolve("a/one.nii"), 7, 7, 7); // -> a/one_labels.nii.gz, like a/one.nii.gz
		Files.writeString(in.resolve("scan.mha"), "ObjectType = Image\n");
		BatchReport r = run(settings());
		assertEquals(3, r.failed(), r.rows().toString());
		SummaryRow collision = r.rows().stream().filter(x -> x.input().endsWith("one.nii.gz")).findFirst().orElseThrow();
		assertEquals(BatchStatus.FAILED, collision.status());
		assertTrue(collision.error().contains("also the output of " + in.resolve("a/one.nii")), collision.error());
		checkLabels(out.resolve("a/one_labels.nii.gz"), 7, 7, 7); // one.nii sorts first and wins
		SummaryRow mha = r.rows().stream().filter(x -> x.input().endsWith("scan.mha")).findFirst().orElseThrow();
		assertTrue(mha.error().contains("convert it to NIfTI"), mha.error());
	}

	@Test
	void aScanTheModelCannotTakeFailsAloneWithTheReason() throws IOException {
		org.volseg.io.nifti.NiftiWriter.writeFloat32(
				Volume.allocate(org.volseg.volume.Geometry.ofSpacing(1, 1, 1), 9, 9, 9, 2), in.resolve("two-channels.nii.gz"));
		BatchReport r = run(settings());
		SummaryRow bad = r.rows().stream().filter(x -> x.input().endsWith("two-channels.nii.gz")).findFirst().orElseThrow();
		assertEquals(BatchStatus.FAILED, bad.status());
		assertTrue(bad.error().contains("has 2 channel(s)") && bad.error().contains("expects 1 input channel(s)"), bad.error());
		assertEquals(4, r.done());
		assertFalse(Files.exists(out.resolve("two-channels_labels.nii.gz")));
	}

	@Test
	void aDicomFolderGivenAsTheInputIsNamedAfterItself() throws IOException {
		Path ct = in.resolve("dicom/ct");
		BatchReport r = new BatchRunner(segmenter, BatchSettings.builder(ct, out).build()).run(BatchListener.none(),
				new BatchCancellation());
		assertEquals(2, r.done());
		checkLabels(out.resolve("ct_series3_labels.nii.gz"), 12, 10, 6);
		checkLabels(out.resolve("ct_series5_labels.nii.gz"), 14, 8, 5);
		// --series: only that series of each folder
		Path only = dir.resolve("only5");
		r = new BatchRunner(segmenter, BatchSettings.builder(in, only)
				.segmentation(org.volseg.pipeline.SegmentationSettings.builder().seriesNumber(5).build()).build())
				.run(BatchListener.none(), new BatchCancellation());
		assertTrue(Files.exists(only.resolve("dicom/ct_series5_labels.nii.gz")));
		assertFalse(Files.exists(only.resolve("dicom/ct_series3_labels.nii.gz")));
	}

	@Test
	void aDicomFolderInsideAnotherIsAnInputOfItsOwn() throws IOException {
		Path sub = in.resolve("dicom/ct/followup");
		new org.volseg.io.dicom.DicomSeriesWriter().seriesNumber(9).write(BatchFixtures.ramp(10, 9, 4, 1), sub);
		BatchReport r = run(settings());
		assertEquals(5, r.done(), r.rows().toString());
		List<String> dicomRows = r.rows().stream().filter(x -> !x.series().isEmpty())
				.map(x -> Path.of(x.input()).getFileName() + ":" + x.series()).collect(Collectors.toList());
		assertEquals(List.of("ct:3", "ct:5", "followup:9"), dicomRows);
		checkLabels(out.resolve("dicom/ct/followup_series9_labels.nii.gz"), 10, 9, 4);
	}

	@Test
	void aCorruptDicomFolderIsAFailedRow() throws IOException {
		BatchFixtures.corruptDicomFolder(in.resolve("dicom/bad"));
		BatchReport r = run(settings());
		SummaryRow bad = r.rows().stream().filter(x -> x.input().endsWith("bad")).findFirst().orElseThrow();
		assertEquals(BatchStatus.FAILED, bad.status());
		assertTrue(bad.error().contains("no DICOM images found") && bad.error().contains("1 unreadable"), bad.error());
		assertEquals(4, r.done());
	}

	@Test
	void outputFolderInsideTheInputIsNotTakenForInputs() throws IOException {
		Path inner = in.resolve("results");
		new BatchRunner(segmenter, BatchSettings.builder(in, inner).build()).run(BatchListener.none(), new BatchCancellation());
		BatchReport again = new BatchRunner(segmenter, BatchSettings.builder(in, inner).build()).run(BatchListener.none(),
				new BatchCancellation());
		assertEquals(4, again.inputs());
		assertEquals(4, again.skipped());
		assertThrows(InvalidParameterException.class, () -> BatchSettings.builder(in, in).build());
		assertThrows(InvalidParameterException.class, () -> BatchSettings.builder(in.resolve("a"), in).build());
		assertThrows(InvalidParameterException.class, () -> BatchSettings.builder(dir.resolve("nope"), out).build());
	}

	@Test
	void stopAfterCurrentFinishesTheFileBeingSegmentedAndStartsNoOther() throws IOException {
		BatchCancellation cancel = new BatchCancellation();
		List<Integer> started = new ArrayList<>();
		BatchReport r = new BatchRunner(segmenter, settings().build()).run(new BatchListener() {
			@Override
			public void inputStarted(int index, int count, BatchInput input) {
				started.add(index);
				if (index == 1)
					cancel.stopAfterCurrent();
			}
		}, cancel);
		assertEquals(List.of(0, 1), started);
		assertTrue(r.stopped());
		assertEquals(2, r.inputsVisited());
		assertEquals(2, r.done());
		assertTrue(Files.exists(out.resolve("b/two_labels.nii.gz")));
		assertEquals(2, new SummaryCsv(BatchFixtures.descriptor().volseg().classes()).read(out.resolve("summary.csv")).size());
	}

	@Test
	void aStoppedRerunKeepsTheEarlierRowsOfInputsItDidNotReach() throws IOException {
		run(settings());
		List<SummaryRow> before = new SummaryCsv(BatchFixtures.descriptor().volseg().classes()).read(out.resolve("summary.csv"));
		BatchCancellation cancel = new BatchCancellation();
		BatchReport r = new BatchRunner(segmenter, settings().overwrite(true).build()).run(new BatchListener() {
			@Override
			public void inputStarted(int index, int count, BatchInput input) {
				if (index == 1)
					cancel.abort();
			}
		}, cancel);
		assertEquals(1, r.rows().size());
		List<SummaryRow> after = new SummaryCsv(BatchFixtures.descriptor().volseg().classes()).read(out.resolve("summary.csv"));
		assertEquals(before.size(), after.size());
		assertTrue(after.get(0).finished().compareTo(before.get(0).finished()) >= 0);
		for (int i = 1; i < after.size(); i++)
			assertEquals(before.get(i), after.get(i), "row " + i + " comes from the earlier run");
	}

	@Test
	void abortCancelsTheCurrentFileAndWritesNothingForIt() throws IOException {
		BatchCancellation cancel = new BatchCancellation();
		BatchReport r = new BatchRunner(segmenter, settings().build()).run(new BatchListener() {
			@Override
			public void inputStarted(int index, int count, BatchInput input) {
				if (index == 1)
					cancel.abort();
			}
		}, cancel);
		assertTrue(r.stopped());
		assertEquals(1, r.done());
		assertFalse(Files.exists(out.resolve("b/two_labels.nii.gz")));
		try (Stream<Path> all = Files.walk(out)) {
			assertEquals(List.of(), all.filter(p -> p.getFileName().toString().startsWith(".")).collect(Collectors.toList()));
		}
	}
}
