package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.model.SegmentationClass;
import org.volseg.sample.Phantom;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import ij.ImagePlus;
import ij.process.LUT;
import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class LabelImagesTest {

	static final List<SegmentationClass> CLASSES = List.of(new SegmentationClass(1, "body", 200, 150, 120),
			new SegmentationClass(2, "liver", 180, 40, 40), new SegmentationClass(6, "spine", 240, 240, 220));

	@Test
	void labelImageKeepsValuesGeometryColoursAndNames() {
		Phantom p = FijiTestData.phantom();
		ImagePlus image = LabelImages.toImagePlus(p.labels(), CLASSES, "phantom model", "case-labels");
		assertEquals(8, image.getBitDepth());
		assertEquals(32, image.getStackSize());
		Cursor<FloatType> c = Views.flatIterable(p.labels().voxels()).cursor();
		for (int z = 1; z <= 32; z++) {
			byte[] plane = (byte[]) image.getStack().getPixels(z);
			for (byte b : plane)
				assertEquals(Math.round(c.next().get()), b & 0xff);
		}
		// geometry: the same affine back
		assertTrue(ImagePlusVolumes.geometryOf(image).equalsWithin(p.labels().geometry(), 1e-9));
		assertEquals(p.labels().geometry().spacing()[0], image.getCalibration().pixelWidth, 1e-12);
		// colours: model colours where given, black background, other labels coloured and distinct
		LUT lut = image.getProcessor().getLut();
		assertEquals(0x000000, LabelLuts.rgbOf(lut, 0));
		assertEquals(CLASSES.get(1).rgb(), LabelLuts.rgbOf(lut, 2));
		assertEquals(CLASSES.get(2).rgb(), LabelLuts.rgbOf(lut, 6));
		assertTrue(LabelLuts.rgbOf(lut, 3) != 0 && LabelLuts.rgbOf(lut, 3) != LabelLuts.rgbOf(lut, 4));
		assertEquals(0, image.getDisplayRangeMin());
		assertEquals(255, image.getDisplayRangeMax());
		// classes travel with the image
		assertEquals(CLASSES, LabelImages.classesOf(image));
		assertEquals("liver", LabelImages.namesOf(image).get(2));
		assertEquals("phantom model", image.getProp(LabelImages.MODEL_PROPERTY));
	}

	@Test
	void labelsAbove255Give16Bit() {
		float[] v = { 0, 1, 300, 65535, 2, 0, 0, 7 };
		Volume labels = new Volume(ArrayImgs.floats(v, 2, 2, 2), Geometry.identity());
		ImagePlus image = LabelImages.toImagePlus(labels, List.of(), null, "big");
		assertEquals(16, image.getBitDepth());
		short[] z0 = (short[]) image.getStack().getPixels(1), z1 = (short[]) image.getStack().getPixels(2);
		assertArrayEquals(new int[] { 0, 1, 300, 65535, 2, 0, 0, 7 }, new int[] { z0[0] & 0xffff, z0[1] & 0xffff,
				z0[2] & 0xffff, z0[3] & 0xffff, z1[0] & 0xffff, z1[1] & 0xffff, z1[2] & 0xffff, z1[3] & 0xffff });
	}

	@Test
	void nonLabelValuesAreRefusedWithTheImageName() {
		Volume labels = new Volume(ArrayImgs.floats(new float[] { 0, 1.5f, 0, 0, 0, 0, 0, 0 }, 2, 2, 2), Geometry.identity());
		VolSegException e = assertThrows(VolSegException.class, () -> LabelImages.toImagePlus(labels, List.of(), null, "probs"));
		assertTrue(e.getMessage().contains("'probs'") && e.getMessage().contains("1.5"), e.getMessage());
	}
}
