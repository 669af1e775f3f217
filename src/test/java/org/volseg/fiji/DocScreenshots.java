package org.volseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.Device;
import org.volseg.model.SegmentationClass;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.Phantom;
import org.volseg.sample.PhantomLabels;

import ij.ImagePlus;
import ij.measure.ResultsTable;

/**
 * Renders the pictures of docs/fiji.md from the real code, headless: a phantom CT segmented by
 * {@link FijiSegmentation} with the test network (filled and outline overlays, flattened), and the
 * phantom's reference organ labels drawn by {@link LabelOverlays}. Not a test; run with
 * {@code java -cp <test class path> org.volseg.fiji.DocScreenshots docs/images}.
 */
public final class DocScreenshots {

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
		Files.createDirectories(out);
		Phantom phantom = AbdominalPhantomGenerator.ofSize(256, 256, 48).generate(11);
		Path tmp = Files.createTempDirectory("volseg-doc");
		Path model = FijiTestData.model(tmp, phantom.image());
		ImagePlus scan = ImagePlusVolumes.toImagePlus(phantom.image(), "phantom11.nii.gz");
		int z = 24;
		try (Segmenter segmenter = Segmenter.load(model, new EngineOptions(Device.CPU, 0, 2))) {
			FijiSegmentation.Outcome outcome = FijiSegmentation.segment(segmenter, scan,
					SegmentationSettings.builder().roi(64, 64, 32).build(), SegmentationListener.none(), () -> false);
			save(scan, outcome.labels(), OverlayStyle.FILLED, 0.4, z, out.resolve("fiji-overlay-filled.png"));
			save(scan, outcome.labels(), OverlayStyle.OUTLINES, 1, z, out.resolve("fiji-overlay-outlines.png"));
			print(outcome.results());
		}
		List<SegmentationClass> organs = List.of(new SegmentationClass(PhantomLabels.BODY, "body", 90, 90, 200),
				new SegmentationClass(PhantomLabels.LIVER, "liver", 220, 80, 60),
				new SegmentationClass(PhantomLabels.SPLEEN, "spleen", 160, 80, 200),
				new SegmentationClass(PhantomLabels.RIGHT_KIDNEY, "right kidney", 240, 200, 60),
				new SegmentationClass(PhantomLabels.LEFT_KIDNEY, "left kidney", 60, 200, 120),
				new SegmentationClass(PhantomLabels.SPINE, "spine", 240, 240, 240));
		ImagePlus reference = LabelImages.toImagePlus(phantom.labels(), organs, "phantom reference", "reference");
		save(scan, reference, OverlayStyle.OUTLINES, 1, z, out.resolve("fiji-organ-outlines.png"));
		save(scan, reference, OverlayStyle.FILLED, 0.45, z, out.resolve("fiji-organ-filled.png"));
	}

	private static void save(ImagePlus scan, ImagePlus labels, OverlayStyle style, double opacity, int z, Path png)
			throws Exception {
		FijiSegmentation.showOverlay(scan, labels, style, opacity);
		scan.setDisplayRange(-160, 240); // abdomen window: level 40, width 400 HU
		scan.setSliceWithoutUpdate(z);
		ImagePlus flat = scan.flatten();
		ImageIO.write(flat.getBufferedImage(), "png", png.toFile());
		System.out.println("wrote " + png);
	}

	private static void print(ResultsTable t) {
		System.out.println("| Label | Name | Voxels | Volume (mL) | Mean | SD |");
		System.out.println("| ---: | --- | ---: | ---: | ---: | ---: |");
		for (int i = 0; i < t.size(); i++)
			System.out.printf(Locale.ROOT, "| %.0f | %s | %.0f | %.1f | %.1f | %.1f |%n", t.getValue(LabelResults.LABEL, i),
					t.getStringValue(LabelResults.NAME, i), t.getValue(LabelResults.VOXELS, i),
					t.getValue(LabelResults.VOLUME_ML, i), t.getValue(LabelResults.MEAN, i), t.getValue(LabelResults.SD, i));
	}
}
