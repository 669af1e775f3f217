package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.volume.Geometry;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/** Pixel layouts crafted byte by byte: bit masks, MONOCHROME1, multi-frame, RLE with an offset table, colour. */
class PixelDecoderTest {

	@TempDir
	Path tmp;

	private Path file(String name, String transferSyntax, DicomElementWriter ds) throws IOException {
		Path p = tmp.resolve(name);
		Files.write(p, DicomElementWriter.part10("1.2.840.10008.5.1.4.1.1.7", DicomElementWriter.newUid(), transferSyntax,
				ds.toBytes()));
		return p;
	}

	private static DicomElementWriter image(int rows, int cols, int frames, int bitsAllocated, int bitsStored, int highBit,
			int signed, String photometric, int samples) {
		DicomElementWriter w = new DicomElementWriter().text(Tags.MODALITY, "CS", "OT")
				.text(Tags.SERIES_INSTANCE_UID, "UI", DicomElementWriter.newUid()).text(Tags.SERIES_NUMBER, "IS", "1")
				.us(Tags.SAMPLES_PER_PIXEL, samples).text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", photometric);
		if (samples > 1)
			w.us(Tags.PLANAR_CONFIGURATION, 0);
		if (frames > 1)
			w.text(Tags.NUMBER_OF_FRAMES, "IS", Integer.toString(frames));
		return w.us(Tags.ROWS, rows).us(Tags.COLUMNS, cols).us(Tags.BITS_ALLOCATED, bitsAllocated)
				.us(Tags.BITS_STORED, bitsStored).us(Tags.HIGH_BIT, highBit).us(Tags.PIXEL_REPRESENTATION, signed);
	}

	private static double[] frame(Path p, int frame) {
		FrameDecoder d = PixelDecoder.of(DicomParser.readFile(p));
		double[] out = new double[d.format().valuesPerFrame()];
		d.decodeFrame(frame, out);
		return out;
	}

