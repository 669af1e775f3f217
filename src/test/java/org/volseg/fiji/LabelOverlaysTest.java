package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.volseg.sample.Phantom;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ImageProcessor;

class LabelOverlaysTest {

	static {
		System.setProperty("java.awt.headless", "true");
	}

	static Phantom phantom;
	static ImagePlus scan, labels;

	@BeforeAll
	static void images() {
		phantom = FijiTestData.phantom();
		scan = ImagePlusVolumes.toImagePlus(phantom.image(), "scan");
		scan.setDisplayRange(-200, 300);
		labels = LabelImages.toImagePlus(phantom.labels(), LabelImagesTest.CLASSES, "m", "labels");
	}

	@Test
	void filledOverlayBlendsTheClassColourAtTheOpacityAndLeavesBackgroundAlone() {
		Overlay overlay = FijiSegmentation.showOverlay(scan, labels, OverlayStyle.FILLED, 0.4);
		int z = 16;
		Roi roi = roiOn(overlay, z);
		assertTrue(roi instanceof ImageRoi);
		scan.setSliceWithoutUpdate(z);
		ImagePlus flat = scan.flatten();
		ImageProcessor gray = scan.getStack().getProcessor(z);
		gray.setMinAndMax(-200, 300);
		ImageProcessor grayBytes = gray.convertToByte(true);
		byte[] label = (byte[]) labels.getStack().getPixels(z);
		int[] rgb = (int[]) flat.getProcessor().getPixels();
		int checkedBackground = 0;
		int[] checkedLabels = new int[256];
		for (int i = 0; i < rgb.length; i++) {
			int g = grayBytes.get(i);
			int l = label[i] & 0xff;
			if (l == 0) {
				assertEquals(g, rgb[i] >> 16 & 255, 1, "background pixel " + i);
				assertEquals(g, rgb[i] & 255, 1);
				checkedBackground++;
			} else {
				int colour = LabelLuts.rgbOf(labels.getProcessor().getLut(), l);
				for (int shift : new int[] { 16, 8, 0 })
					assertEquals(0.6 * g + 0.4 * (colour >> shift & 255), rgb[i] >> shift & 255, 2.5, "label " + l + " pixel " + i);
				checkedLabels[l]++;
			}
		}
		assertTrue(checkedBackground > 100, "background pixels: " + checkedBackground);
		assertTrue(checkedLabels[1] > 100 && checkedLabels[4] > 10 && checkedLabels[6] > 10, "body, kidney, spine pixels");
		assertEquals(LabelImagesTest.CLASSES.get(2).rgb(), LabelLuts.rgbOf(labels.getProcessor().getLut(), 6));
		// every slice with labels has its roi on that slice
		for (int s = 1; s <= labels.getStackSize(); s++)
			assertEquals(hasLabels(s), roiOn(overlay, s) != null, "slice " + s);
	}

	@Test
	void outlinesEncloseExactlyEachLabelsPixels() {
		Overlay overlay = LabelOverlays.build(labels, OverlayStyle.OUTLINES, 1, LabelImages.namesOf(labels), false);
		int z = 16;
		byte[] label = (byte[]) labels.getStack().getPixels(z);
		Set<Integer> present = new HashSet<>();
		for (byte b : label)
			if (b != 0)
				present.add(b & 0xff);
		int found = 0;
		for (Roi roi : overlay) {
			if (roi.getPosition() != z)
				continue;
			found++;
			int l = labelOfName(roi.getName());
			assertTrue(present.contains(l), roi.getName());
			assertEquals(new java.awt.Color(ij.process.LUT.class.cast(labels.getProcessor().getLut()).getRGB(l) & 0xffffff),
					roi.getStrokeColor());
			Rectangle r = roi.getBounds();
			ImageProcessor mask = roi.getMask();
			for (int y = 0; y < labels.getHeight(); y++)
				for (int x = 0; x < labels.getWidth(); x++) {
					boolean inside = r.contains(x, y) && (mask == null || mask.get(x - r.x, y - r.y) != 0);
					assertEquals((label[y * labels.getWidth() + x] & 0xff) == l, inside, roi.getName() + " at " + x + "," + y);
				}
		}
		assertEquals(present.size(), found);
		assertTrue(found >= 3, "labels on slice " + z + ": " + present);
	}

	@Test
	void sixteenBitLabelsGetOutlinesAndSaveAsUint16() throws Exception {
		float[] v = new float[8 * 8 * 2];
		for (int y = 2; y < 5; y++)
			for (int x = 1; x < 6; x++)
				v[y * 8 + x] = 300; // a 5 x 3 block of label 300 on slice 1
		v[64 + 7] = 2; // one voxel of label 2 on slice 2
		org.volseg.volume.Volume big = new org.volseg.volume.Volume(net.imglib2.img.array.ArrayImgs.floats(v, 8, 8, 2),
				org.volseg.volume.Geometry.ofSpacing(0.5, 0.5, 2));
		ImagePlus image = LabelImages.toImagePlus(big, java.util.List.of(), null, "big");
		Overlay overlay = LabelOverlays.build(image, OverlayStyle.OUTLINES, 1, java.util.Map.of(300, "tumour"), false);
		assertEquals(2, overlay.size());
		Roi tumour = overlay.get(0);
		assertEquals("tumour z=1", tumour.getName());
		assertEquals(new Rectangle(1, 2, 5, 3), tumour.getBounds());
		assertEquals("label 2 z=2", overlay.get(1).getName());
		assertEquals(2, overlay.get(1).getPosition());
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("volseg-labels");
		java.nio.file.Path out = LabelFiles.save(image, dir.resolve("big.nii"));
		org.volseg.io.LoadedVolume back = org.volseg.io.VolumeIO.read(out);
		assertEquals("uint16", back.datatype());
		assertEquals(300, back.volume().voxels().getAt(3, 3, 0).get(), 0);
		assertEquals(2, back.volume().voxels().getAt(7, 0, 1).get(), 0);
		assertTrue(back.volume().geometry().equalsWithin(big.geometry(), 1e-9));
		assertEquals(java.util.List.of("big.nii"), java.util.Arrays.asList(dir.toFile().list()), "no temporary file left");
	}

	@Test
	void noneRemovesTheOverlay() {
		FijiSegmentation.showOverlay(scan, labels, OverlayStyle.OUTLINES, 1);
		assertNotNull(scan.getOverlay());
		assertNull(FijiSegmentation.showOverlay(scan, labels, OverlayStyle.NONE, 1));
		assertNull(scan.getOverlay());
	}

	private static int labelOfName(String name) {
		// "<class name> z=<slice>"; names come from LabelImagesTest.CLASSES or "label <n>"
		String n = name.substring(0, name.lastIndexOf(" z="));
		for (var c : LabelImagesTest.CLASSES)
			if (c.name().equals(n))
				return c.label();
		return Integer.parseInt(n.substring("label ".length()));
	}

	private static boolean hasLabels(int z) {
		for (byte b : (byte[]) labels.getStack().getPixels(z))
			if (b != 0)
				return true;
		return false;
	}

	private static Roi roiOn(Overlay overlay, int z) {
		for (Roi r : overlay)
			if (r.getPosition() == z)
				return r;
		return null;
	}
}
