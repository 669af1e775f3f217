package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolSegException;
import org.volseg.io.VolumeIO;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.pipeline.Segmenter;
import org.volseg.runtime.PatchPredictor;
import org.volseg.tiling.FakePredictors;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import picocli.CommandLine;

/**
 * {@code volseg segment} reads and preprocesses the scan while the model loads on its own thread
 * ({@code ModelLoading}): a reading error still names the file and leaves no thread behind, a load
 * error is reported as the loader threw it (not as a cancelled reading), and a good run reports the
 * overlap and writes the same labels as before.
 */
class SegmentWhileLoadingTest {

	static final Path DEMO = Path.of("sample-volumes/models/volseg-phantom-unetr");

	@TempDir
	Path dir;

	/** Every output channel 0 except channel {@code hot}, which is 1: argmax gives that class's label everywhere. */
	static PatchPredictor constant(ModelDescriptor d, int hot) {
		float[] values = new float[d.volseg().classes().size()];
		values[hot] = 1;
		return FakePredictors.constantPerClass(values);
	}

	private static boolean loadThreadAlive() {
		return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("volseg-model-load") && t.isAlive());
	}

	private SegmentCommand command(SegmentCommand.ModelLoader loader, Path input, Path output, ByteArrayOutputStream out) {
		SegmentCommand cmd = new SegmentCommand();
		cmd.loader = loader;
		CommandLine cl = new CommandLine(cmd);
		cl.setOut(new PrintWriter(out, true));
		cl.setErr(new PrintWriter(new ByteArrayOutputStream(), true));
		cl.parseArgs("--model", DEMO.toString(), "--input", input.toString(), "--output", output.toString(), "--progress",
				"none");
		return cmd;
	}

	@Test
	void aReadingErrorNamesTheFileAfterTheLoadHasEndedAndNothingIsLeftRunning() throws Exception {
		// a valid header (InputCheck passes) with half of the voxels missing: the reading fails
		Path truncated = dir.resolve("truncated.nii");
		NiftiWriter.writeFloat32(Volume.allocate(Geometry.ofSpacing(1, 1, 1), 40, 40, 20), truncated);
		byte[] bytes = Files.readAllBytes(truncated);
		Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
		ModelDescriptor d = ModelPackage.open(DEMO).descriptor();
		AtomicLong loadEnded = new AtomicLong();
		SegmentCommand cmd = command((model, options) -> {
			sleep(400);
			loadEnded.set(System.nanoTime());
			return Segmenter.of(d, constant(d, 0), "test");
		}, truncated, dir.resolve("labels.nii.gz"), new ByteArrayOutputStream());
		VolSegException e = assertThrows(VolSegException.class, cmd::call);
		long returned = System.nanoTime();
		assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
		assertTrue(loadEnded.get() != 0 && loadEnded.get() <= returned, "the command returned before the load ended");
		assertFalse(loadThreadAlive(), "the model-load thread is still running");
		assertFalse(Files.exists(dir.resolve("labels.nii.gz")));
	}

	@Test
	void aLoadErrorWhileReadingIsReportedAsTheLoaderThrewIt() throws Exception {
		VolSegException broken = new VolSegException(DEMO + ": the SavedModel is broken (test)");
		List<String> calls = new ArrayList<>();
		SegmentCommand cmd = command((model, options) -> {
			calls.add("load " + model);
			throw broken;
		}, Path.of("sample-volumes/case000_image.nii.gz"), dir.resolve("labels.nii.gz"), new ByteArrayOutputStream());
		VolSegException e = assertThrows(VolSegException.class, cmd::call);
		assertSame(broken, e, e.toString());
		assertEquals(List.of("load " + DEMO), calls);
		assertFalse(loadThreadAlive());
		assertFalse(Files.exists(dir.resolve("labels.nii.gz")));
	}

	@Test
	void aGoodRunOverlapsTheReadingWithTheLoadAndWritesTheSameLabels() throws Exception {
		ModelDescriptor d = ModelPackage.open(DEMO).descriptor();
		assertEquals(d, Segmenter.descriptorOf(DEMO).orElseThrow()); // the CLI compares the two reads of rdf.yaml
		assertTrue(Segmenter.descriptorOf(dir).isEmpty()); // not a package: the loader reports it
		Path scan = Path.of("sample-volumes/case000_image.nii.gz");
		Path overlapped = dir.resolve("overlapped.nii.gz");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int hot = 2; // liver everywhere
		SegmentCommand cmd = command((model, options) -> {
			sleep(300);
			return Segmenter.of(d, constant(d, hot), "test");
		}, scan, overlapped, out);
		assertEquals(0, cmd.call());
		assertTrue(out.toString().contains("overlapped:  "), out.toString());
		assertFalse(loadThreadAlive());
		// the same segmentation, one step after the load (Segmenter.segment(Path ...))
		Path sequential = dir.resolve("sequential.nii.gz");
		try (Segmenter s = Segmenter.of(d, constant(d, hot), "test")) {
			s.segment(scan, org.volseg.pipeline.SegmentationSettings.builder().labelsOutput(sequential).build(),
					org.volseg.pipeline.SegmentationListener.none(), () -> false);
		}
		Volume a = VolumeIO.read(overlapped).volume(), b = VolumeIO.read(sequential).volume();
		assertEquals(java.util.Arrays.toString(b.dimensions()), java.util.Arrays.toString(a.dimensions()));
		float[] va = voxels(a), vb = voxels(b);
		assertTrue(java.util.Arrays.equals(va, vb));
		assertEquals(d.volseg().classes().get(hot).label(), va[va.length / 2], 0);
	}

	private static float[] voxels(Volume v) {
		List<Float> l = new ArrayList<>();
		for (net.imglib2.type.numeric.real.FloatType f : net.imglib2.view.Views.flatIterable(v.voxels()))
			l.add(f.get());
		float[] a = new float[l.size()];
		for (int i = 0; i < a.length; i++)
			a[i] = l.get(i);
		return a;
	}

	private static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}
}
