package org.volseg.fiji;

import java.nio.file.Files;
import java.nio.file.Path;

import org.volseg.io.VolumeIO;
import org.volseg.volume.Volume;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;

/**
 * Makes the screenshots of the correction loop in docs/fiji.md with real ImageJ 1 windows: run
 * under a virtual screen ({@code Xvfb :99 -screen 0 1280x800x24}, {@code DISPLAY=:99}) with
 * ImageMagick's {@code import}; not a test. Arguments: the output folder (docs/images).
 */
public final class LoopScreenshots {

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args.length > 0 ? args[0] : "docs/images");
		Files.createDirectories(out);
		new ImageJ();
		IJ.getInstance().setLocation(0, 0);
		Path tmp = Files.createTempDirectory("volseg-shots");
		ImagePlus scan = DicomSeriesChooser.open(Path.of("sample-volumes", "case000_dicom"),
				DicomSeriesChooser.choose(DicomSeriesChooser.scan(Path.of("sample-volumes", "case000_dicom")), "main"));
		scan.setDisplayRange(-160, 240);
		scan.show();
		IJ.run(scan, "Set... ", "zoom=300 x=64 y=64");
		scan.getWindow().setLocation(0, 90);
		Volume truth = VolumeIO.read(Path.of("sample-volumes", "case000_labels.nii.gz")).volume();
		ImagePlus labels = LabelImages.toImagePlus(truth.withGeometry(ImagePlusVolumes.geometryOf(scan)),
				org.volseg.model.DescriptorReader.read(Path.of("sample-volumes/models/volseg-phantom-unetr/rdf.yaml")).volseg()
						.classes(), "volseg-phantom-unetr", "case000-labels");
		FijiSeg.linkToScan(labels, scan);
		labels.show();
		IJ.run(labels, "Set... ", "zoom=300 x=64 y=64");
		labels.getWindow().setLocation(420, 90);
		labels.setSlice(36);
		scan.setSlice(36);
		// a correction with ImageJ's tools: a freehand-like polygon filled with the spleen label (3)
		Roi roi = new ij.gui.PolygonRoi(new int[] { 30, 48, 52, 40, 28 }, new int[] { 60, 56, 74, 84, 76 }, 5, Roi.POLYGON);
		labels.setRoi(roi);
		IJ.wait(1500);
		shot(out.resolve("fiji-loop-edit.png"));
		ImageProcessor ip = labels.getStack().getProcessor(36);
		ip.setValue(3);
		ip.fill(roi);
		labels.deleteRoi();
		labels.updateAndDraw();
		Path seg = tmp.resolve("case000-corrected.seg.dcm");
		FijiSeg.save(labels, null, seg);
		FijiSeg.Opened opened = FijiSeg.open(seg, scan);
		FijiSegmentation.showOverlay(scan, opened.labels(), OverlayStyle.FILLED, 0.45);
		scan.updateAndDraw();
		opened.results().show(LabelResults.TITLE);
		java.awt.Window w = ij.WindowManager.getWindow(LabelResults.TITLE);
		if (w != null)
			w.setBounds(0, 520, 700, 200);
		IJ.wait(1500);
		shot(out.resolve("fiji-loop-seg-reopened.png"));
		System.exit(0);
	}

	private static void shot(Path png) throws Exception {
		Process p = new ProcessBuilder("import", "-window", "root", "-crop", "830x730+0+0", "-resize", "75%",
				"-colors", "128", png.toString()).inheritIO().start();
		p.waitFor();
	}
}
