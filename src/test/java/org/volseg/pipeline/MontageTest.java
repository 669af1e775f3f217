package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.io.VolumeIO;
import org.volseg.volume.Reorient;
import org.volseg.volume.Volume;

class MontageTest {

	private static final Path SAMPLES = Path.of("sample-volumes");
	private static final int LIVER = 2, LIVER_RGB = 0xff0000;

	@Test
	void liverOfTheSamplePhantomShowsOnTheImageLeftInItsColour(@TempDir Path dir) throws Exception {
		Volume scan = VolumeIO.read(SAMPLES.resolve("case000_image.nii.gz")).volume();
		Volume labels = VolumeIO.read(SAMPLES.resolve("case000_labels.nii.gz")).volume();
		Montage montage = new Montage(1, 1, 128);
		Map<Integer, Integer> colours = Map.of(1, 0x00ff00, LIVER, LIVER_RGB, 3, 0x0000ff, 4, 0x00ffff, 5, 0xffff00,
				6, 0xff00ff);
		BufferedImage image = montage.render(scan, labels, colours);
		long redLeft = 0, redRight = 0;
		for (int y = 0; y < image.getHeight(); y++)
			for (int x = 0; x < image.getWidth(); x++) {
				int rgb = image.getRGB(x, y);
				int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
				if (r > g + 60 && r > b + 60) {
					if (x < image.getWidth() / 2)
						redLeft++;
					else
						redRight++;
				}
			}
		// Radiological display: the patient's right (where the liver is) on the image's left.
		assertTrue(redLeft > 100 && redLeft > 10 * redRight, "liver pixels left " + redLeft + ", right " + redRight);

		Path png = dir.resolve("montage.png");
		Montage.standard().write(scan, labels, Map.of(LIVER, LIVER_RGB), png);
		BufferedImage back = ImageIO.read(png.toFile());
		assertEquals(4 * 256, back.getWidth());
		try (var files = Files.list(dir)) {
			assertEquals(1, files.count(), "no temporary file left");
		}
	}

	@Test
	void unlabelledVoxelsStayGreyAndTheWindowFollowsTheScan() throws Exception {
		Volume scan = VolumeIO.read(SAMPLES.resolve("case000_image.nii.gz")).volume();
		assertArrayEquals(new double[] { -160, 240 }, Montage.window(scan.channel(0)), 0);
		Volume mri = VolumeIO.read(SAMPLES.resolve("KmeansTest_T1UCharRaw.nii.gz")).volume();
		double[] window = Montage.window(mri.channel(0));
		assertTrue(window[0] >= 0 && window[1] <= 255 && window[1] > window[0], window[0] + ".." + window[1]);
		Volume empty = Volume.allocate(scan.geometry(), scan.dimensions());
		BufferedImage image = new Montage(2, 1, 64).render(scan, empty, Map.of());
		for (int y = 0; y < image.getHeight(); y += 7)
			for (int x = 0; x < image.getWidth(); x += 7) {
				int rgb = image.getRGB(x, y);
				assertEquals(rgb >> 16 & 0xff, rgb & 0xff, "grey at " + x + "," + y);
			}
	}

	@Test
	void slicesSpanTheLabelledRange() throws Exception {
		Volume labels = VolumeIO.read(SAMPLES.resolve("case000_labels.nii.gz")).volume();
		long[] range = Montage.labelledZRange(Reorient.to(labels, "LPS").channel(0));
		assertTrue(range[0] >= 0 && range[1] < labels.dimension(2) && range[0] < range[1]);
	}
}
