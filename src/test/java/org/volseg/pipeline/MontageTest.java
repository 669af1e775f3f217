package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

	/**
	 * The rendering works out each distinct source voxel's colour once and copies it to its pixels; the
	 * picture must equal pixel for pixel the plain per-pixel rendering it replaced (kept here as the
	 * reference): upsampled (256-pixel tiles of a 128-voxel scan), downsampled (48-pixel tiles), with
	 * labels the colour map lacks (palette colours).
	 */
	@Test
	void renderingEqualsThePerPixelReference() throws Exception {
		Volume scan = VolumeIO.read(SAMPLES.resolve("case000_image.nii.gz")).volume();
		Volume labels = VolumeIO.read(SAMPLES.resolve("case000_labels.nii.gz")).volume();
		Map<Integer, Integer> colours = Map.of(LIVER, LIVER_RGB, 3, 0x0000ff);
		// the tiles of 16 pixels have slice numbers wider than themselves: each stops at its tile's edge, as
		// when the tile to its right was painted over it; the label map as read, and kept as bytes
		for (Volume l : List.of(labels, keptAsBytes(labels)))
			for (Montage m : new Montage[] { Montage.standard(), new Montage(3, 2, 48), new Montage(1, 1, 200), new Montage(5, 4, 16) }) {
				BufferedImage fast = m.render(scan, l, colours);
				BufferedImage reference = reference(m, scan, labels, colours);
				assertEquals(reference.getWidth(), fast.getWidth());
				assertEquals(reference.getHeight(), fast.getHeight());
				long coloured = 0;
				for (int y = 0; y < fast.getHeight(); y++)
					for (int x = 0; x < fast.getWidth(); x++) {
						assertEquals(reference.getRGB(x, y), fast.getRGB(x, y), "pixel " + x + "," + y);
						int rgb = fast.getRGB(x, y);
						coloured += (rgb >> 16 & 0xff) != (rgb & 0xff) ? 1 : 0;
					}
				assertTrue(coloured > 100, "labels show: " + coloured + " coloured pixels");
			}
	}

	/** A label map kept as unsigned bytes (as the segmenter makes them) with the same voxels. */
	static Volume keptAsBytes(Volume labels) {
		var bytes = org.volseg.volume.IntegerVoxels.allocateUnsignedBytes(labels.dimensions());
		var c = net.imglib2.view.Views.flatIterable(bytes.stored()).cursor();
		for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(labels.voxels()))
			c.next().setReal(v.get());
		return new Volume(bytes, labels.geometry());
	}

	/** The rendering as it was before (one random access and one colour lookup per pixel). */
	private static BufferedImage reference(Montage m, Volume scan, Volume labels, Map<Integer, Integer> colours) throws Exception {
		java.lang.reflect.Field cf = Montage.class.getDeclaredField("columns"), rf = Montage.class.getDeclaredField("rows"),
				tf = Montage.class.getDeclaredField("tileWidth");
		cf.setAccessible(true);
		rf.setAccessible(true);
		tf.setAccessible(true);
		int columns = cf.getInt(m), rows = rf.getInt(m), tileWidth = tf.getInt(m);
		Volume s = Reorient.to(scan, "LPS"), l = Reorient.to(labels, "LPS");
		var image = s.channel(0);
		var labelImage = l.channel(0);
		long nx = image.dimension(0), ny = image.dimension(1);
		double[] spacing = s.geometry().spacing();
		int tileHeight = Math.max(1, (int) Math.round(tileWidth * (ny * spacing[1]) / (nx * spacing[0])));
		double[] window = Montage.window(image);
		long[] zRange = Montage.labelledZRange(labelImage);
		BufferedImage out = new BufferedImage(columns * tileWidth, rows * tileHeight, BufferedImage.TYPE_INT_RGB);
		java.awt.Graphics2D g = out.createGraphics();
		g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, Math.max(10, tileWidth / 20)));
		int[] palette = { 0xe6194b, 0x3cb44b, 0xffe119, 0x4363d8, 0xf58231, 0x911eb4, 0x46f0f0, 0xf032e6, 0xbcf60c, 0xfabebe,
				0x008080, 0xe6beff, 0x9a6324, 0xfffac8, 0x800000 };
		int tiles = columns * rows;
		var ia = image.randomAccess();
		var la = labelImage.randomAccess();
		for (int t = 0; t < tiles; t++) {
			long z = tiles == 1 ? (zRange[0] + zRange[1]) / 2
					: zRange[0] + Math.round((double) t * (zRange[1] - zRange[0]) / (tiles - 1));
			int ox = (t % columns) * tileWidth, oy = (t / columns) * tileHeight;
			for (int py = 0; py < tileHeight; py++) {
				long y = Math.min(ny - 1, (long) ((py + 0.5) * ny / tileHeight));
				for (int px = 0; px < tileWidth; px++) {
					long x = Math.min(nx - 1, (long) ((px + 0.5) * nx / tileWidth));
					ia.setPosition(x, 0);
					ia.setPosition(y, 1);
					ia.setPosition(z, 2);
					la.setPosition(ia);
					double v = (ia.get().get() - window[0]) / (window[1] - window[0]);
					int grey = (int) Math.round(255 * Math.max(0, Math.min(1, v)));
					grey = grey << 16 | grey << 8 | grey;
					int label = Math.round(la.get().get()), rgb = grey;
					if (label > 0) {
						int c = colours.getOrDefault(label, palette[(label - 1) % palette.length]);
						int r = mix(grey >> 16 & 0xff, c >> 16 & 0xff), gr = mix(grey >> 8 & 0xff, c >> 8 & 0xff),
								b = mix(grey & 0xff, c & 0xff);
						rgb = r << 16 | gr << 8 | b;
					}
					out.setRGB(ox + px, oy + py, rgb);
				}
			}
			g.setColor(java.awt.Color.WHITE);
			g.drawString("z " + z, ox + 4, oy + g.getFontMetrics().getAscent() + 2);
		}
		g.dispose();
		return out;
	}

	private static int mix(int under, int over) {
		return (int) Math.round(under * (1 - Montage.DEFAULT_OPACITY) + over * Montage.DEFAULT_OPACITY);
	}

	/** The window's strided sample is visited directly; it must pick the voxels the flat walk picked. */
	@Test
	void windowSamplesTheSameVoxelsAsTheFlatWalk() throws Exception {
		Volume mri = VolumeIO.read(SAMPLES.resolve("KmeansTest_T1UCharRaw.nii.gz")).volume();
		Volume ct = VolumeIO.read(SAMPLES.resolve("case000_image.nii.gz")).volume();
		for (var image : List.of(mri.channel(0), Reorient.to(mri, "LPS").channel(0), Reorient.to(mri, "RAI").channel(0),
				net.imglib2.view.Views.interval(ct.channel(0), new long[] { 5, 7, 3 }, new long[] { 120, 100, 40 }))) {
			long n = image.dimension(0) * image.dimension(1) * image.dimension(2);
			int stride = (int) Math.max(1, n / 200_000);
			float[] sample = new float[(int) ((n + stride - 1) / stride)];
			int k = 0;
			long i = 0;
			for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(image))
				if (i++ % stride == 0 && k < sample.length)
					sample[k++] = v.get();
			float[] sorted = java.util.Arrays.copyOf(sample, k);
			java.util.Arrays.sort(sorted);
			double lo = sorted[(int) (0.005 * (k - 1))], hi = sorted[(int) (0.995 * (k - 1))];
			double[] expected = sorted[0] < -500 ? new double[] { -160, 240 } : hi > lo ? new double[] { lo, hi }
					: new double[] { lo, lo + 1 };
			assertArrayEquals(expected, Montage.window(image), 0);
		}
	}

	/** The labelled z range read from the arrays equals the one read through a view (random access per voxel). */
	@Test
	void labelledZRangeFromTheArraysEqualsTheViewsRange() throws Exception {
		Volume labels = VolumeIO.read(SAMPLES.resolve("case000_labels.nii.gz")).volume();
		Volume copy = Volume.allocate(labels.geometry(), labels.dimensions());
		var c = net.imglib2.view.Views.flatIterable(copy.voxels()).cursor();
		for (net.imglib2.type.numeric.real.FloatType v : net.imglib2.view.Views.flatIterable(labels.voxels()))
			c.next().set(v.get());
		// only slices 20..30 keep labels
		for (net.imglib2.Cursor<net.imglib2.type.numeric.real.FloatType> k = net.imglib2.view.Views.flatIterable(copy.voxels())
				.localizingCursor(); k.hasNext();) {
			k.fwd();
			if (k.getLongPosition(2) < 20 || k.getLongPosition(2) > 30)
				k.get().set(0.4f);
		}
		assertTrue(org.volseg.volume.FloatStorage.arraysInFlatOrder(copy.channel(0)) != null);
		var view = net.imglib2.view.Views.interval(net.imglib2.view.Views.extendZero(copy.channel(0)), copy.channel(0));
		long[] fromArrays = Montage.labelledZRange(copy.channel(0)), fromView = Montage.labelledZRange(view);
		assertArrayEquals(fromView, fromArrays);
		assertArrayEquals(new long[] { 20, 30 }, fromArrays);
		// kept as bytes, 0.4 is 0: the same range from the byte planes
		Volume bytes = keptAsBytes(copy);
		assertTrue(org.volseg.volume.IntegerVoxels.unsignedBytesInFlatOrder(bytes.channel(0)) != null);
		assertArrayEquals(new long[] { 20, 30 }, Montage.labelledZRange(bytes.channel(0)));
		assertArrayEquals(new long[] { 0, labels.dimension(2) - 1 },
				Montage.labelledZRange(keptAsBytes(Volume.allocate(labels.geometry(), labels.dimensions())).channel(0)));
		Volume none = Volume.allocate(labels.geometry(), labels.dimensions());
		assertArrayEquals(new long[] { 0, labels.dimension(2) - 1 }, Montage.labelledZRange(none.channel(0)));
	}
}