	@Test
	void masksBitsStoredAndSignExtends() throws IOException {
		// 12 bits stored in 16 with garbage in the top 4 bits: 0xF800 -> -2048, 0x07FF -> 2047, 0xAFFF -> -1
		short[] raw = { (short) 0xF800, 0x07FF, (short) 0xAFFF, 0x1005 };
		byte[] px = new byte[8];
		for (int i = 0; i < 4; i++) {
			px[2 * i] = (byte) raw[i];
			px[2 * i + 1] = (byte) (raw[i] >> 8);
		}
		Path signed = file("s12", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(2, 2, 1, 16, 12, 11, 1, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OW", px));
		assertArrayEquals(new double[] { -2048, 2047, -1, 5 }, frame(signed, 0), 0);
		Path unsigned = file("u12", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(2, 2, 1, 16, 12, 11, 0, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OW", px));
		assertArrayEquals(new double[] { 2048, 2047, 4095, 5 }, frame(unsigned, 0), 0);
		// HighBit 15 with 12 bits stored: the value sits in the top bits
		Path high = file("h12", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(2, 2, 1, 16, 12, 15, 0, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OW", px));
		assertArrayEquals(new double[] { 0xF80, 0x07F, 0xAFF, 0x100 }, frame(high, 0), 0);
	}

	@Test
	void decodes8And32BitMultiFrame() throws IOException {
		Path u8 = file("u8", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(1, 3, 2, 8, 8, 7, 0, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OB", new byte[] { 1, 2, (byte) 255, 4, 5, 6 }));
		assertArrayEquals(new double[] { 1, 2, 255 }, frame(u8, 0), 0);
		assertArrayEquals(new double[] { 4, 5, 6 }, frame(u8, 1), 0);
		byte[] px = { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x00, 0x00, (byte) 0x80 };
		Path s32 = file("s32", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(1, 2, 1, 32, 32, 31, 1, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OW", px));
		assertArrayEquals(new double[] { -1, Integer.MIN_VALUE }, frame(s32, 0), 0);
		Path u32 = file("u32", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
				image(1, 2, 1, 32, 32, 31, 0, "MONOCHROME2", 1).raw(Tags.PIXEL_DATA, "OW", px));
		assertArrayEquals(new double[] { 4294967295.0, 2147483648.0 }, frame(u32, 0), 0);
	}

	@Test
	void rleMultiFrameWithBasicOffsetTable() throws IOException {
		int rows = 3, cols = 5;
		short[][] frames = new short[2][rows * cols];
		for (int f = 0; f < 2; f++)
			for (int i = 0; i < rows * cols; i++)
				frames[f][i] = (short) (f == 0 ? i * 300 - 2000 : (i % 2 == 0 ? 77 : -77));
		List<byte[]> fragments = new ArrayList<>();
		for (short[] fr : frames)
			fragments.add(rleFrame(fr));
		ByteArrayOutputStream enc = new ByteArrayOutputStream();
		int second = 8 + fragments.get(0).length;
		item(enc, new byte[] { 0, 0, 0, 0, (byte) second, (byte) (second >> 8), 0, 0 });
		for (byte[] f : fragments)
			item(enc, f);
		enc.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0 });
		DicomElementWriter w = image(rows, cols, 2, 16, 16, 15, 1, "MONOCHROME2", 1);
		byte[] ds = w.raw(Tags.PIXEL_DATA, "OB", enc.toByteArray()).toBytes();
		// the pixel data element has undefined length: patch its 4 length bytes
		int lengthAt = ds.length - enc.size() - 4;
		for (int i = 0; i < 4; i++)
			ds[lengthAt + i] = -1;
		Path p = tmp.resolve("rle");
		Files.write(p, DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.RLE_LOSSLESS.uid(), ds));
		for (int f = 0; f < 2; f++) {
			double[] expected = new double[rows * cols];
			for (int i = 0; i < expected.length; i++)
				expected[i] = frames[f][i];
			assertArrayEquals(expected, frame(p, f), 0, "frame " + f);
		}
	}

	/** Two PackBits segments (high bytes, low bytes), using a replicate run and literal runs. */
	private static byte[] rleFrame(short[] v) {
		ByteArrayOutputStream hi = new ByteArrayOutputStream(), lo = new ByteArrayOutputStream();
		byte[] h = new byte[v.length], l = new byte[v.length];
		for (int i = 0; i < v.length; i++) {
			h[i] = (byte) (v[i] >> 8);
			l[i] = (byte) v[i];
		}
		hi.write(-(2 - 1)); // replicate h[0] twice
		hi.write(h[0]);
		hi.write(v.length - 2 - 1);
		hi.write(h, 2, v.length - 2);
		if (h[1] != h[0]) { // fall back to literals only
			hi.reset();
			hi.write(v.length - 1);
			hi.write(h, 0, v.length);
		}
		lo.write(v.length - 1);
		lo.write(l, 0, v.length);
		if (hi.size() % 2 == 1)
			hi.write(-128);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] header = new byte[64];
		header[0] = 2;
		int off1 = 64, off2 = 64 + hi.size();
		header[4] = (byte) off1;
		header[8] = (byte) off2;
		header[9] = (byte) (off2 >> 8);
		out.writeBytes(header);
		out.writeBytes(hi.toByteArray());
		out.writeBytes(lo.toByteArray());
		if (out.size() % 2 == 1)
			out.write(0);
		return out.toByteArray();
	}

	private static void item(ByteArrayOutputStream o, byte[] value) {
		o.writeBytes(new byte[] { (byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0 });
		int n = value.length;
		o.writeBytes(new byte[] { (byte) n, (byte) (n >> 8), (byte) (n >> 16), (byte) (n >> 24) });
		o.writeBytes(value);
	}

	@Test
	void colourPlanarConfigurationIsInterleaved() throws IOException {
		DicomElementWriter w = image(1, 2, 1, 8, 8, 7, 0, "RGB", 3);
		byte[] ds = w.raw(Tags.PIXEL_DATA, "OB", new byte[] { 10, 11, 20, 21, 30, 31 }).toBytes();
		// planar configuration 1: RR GG BB
		byte[] planar = ds.clone();
		for (int i = 0; i + 9 < planar.length; i++)
			if (planar[i] == 0x28 && planar[i + 1] == 0 && planar[i + 2] == 0x06 && planar[i + 3] == 0) {
				planar[i + 8] = 1;
				break;
			}
		Path p = tmp.resolve("rgb");
		Files.write(p, DicomElementWriter.part10("1.2", "1.2.3", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), planar));
		assertArrayEquals(new double[] { 10, 20, 30, 11, 21, 31 }, frame(p, 0), 0);
	}

	@Test
	void monochrome1IsInvertedInTheVolumeButNotInStoredValues() throws IOException {
		DicomElementWriter w = image(1, 2, 1, 16, 12, 11, 0, "MONOCHROME1", 1)
				.decimals(Tags.RESCALE_INTERCEPT, -100).decimals(Tags.RESCALE_SLOPE, 2)
				.raw(Tags.PIXEL_DATA, "OW", new byte[] { 0, 0, (byte) 0xFF, 0x0F });
		Path p = file("mono1", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), w);
		assertArrayEquals(new double[] { 0, 4095 }, frame(p, 0), 0);
		DicomSeriesVolume v = new DicomFolderReader().readMain(p);
		RandomAccess<FloatType> ra = v.volume().voxels().randomAccess();
		ra.setPosition(new long[] { 0, 0, 0 });
		assertEquals(4095 * 2 - 100, ra.get().get(), 0);
		ra.setPosition(new long[] { 1, 0, 0 });
		assertEquals(-100, ra.get().get(), 0);
		assertTrue(v.warnings().stream().anyMatch(s -> s.contains("no ImagePositionPatient")), v.warnings().toString());
	}

	@Test
	void enhancedMultiFramePlacesAndRescalesEachFrame() throws IOException {
		double[] z = { 4, 0, 2 };
		List<byte[]> perFrame = new ArrayList<>();
		for (int k = 0; k < 3; k++) {
			byte[] pos = new DicomElementWriter().decimals(Tags.IMAGE_POSITION_PATIENT, -10, 20, z[k]).toBytes();
			byte[] pvt = new DicomElementWriter().decimals(Tags.RESCALE_INTERCEPT, -10 * k).decimals(Tags.RESCALE_SLOPE, k + 1)
					.toBytes();
			perFrame.add(new DicomElementWriter().sequence(Tags.PLANE_POSITION_SEQUENCE, List.of(pos))
					.sequence(Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, List.of(pvt)).toBytes());
		}
		byte[] measures = new DicomElementWriter().decimals(Tags.SLICE_THICKNESS, 2).decimals(Tags.PIXEL_SPACING, 0.6, 0.5)
				.toBytes();
		byte[] orient = new DicomElementWriter().decimals(Tags.IMAGE_ORIENTATION_PATIENT, 1, 0, 0, 0, 1, 0).toBytes();
		byte[] shared = new DicomElementWriter().sequence(Tags.PLANE_ORIENTATION_SEQUENCE, List.of(orient))
				.sequence(Tags.PIXEL_MEASURES_SEQUENCE, List.of(measures)).toBytes();
		byte[] px = new byte[3 * 2 * 2 * 2];
		for (int k = 0; k < 3; k++)
			for (int i = 0; i < 4; i++)
				px[(k * 4 + i) * 2] = (byte) (k + 1);
		DicomElementWriter w = new DicomElementWriter().text(Tags.MODALITY, "CS", "MR")
				.text(Tags.SERIES_INSTANCE_UID, "UI", "1.2.3.4.5").text(Tags.SERIES_NUMBER, "IS", "5")
				.us(Tags.SAMPLES_PER_PIXEL, 1).text(Tags.PHOTOMETRIC_INTERPRETATION, "CS", "MONOCHROME2")
				.text(Tags.NUMBER_OF_FRAMES, "IS", "3").us(Tags.ROWS, 2).us(Tags.COLUMNS, 2).us(Tags.BITS_ALLOCATED, 16)
				.us(Tags.BITS_STORED, 16).us(Tags.HIGH_BIT, 15).us(Tags.PIXEL_REPRESENTATION, 1)
				.sequence(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE, List.of(shared))
				.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, perFrame).raw(Tags.PIXEL_DATA, "OW", px);
		Path p = file("enhanced", TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(), w);
		DicomSeriesVolume v = new DicomFolderReader().readMain(tmp);
		assertEquals(3, v.series().sliceCount());
		Geometry expected = Geometry.ofLps(new double[][] { { 0.5, 0, 0, -10 }, { 0, 0.6, 0, 20 }, { 0, 0, 2, 0 }, { 0, 0, 0, 1 } });
		assertTrue(v.volume().geometry().equalsWithin(expected, 1e-9), v.volume().geometry().toString());
		RandomAccess<FloatType> ra = v.volume().voxels().randomAccess();
		double[] expectedByZ = { 2 * 2 - 10, 3 * 3 - 20, 1 * 1 - 0 }; // frames 1, 2, 0 in z order
		for (int zi = 0; zi < 3; zi++) {
			ra.setPosition(new long[] { 1, 1, zi });
			assertEquals(expectedByZ[zi], ra.get().get(), 0, "slice " + zi);
		}
		assertEquals(p, v.series().slices().get(0).file());
		assertEquals(1, v.series().slices().get(0).frame());
	}

	@Test
	void jpegLsSeriesIsReadWithPydicomsValues() {
		// JPEG-LS used to be refused; VolSeg's own decoder (JpegLsDecoder) reads it as pydicom + GDCM do
		DicomSeriesVolume v = new DicomFolderReader().readMain(DicomFixtureDecodeTest.resource("MR_small_jpeg_ls_lossless.dcm"));
		double sum = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.volume().voxels()))
			sum += t.get();
		assertEquals(2125338.0, sum, 0);
	}

	@Test
	void colourSeriesIsReadWithThreeChannelsAndFlagged() {
		List<String> warnings = new ArrayList<>();
		DicomSeriesVolume v = new DicomFolderReader(new OwnDicomSource(), warnings::add, 1)
				.readMain(DicomFixtureDecodeTest.resource("SC_rgb_jpeg_gdcm.dcm"));
		assertTrue(v.series().colour());
		assertEquals(4, v.volume().voxels().numDimensions());
		assertEquals(3, v.volume().channels());
		assertTrue(warnings.stream().anyMatch(w -> w.contains("colour series")), warnings.toString());
		double sum = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.volume().voxels()))
			sum += t.get();
		assertEquals(3831000.0, sum, 0);
	}

	@Test
	void rtDoseFramesArePlacedByGridFrameOffsetsAndScaled() {
		DicomSeriesVolume v = new DicomFolderReader().readMain(DicomFixtureDecodeTest.resource("rtdose.dcm"));
		assertArrayEquals(new long[] { 10, 10, 15 }, v.volume().dimensions());
		Geometry expected = Geometry.ofLps(new double[][] { { 10, 0, 0, 189.43125 }, { 0, 10, 0, 199.43125 },
				{ 0, 0, 5, -761.87 }, { 0, 0, 0, 1 } });
		assertTrue(v.volume().geometry().equalsWithin(expected, 1e-9), v.volume().geometry().toString());
		double sum = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.volume().voxels()))
			sum += t.get();
		// pydicom's stored sum 1519910000 times DoseGridScaling 1e-6 (Gy)
		assertEquals(1519.91, sum, 1e-3);
	}
}
