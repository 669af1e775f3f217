package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleService;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.model.SegmentationClass;
import org.volseg.sample.Phantom;
import org.volseg.volume.Geometry;
import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.measure.ResultsTable;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Runs every VolSeg command through SciJava's CommandService, headless, on the 48x48x32 phantom
 * with a real (tiny) SavedModel installed by the Install Model command.
 */
class FijiCommandsTest {

	@TempDir
	static Path tmp;

	static Context context;
	static CommandService commands;
	static Phantom phantom;
	static int[] expected;

	@BeforeAll
	static void setUp() throws Exception {
		context = FijiTestData.commandContext(tmp);
		commands = context.service(CommandService.class);
		phantom = FijiTestData.phantom();
		expected = FijiTestData.expectedLabels(phantom.image());
		Path pkg = FijiTestData.model(tmp.resolve("build"), phantom.image());
		InstallModelCommand install = (InstallModelCommand) run(InstallModelCommand.class, "model_package", pkg.toFile(),
				"destination", InstallModelCommand.FIJI, "replace", false);
		assertNull(install.error());
		assertEquals(tmp.resolve("Fiji.app/models/volseg/nearest-hu-test"), install.installed());
	}

	@AfterAll
	static void tearDown() {
		FijiTestData.close(context);
	}

	@Test
	void installedModelIsListedAndAReinstallWithoutReplaceIsRefused() throws Exception {
		List<ModelCatalog.InstalledModel> installed = ModelCatalog.standard().list();
		assertEquals(1, installed.size());
		assertEquals(FijiTestData.MODEL_NAME, installed.get(0).name());
		InstallModelCommand again = (InstallModelCommand) run(InstallModelCommand.class, "model_package",
				installed.get(0).folder().toFile(), "destination", "user", "replace", false);
		assertNull(again.error(), "the user folder is empty, so installing there works");
		InstallModelCommand twice = (InstallModelCommand) run(InstallModelCommand.class, "model_package",
				installed.get(0).folder().toFile(), "destination", "user", "replace", false);
		assertNotNull(twice.error());
		assertTrue(twice.error().contains("already installed"), twice.error());
	}

	@Test
	void segmentCurrentImageGivesLabelsColoursOverlayResultsAndFile() throws Exception {
		ImagePlus scan = ImagePlusVolumes.toImagePlus(phantom.image(), "case7.nii.gz");
		Path out = tmp.resolve("case7_labels.nii.gz");
		SegmentVolumeCommand cmd = (SegmentVolumeCommand) run(SegmentVolumeCommand.class, "image", scan, "model",
				FijiTestData.MODEL_NAME, "roi", "32,32,32", "overlap", "0.25", "blend", "gaussian", "device", "cpu",
				"batch", 2, "display", "filled", "opacity", 50, "output_file", out.toFile());
		assertNull(cmd.error());
		ImagePlus labels = cmd.labels();
		assertEquals("case7-labels", labels.getTitle());
		assertEquals(8, labels.getBitDepth());
		assertArrayEqualsLabels(expected, labels);
		// colour table and class names follow the model
		for (SegmentationClass c : List.of(new SegmentationClass(1, "soft tissue", 220, 60, 60),
				new SegmentationClass(2, "bone", 250, 230, 90))) {
			assertEquals(c.rgb(), LabelLuts.rgbOf(labels.getProcessor().getLut(), c.label()));
			assertEquals(c.name(), LabelImages.namesOf(labels).get(c.label()));
		}
		// overlay: one half-transparent ImageRoi on each slice that has labels
		Overlay overlay = scan.getOverlay();
		assertNotNull(overlay);
		int slicesWithLabels = 0;
		for (int z = 1; z <= 32; z++)
			if (anyLabel(labels, z))
				slicesWithLabels++;
		assertEquals(slicesWithLabels, overlay.size());
		for (Roi r : overlay) {
			assertTrue(r instanceof ImageRoi);
			assertEquals(0.5, ((ImageRoi) r).getOpacity(), 1e-9);
			assertTrue(((ImageRoi) r).getZeroTransparent());
		}
		// results table = LabelStatistics of the labels against the scan
		assertResults(cmd.results(), LabelStatistics.of(ImagePlusVolumes.toVolume(labels), phantom.image()),
				Map.of(1, "soft tissue", 2, "bone"));
		// the file: same labels on the scan's geometry, uint8
		LoadedVolume written = VolumeIO.read(out);
		assertEquals("uint8", written.datatype());
		assertTrue(written.volume().geometry().equalsWithin(phantom.image().geometry(), 1e-5));
		assertArrayEqualsLabels(expected, written.volume());
	}

