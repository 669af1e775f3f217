package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.volseg.runtime.EngineOptions;
import org.volseg.io.VolumeIO;
import org.volseg.io.dicom.DicomSegmentation;
import org.volseg.io.dicom.SegReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelInstaller;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * The correction loop through SciJava commands, headless: a label image of the sample CT's DICOM
 * series, edited with ImageJ's tools, saved as DICOM SEG (with the demo model's SNOMED CT codes)
 * and opened back onto the scan; and "Fine-tune Model..." on a phantom case whose ground truth
 * stands for the user's corrections: the new model is installed under a name saying where it came
 * from, and its Dice on that case is higher than the demo model's.
 */
class FijiSegAndFineTuneTest {

	private static final Path DEMO = Path.of("sample-volumes", "models", "volseg-phantom-unetr");

	@TempDir
	static Path tmp;

	static Context context;

	@BeforeAll
	static void setUp() {
		context = FijiTestData.commandContext(tmp);
		ModelInstaller.install(DEMO, tmp.resolve("user-models"), false);
	}

	@AfterAll
	static void tearDown() {
		FijiTestData.close(context);
	}

	static Object run(Class<? extends org.scijava.command.Command> type, Object... inputs) throws Exception {
		return FijiTestData.run(context, type, inputs);
	}

	@Test
	void anEditedLabelImageSavedAsSegOpensBackOntoTheScan() throws Exception {
		OpenDicomSeriesCommand open = (OpenDicomSeriesCommand) run(OpenDicomSeriesCommand.class, "folder",
				Path.of("sample-volumes", "case000_dicom").toFile(), "series", "main");
		assertNull(open.error());
		ImagePlus scan = open.image();
		Volume truth = VolumeIO.read(Path.of("sample-volumes", "case000_labels.nii.gz")).volume();
		ImagePlus labels = LabelImages.toImagePlus(truth.withGeometry(ImagePlusVolumes.geometryOf(scan)),
				org.volseg.model.DescriptorReader.read(DEMO.resolve("rdf.yaml")).volseg().classes(), "volseg-phantom-unetr",
				"case000-labels");
		FijiSeg.linkToScan(labels, scan);
		// the user paints spleen (3) into a rectangle of slice 30 with ImageJ's tools
		ImageProcessor slice = labels.getStack().getProcessor(30);
		slice.setValue(3);
		slice.fill(new Roi(10, 10, 20, 15));
		Path seg = tmp.resolve("edited.seg.dcm");
		SaveSegCommand save = (SaveSegCommand) run(SaveSegCommand.class, "labels", labels, "file", seg.toFile());
		assertNull(save.error());
		assertEquals(seg, save.written());
		DicomSegmentation read = SegReader.read(seg);
		assertEquals("10200004", read.segments().get(1).type().value(), "liver coded as the installed model declares");
		assertEquals("liver", read.segments().get(1).name());

		OpenSegCommand reopen = (OpenSegCommand) run(OpenSegCommand.class, "file", seg.toFile(), "scan", scan);
		assertNull(reopen.error());
		ImagePlus back = reopen.labels();
		long differ = 0;
		for (int z = 1; z <= labels.getStackSize(); z++) {
			ImageProcessor a = labels.getStack().getProcessor(z), b = back.getStack().getProcessor(z);
			for (int i = 0; i < a.getPixelCount(); i++)
				if (a.get(i) != b.get(i))
					differ++;
		}
		assertEquals(0, differ, "the edited labels come back voxel for voxel");
		assertEquals(3, back.getStack().getProcessor(30).get(15, 15));
		assertNotNull(scan.getOverlay(), "the labels are overlaid on the scan");
		assertEquals(6, reopen.results().size());
		assertEquals("spleen", reopen.results().getStringValue(LabelResults.NAME, 2));
	}

	@Test
	void fineTuningOnCorrectedLabelsInstallsAModelThatScoresHigherThere() throws Exception {
		Volume image = VolumeIO.read(Path.of("sample-volumes", "case001_image.nii.gz")).volume();
		Volume corrected = VolumeIO.read(Path.of("sample-volumes", "case001_labels.nii.gz")).volume();
		double before = meanDice(segment(DEMO, image), corrected);
		Path images = Files.createDirectories(tmp.resolve("images")), labels = Files.createDirectories(tmp.resolve("labels"));
		NiftiWriter.writeFloat32(image, images.resolve("case001.nii.gz"));
		NiftiWriter.writeLabels(corrected, labels.resolve("case001.nii.gz"));
		FineTuneCommand ft = (FineTuneCommand) run(FineTuneCommand.class, "model", "volseg-phantom-unetr", "images_folder",
				images.toFile(), "labels_folder", labels.toFile(), "steps", 30, "learning_rate", 2e-4);
		assertNull(ft.error());
		String name = ft.result().name();
		assertTrue(name.matches("volseg-phantom-unetr-finetuned-\\d{4}-\\d{2}-\\d{2}-\\d{4}"), name);
		List<String> installed = ModelCatalog.standard().list().stream().map(ModelCatalog.InstalledModel::name).toList();
		assertTrue(installed.contains(name), installed.toString());
		double after = meanDice(segment(ft.result().installed(), image), corrected);
		System.out.printf("FijiSegAndFineTuneTest: mean foreground Dice on case001 %.4f before, %.4f after fine-tuning%n",
				before, after);
		assertTrue(after > before, "Dice " + after + " after vs " + before + " before");
	}

	private static Volume segment(Path model, Volume scan) {
		try (Segmenter s = Segmenter.load(model, EngineOptions.defaults())) {
			return s.segment(scan, SegmentationSettings.defaults(), new SegmentationListener() { }, () -> false).labels();
		}
	}

	/** Mean Dice over the labels 1..6. */
	static double meanDice(Volume prediction, Volume truth) {
		long[] inter = new long[7], sumP = new long[7], sumT = new long[7];
		Cursor<FloatType> p = Views.flatIterable(prediction.voxels()).cursor(), t = Views.flatIterable(truth.voxels()).cursor();
		while (p.hasNext()) {
			int a = Math.round(p.next().get()), b = Math.round(t.next().get());
			sumP[a]++;
			sumT[b]++;
			if (a == b)
				inter[a]++;
		}
		double sum = 0;
		for (int k = 1; k <= 6; k++)
			sum += 2.0 * inter[k] / (sumP[k] + sumT[k]);
		return sum / 6;
	}
}
