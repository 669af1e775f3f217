package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

class ImagePlusVolumesTest {

	private static final double[][] OBLIQUE = { { 0.8, 0.1, 0, -100.5 }, { -0.1, 0.8, 0.05, 20.25 },
			{ 0, 0, 2.5, 33 }, { 0, 0, 0, 1 } };

	@Test
	void floatImageIsWrappedWithoutCopying() {
		ImagePlus image = IJ.createImage("scan", "32-bit black", 5, 4, 3);
		Volume volume = ImagePlusVolumes.toVolume(image);
		assertArrayEquals(new long[] { 5, 4, 3 }, volume.dimensions());
		RandomAccess<FloatType> access = volume.voxels().randomAccess();
		access.setPosition(new long[] { 2, 1, 2 });
		access.get().set(42f);
		assertEquals(42f, image.getStack().getProcessor(3).getf(2, 1));
	}

	@Test
	void volumeIsShownWithoutCopyingAndKeepsItsAffine() {
		Volume volume = Volume.allocate(Geometry.ofLps(OBLIQUE), 6, 5, 4);
		ImagePlus image = ImagePlusVolumes.toImagePlus(volume, "labels");
		image.getStack().getProcessor(4).setf(5, 4, 7f);
		RandomAccess<FloatType> access = volume.voxels().randomAccess();
		access.setPosition(new long[] { 5, 4, 3 });
		assertEquals(7f, access.get().get());
		Volume back = ImagePlusVolumes.toVolume(image);
		assertTrue(back.geometry().equalsWithin(volume.geometry(), 1e-12));
		assertEquals("mm", image.getCalibration().getUnit());
		assertEquals(Math.hypot(0.05, 2.5), image.getCalibration().pixelDepth, 1e-12);
	}

	@Test
	void channelsMapToTheFourthDimension() {
		int w = 3, h = 2, slices = 4, channels = 2;
		ImageStack stack = new ImageStack(w, h);
		for (int z = 0; z < slices; z++)
			for (int c = 0; c < channels; c++) {
				FloatProcessor fp = new FloatProcessor(w, h);
				fp.setf(1, 1, 10 * c + z);
				stack.addSlice(fp);
			}
		ImagePlus image = new ImagePlus("multi", stack);
		image.setDimensions(channels, slices, 1);
		Volume volume = ImagePlusVolumes.toVolume(image);
		assertArrayEquals(new long[] { w, h, slices, channels }, volume.dimensions());
		RandomAccess<FloatType> access = volume.voxels().randomAccess();
		for (int z = 0; z < slices; z++)
			for (int c = 0; c < channels; c++) {
				access.setPosition(new long[] { 1, 1, z, c });
				assertEquals(10 * c + z, access.get().get());
			}
		ImagePlus shown = ImagePlusVolumes.toImagePlus(volume, "again");
		assertEquals(channels, shown.getNChannels());
		assertEquals(slices, shown.getNSlices());
		assertEquals(13f, shown.getStack().getProcessor(shown.getStackIndex(2, 4, 1)).getf(1, 1));
	}

	@Test
	void signed16BitImagesReadThroughTheirCalibration() {
		ShortProcessor sp = new ShortProcessor(2, 1);
		sp.set(0, 0, 32768 - 1000); // -1000 HU stored with ImageJ's signed offset
		sp.set(1, 0, 32768 + 40);
		ImagePlus image = new ImagePlus("ct", sp);
		Calibration cal = image.getCalibration();
		cal.setSigned16BitCalibration();
		cal.pixelWidth = 0.7;
		cal.pixelHeight = 0.7;
		cal.pixelDepth = 3;
		Volume volume = ImagePlusVolumes.toVolume(image);
		RandomAccess<FloatType> access = volume.voxels().randomAccess();
		access.setPosition(new long[] { 0, 0, 0 });
		assertEquals(-1000f, access.get().get());
		access.setPosition(new long[] { 1, 0, 0 });
		assertEquals(40f, access.get().get());
		assertArrayEquals(new double[] { 0.7, 0.7, 3 }, volume.geometry().spacing(), 1e-12);
	}

	@Test
	void calibrationChangedAfterOpeningWinsOverTheStoredAffine() {
		Volume volume = Volume.allocate(Geometry.ofLps(OBLIQUE), 2, 2, 2);
		ImagePlus image = ImagePlusVolumes.toImagePlus(volume, "scan");
		image.getCalibration().pixelWidth = 3;
		assertEquals(3, ImagePlusVolumes.geometryOf(image).spacing()[0], 1e-12);
	}

	@Test
	void rgbAndTimeSeriesAreRefusedByName() {
		ImagePlus rgb = IJ.createImage("photo", "RGB black", 4, 4, 1);
		VolSegException e = assertThrows(VolSegException.class, () -> ImagePlusVolumes.toVolume(rgb));
		assertTrue(e.getMessage().contains("photo"), e.getMessage());
		ImagePlus movie = IJ.createImage("movie", "32-bit black", 4, 4, 3);
		movie.setDimensions(1, 1, 3);
		assertThrows(VolSegException.class, () -> ImagePlusVolumes.toVolume(movie));
	}

	@Test
	void affineSurvivesTheTextProperty() {
		Geometry g = Geometry.ofLps(OBLIQUE);
		assertTrue(ImagePlusVolumes.parseAffine(ImagePlusVolumes.formatAffine(g.affineLps()), "t").equals(g));
	}
}