	@Test
	void segmentFileWithOutlinesNamesEachOutlineAfterItsClass() throws Exception {
		Path nifti = tmp.resolve("case7_image.nii.gz");
		if (!Files.exists(nifti))
			org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), nifti);
		Path modelFolder = ModelCatalog.standard().list().get(0).folder();
		SegmentVolumeCommand cmd = (SegmentVolumeCommand) run(SegmentVolumeCommand.class, "input_file", nifti.toFile(),
				"model_path", modelFolder.resolve("rdf.yaml").toFile(), "display", "outlines", "device", "cpu");
		assertNull(cmd.error());
		assertEquals("case7_image.nii.gz", cmd.scan().getTitle());
		assertArrayEqualsLabels(expected, cmd.labels());
		Overlay overlay = cmd.scan().getOverlay();
		assertTrue(overlay.size() > 0);
		for (Roi r : overlay)
			assertTrue(r.getName().matches("(soft tissue|bone) z=\\d+"), r.getName());
	}

	@Test
	void interruptingTheCommandCancelsItWithoutWritingAFile() throws Exception {
		ImagePlus scan = ImagePlusVolumes.toImagePlus(phantom.image(), "cancelled");
		Path out = tmp.resolve("cancelled_labels.nii.gz");
		ModuleService modules = context.service(ModuleService.class);
		CommandInfo info = commands.getCommand(SegmentVolumeCommand.class);
		org.scijava.module.Module module = modules.createModule(info);
		module.setInput("image", scan);
		module.setInput("model", FijiTestData.MODEL_NAME);
		module.setInput("device", "cpu");
		module.setInput("output_file", out.toFile());
		module.resolveInput("image");
		Thread.currentThread().interrupt();
		try {
			module.run();
		} finally {
			Thread.interrupted();
		}
		SegmentVolumeCommand cmd = (SegmentVolumeCommand) module;
		assertNotNull(cmd.error());
		assertTrue(cmd.error().contains("cancelled"), cmd.error());
		assertNull(cmd.labels());
		assertFalse(Files.exists(out));
	}

	/** Presses ImageJ's Esc when the status bar shows the first window done: the run stops mid-inference. */
	public static final class EscapeOnFirstWindow {
		volatile String pressedAt;

		@org.scijava.event.EventHandler
		public void onStatus(org.scijava.app.event.StatusEvent e) {
			String m = e.getStatusMessage();
			if (pressedAt == null && m != null && m.contains("window 1/")) {
				pressedAt = m;
				ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE);
			}
		}
	}

	@Test
	void escapeDuringInferenceCancelsAndWritesNothing() throws Exception {
		ImagePlus scan = ImagePlusVolumes.toImagePlus(phantom.image(), "esc");
		Path out = tmp.resolve("esc_labels.nii.gz");
		EscapeOnFirstWindow esc = new EscapeOnFirstWindow();
		org.scijava.event.EventService events = context.service(org.scijava.event.EventService.class);
		List<org.scijava.event.EventSubscriber<?>> subscribers = events.subscribe(esc);
		try {
			SegmentVolumeCommand cmd = (SegmentVolumeCommand) run(SegmentVolumeCommand.class, "image", scan, "model",
					FijiTestData.MODEL_NAME, "roi", "32,32,32", "overlap", "0.25", "batch", 1, "device", "cpu",
					"output_file", out.toFile());
			assertNotNull(esc.pressedAt, "the status bar showed window progress");
			assertTrue(esc.pressedAt.contains("/4"), esc.pressedAt); // 2 x 2 x 1 windows, one per batch
			assertNotNull(cmd.error());
			assertTrue(cmd.error().contains("cancelled"), cmd.error());
			assertNull(cmd.labels());
			assertNull(scan.getOverlay());
			assertFalse(Files.exists(out));
			assertFalse(ij.IJ.escapePressed(), "the command clears Esc for the next run");
		} finally {
			events.unsubscribe(subscribers);
		}
	}

	@Test
	void wrongModelNameIsReportedNotThrown() throws Exception {
		ImagePlus scan = ImagePlusVolumes.toImagePlus(phantom.image(), "x");
		SegmentVolumeCommand cmd = (SegmentVolumeCommand) run(SegmentVolumeCommand.class, "image", scan, "model",
				"no such model");
		assertNotNull(cmd.error());
		assertTrue(cmd.error().contains("no such model") && cmd.error().contains(FijiTestData.MODEL_NAME), cmd.error());
	}

	@Test
	void openNiftiKeepsCalibrationAndGeometry() throws Exception {
		Path nifti = tmp.resolve("open_me.nii.gz");
		org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), nifti);
		OpenNiftiCommand cmd = (OpenNiftiCommand) run(OpenNiftiCommand.class, "file", nifti.toFile());
		assertNull(cmd.error());
		ImagePlus image = cmd.image();
		double[] spacing = phantom.image().geometry().spacing();
		assertEquals(spacing[0], image.getCalibration().pixelWidth, 1e-6);
		assertEquals(spacing[2], image.getCalibration().pixelDepth, 1e-6);
		assertEquals("mm", image.getCalibration().getUnit());
		assertTrue(ImagePlusVolumes.geometryOf(image).equalsWithin(phantom.image().geometry(), 1e-5));
		assertEquals(phantom.image().voxels().getAt(10, 20, 5).get(), image.getStack().getProcessor(6).getf(10, 20), 0);
	}

	@Test
	void openDicomSeriesByNumberKeepsTheSeriesGeometry() throws Exception {
		Path folder = Path.of(getClass().getResource("/dicom/series/axial_ct").toURI());
		OpenDicomSeriesCommand cmd = (OpenDicomSeriesCommand) run(OpenDicomSeriesCommand.class, "folder", folder.toFile(),
				"series", "3");
		assertNull(cmd.error());
		ImagePlus image = cmd.image();
		assertEquals(72, image.getWidth());
		assertEquals(64, image.getHeight());
		assertEquals(40, image.getStackSize());
		assertEquals(0.8, image.getCalibration().pixelWidth, 1e-6);
		assertEquals(0.7, image.getCalibration().pixelHeight, 1e-6);
		assertEquals(2.5, image.getCalibration().pixelDepth, 1e-6);
		// the fixture (expected_series.tsv): voxel (0,0,0) at LPS (-25, -22, -60) with value -997,
		// axial slices, spacing 0.8 x 0.7 x 2.5
		Geometry expected = Geometry.ofLps(new double[][] { { 0.8, 0, 0, -25 }, { 0, 0.7, 0, -22 }, { 0, 0, 2.5, -60 }, { 0, 0, 0, 1 } });
		assertTrue(ImagePlusVolumes.geometryOf(image).equalsWithin(expected, 1e-4), ImagePlusVolumes.geometryOf(image).toString());
		assertEquals(-997, image.getStack().getProcessor(1).getf(0, 0), 0);
		OpenDicomSeriesCommand wrong = (OpenDicomSeriesCommand) run(OpenDicomSeriesCommand.class, "folder", folder.toFile(),
				"series", "9");
		assertTrue(wrong.error().contains("series") && wrong.error().contains("3: "), wrong.error());
	}

	@Test
	void saveLabelsWritesTheScansGeometry() throws Exception {
		ImagePlus labels = LabelImages.toImagePlus(phantom.labels(), List.of(), "m", "labels");
		Path out = tmp.resolve("saved_labels"); // no extension: .nii.gz is added
		SaveLabelsCommand cmd = (SaveLabelsCommand) run(SaveLabelsCommand.class, "labels", labels, "file", out.toFile());
		assertNull(cmd.error());
		assertEquals(tmp.resolve("saved_labels.nii.gz"), cmd.written());
		LoadedVolume back = VolumeIO.read(cmd.written());
		assertEquals("uint8", back.datatype());
		assertTrue(back.volume().geometry().equalsWithin(phantom.labels().geometry(), 1e-5));
		Cursor<FloatType> a = Views.flatIterable(back.volume().voxels()).cursor();
		Cursor<FloatType> b = Views.flatIterable(phantom.labels().voxels()).cursor();
		while (a.hasNext())
			assertEquals(b.next().get(), a.next().get(), 0);
	}

	@Test
	void batchSegmentFolderSkipsFinishedInputsAndReportsBadOnes() throws Exception {
		Path in = tmp.resolve("batch-in"), out = tmp.resolve("batch-out");
		Files.createDirectories(in);
		org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), in.resolve("a.nii.gz"));
		org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), in.resolve("b.nii"));
		byte[] whole = Files.readAllBytes(in.resolve("a.nii.gz"));
		Files.write(in.resolve("c_truncated.nii.gz"), java.util.Arrays.copyOf(whole, whole.length / 3));
		BatchSegmentFolderCommand first = (BatchSegmentFolderCommand) run(BatchSegmentFolderCommand.class, "input",
				in.toFile(), "output", out.toFile(), "model", FijiTestData.MODEL_NAME, "device", "cpu", "roi", "32,32,32");
		assertNull(first.error());
		assertEquals(2, first.report().done());
		assertEquals(1, first.report().failed());
		assertTrue(Files.exists(out.resolve("summary.csv")));
		ResultsTable table = first.table();
		assertEquals(3, table.size());
		for (int i = 0; i < 3; i++)
			if (table.getStringValue("Input", i).endsWith("c_truncated.nii.gz")) {
				assertEquals("failed", table.getStringValue("Status", i));
				assertTrue(table.getStringValue("Error", i).contains("c_truncated.nii.gz"), table.getStringValue("Error", i));
			} else {
				assertEquals("done", table.getStringValue("Status", i));
				assertArrayEqualsLabels(expected, VolumeIO.read(Path.of(table.getStringValue("Output", i))).volume());
			}
		BatchSegmentFolderCommand again = (BatchSegmentFolderCommand) run(BatchSegmentFolderCommand.class, "input",
				in.toFile(), "output", out.toFile(), "model", FijiTestData.MODEL_NAME, "device", "cpu", "roi", "32,32,32");
		assertEquals(2, again.report().skipped());
		assertEquals(0, again.report().done());
	}

	@Test
	void aStopRequestFinishesTheCurrentFileAndStartsNoOther() throws Exception {
		Path in = tmp.resolve("stop-in"), out = tmp.resolve("stop-out");
		Files.createDirectories(in);
		for (String name : List.of("a.nii.gz", "b.nii.gz", "c.nii.gz"))
			org.volseg.io.nifti.NiftiWriter.writeFloat32(phantom.image(), in.resolve(name));
		org.volseg.batch.BatchSettings settings = org.volseg.batch.BatchSettings.builder(in, out)
				.segmentation(FijiSettings.of("32,32,32", "", "", "cpu", 1, null)).build();
		org.volseg.batch.BatchReport report = FijiBatch.run(ModelCatalog.standard().list().get(0).folder(), settings,
				(text, f) -> {
				}, line -> {
				}, () -> true, new org.volseg.batch.BatchCancellation());
		assertTrue(report.stopped());
		assertEquals(1, report.done());
		assertEquals(List.of("a_labels.nii.gz"), java.util.Arrays.stream(out.toFile().list())
				.filter(n -> n.endsWith(".nii.gz")).sorted().toList());
	}

	// ---

	/** Runs a command and waits for it; see {@link FijiTestData#run}. */
	static Object run(Class<? extends org.scijava.command.Command> type, Object... inputs) throws Exception {
		return FijiTestData.run(context, type, inputs);
	}

	static void assertResults(ResultsTable table, List<LabelStatistics.Row> rows, Map<Integer, String> names) {
		assertEquals(rows.size(), table.size());
		for (int i = 0; i < rows.size(); i++) {
			LabelStatistics.Row r = rows.get(i);
			assertEquals(r.label(), table.getValue(LabelResults.LABEL, i), 0);
			assertEquals(names.get(r.label()), table.getStringValue(LabelResults.NAME, i));
			assertEquals(r.voxels(), table.getValue(LabelResults.VOXELS, i), 0);
			assertEquals(r.volumeMl(), table.getValue(LabelResults.VOLUME_ML, i), 1e-9);
			assertEquals(r.meanIntensity(), table.getValue(LabelResults.MEAN, i), 1e-9);
			assertEquals(r.sdIntensity(), table.getValue(LabelResults.SD, i), 1e-9);
		}
		assertTrue(rows.size() >= 2, "the phantom has soft tissue and bone");
	}

	static void assertArrayEqualsLabels(int[] expected, ImagePlus labels) {
		int n = labels.getWidth() * labels.getHeight();
		List<String> wrong = new ArrayList<>();
		for (int z = 0; z < labels.getStackSize(); z++) {
			byte[] plane = (byte[]) labels.getStack().getPixels(z + 1);
			for (int i = 0; i < n; i++)
				if ((plane[i] & 0xff) != expected[z * n + i] && wrong.size() < 5)
					wrong.add("voxel " + (z * n + i) + ": " + (plane[i] & 0xff) + " != " + expected[z * n + i]);
		}
		assertTrue(wrong.isEmpty(), wrong.toString());
	}

	static void assertArrayEqualsLabels(int[] expected, Volume labels) {
		Cursor<FloatType> c = Views.flatIterable(labels.voxels()).cursor();
		for (int i = 0; i < expected.length; i++)
			assertEquals(expected[i], c.next().get(), 0, "voxel " + i);
	}

	static boolean anyLabel(ImagePlus labels, int z) {
		for (byte b : (byte[]) labels.getStack().getPixels(z))
			if (b != 0)
				return true;
		return false;
	}
}
