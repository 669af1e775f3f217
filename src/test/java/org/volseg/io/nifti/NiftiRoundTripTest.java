package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.InvalidParameterException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Matrix3;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** Write-then-read is exact: every datatype, byte order, version, compression, and awkward geometries. */
class NiftiRoundTripTest {

	@TempDir
	Path dir;

	/** Values every datatype can hold exactly, including its extremes as far as float32 allows. */
	static float[] valuesFor(NiftiDatatype type, int n, long seed) {
		Random r = new Random(seed);
		float[] v = new float[n];
		float[] extremes;
		switch (type) {
		case UINT8: extremes = new float[] { 0, 255 }; break;
		case INT8: extremes = new float[] { -128, 127 }; break;
		case INT16: extremes = new float[] { -32768, 32767 }; break;
		case UINT16: extremes = new float[] { 0, 65535 }; break;
		case INT32: extremes = new float[] { -2147483648f, 2147483520f }; break;
		case UINT32: extremes = new float[] { 0, 4294967040f }; break;
		case INT64: extremes = new float[] { -9.223372E18f, 9.2233715E18f }; break;
		default: extremes = new float[] { -Float.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE, -0f, Float.NaN, 1e-30f }; break;
		}
		for (int i = 0; i < n; i++) {
			if (i < extremes.length)
				v[i] = extremes[i];
			else if (type.isInteger())
				v[i] = (float) Math.max(type.min(), Math.min(type.max(), Math.round(r.nextGaussian() * Math.min(type.max(), 1e6))));
			else
				v[i] = (float) (r.nextGaussian() * 1000);
		}
		return v;
	}

	static Volume volume(float[] values, Geometry g, long... dims) {
		Volume v = Volume.allocate(g, dims);
		int i = 0;
		for (FloatType t : Views.flatIterable(v.voxels()))
			t.set(values[i++]);
		return v;
	}

	static void assertSameVoxels(RandomAccessibleInterval<FloatType> expected, RandomAccessibleInterval<FloatType> actual) {
		assertArrayEquals(expected.dimensionsAsLongArray(), actual.dimensionsAsLongArray());
		Cursor<FloatType> a = Views.flatIterable(expected).cursor(), b = Views.flatIterable(actual).cursor();
		long i = 0;
		while (a.hasNext()) {
			float x = a.next().get(), y = b.next().get();
			if (Float.floatToRawIntBits(x) != Float.floatToRawIntBits(y))
				assertEquals(x, y, 0, "voxel " + i);
			i++;
		}
	}

	static Stream<Arguments> everyVariant() {
		Stream.Builder<Arguments> s = Stream.builder();
		for (NiftiDatatype t : NiftiDatatype.values())
			for (ByteOrder o : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN))
				for (int version : new int[] { 1, 2 })
					for (String ext : new String[] { ".nii", ".nii.gz" })
						s.add(Arguments.of(t, o, version, ext));
		return s.build();
	}

	@ParameterizedTest(name = "{0} {1} NIfTI-{2} {3}")
	@MethodSource("everyVariant")
	void everyDatatypeRoundTripsExactly(NiftiDatatype type, ByteOrder order, int version, String ext) {
		Geometry g = Geometry.ofLps(new double[][] { { 0.75, 0, 0, -100.5 }, { 0, 0.75, 0, 20.25 }, { 0, 0, 2.5, 33 }, { 0, 0, 0, 1 } });
		Volume v = volume(valuesFor(type, 7 * 5 * 3 * 2, type.ordinal()), g, 7, 5, 3, 2);
		Path p = dir.resolve("v" + ext);
		NiftiWriter.write(v, p, NiftiWriter.Options.of(type).withByteOrder(order).withVersion(version));
		NiftiVolume back = NiftiReader.read(p);
		assertEquals(type, back.header().datatype());
		assertEquals(order, back.header().byteOrder());
		assertEquals(version, back.header().version());
		assertEquals(NiftiAffines.Source.SFORM, back.affineSource());
		assertEquals(g, back.volume().geometry());
		assertSameVoxels(v.voxels(), back.volume().voxels());
	}

	/** A rotation from a unit quaternion, scaled by spacings; optionally flipped and sheared. */
	static double[][] affine(double[] q, double[] spacing, boolean flip, double shear, double[] origin) {
		double n = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
		double[][] r = NiftiAffines.rotation(q[0] / n, q[1] / n, q[2] / n, q[3] / n);
		double[][] a = new double[4][4];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				a[i][j] = r[i][j] * spacing[j] * (flip && j == 1 ? -1 : 1);
			a[i][1] += shear * a[i][0];
			a[i][3] = origin[i];
		}
		a[3][3] = 1;
		return a;
	}

	static double[][] toFloat32(double[][] a) {
		double[][] f = new double[4][4];
		for (int i = 0; i < 4; i++)
			for (int j = 0; j < 4; j++)
				f[i][j] = (float) a[i][j];
		return f;
	}

	static Stream<Arguments> geometries() {
		double[] q = { 0.9, 0.2, -0.3, 0.25 };
		double[] s = { 0.7, 0.82, 1.3 };
		double[] o = { -120.3, 87.25, -55.1 };
		return Stream.of(
				Arguments.of("oblique", affine(q, s, false, 0, o)),
				Arguments.of("flipped", affine(q, s, true, 0, o)),
				Arguments.of("sheared", affine(q, s, false, 0.3, o)),
				Arguments.of("flipped+sheared", affine(q, s, true, -0.2, o)),
				Arguments.of("axis-permuted", new double[][] { { 0, 0, -3, 10 }, { -2, 0, 0, 5 }, { 0, 2.5, 0, -7 }, { 0, 0, 0, 1 } }));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("geometries")
	void geometryRoundTripsExactly(String name, double[][] lps) {
		float[] values = valuesFor(NiftiDatatype.INT16, 6 * 4 * 3, 3);
		// NIfTI-1 stores float32: exact for an affine that float32 can hold
		Geometry g1 = Geometry.ofLps(toFloat32(lps));
		Path p1 = dir.resolve("g1.nii.gz");
		NiftiWriter.write(volume(values, g1, 6, 4, 3), p1, NiftiWriter.Options.of(NiftiDatatype.INT16));
		assertEquals(g1, NiftiReader.read(p1).volume().geometry());
		// NIfTI-2 stores float64: exact for any affine
		Geometry g2 = Geometry.ofLps(lps);
		Path p2 = dir.resolve("g2.nii");
		NiftiWriter.write(volume(values, g2, 6, 4, 3), p2, NiftiWriter.Options.of(NiftiDatatype.INT16).withVersion(2));
		NiftiVolume back = NiftiReader.read(p2);
		assertEquals(g2, back.volume().geometry());

		// the qform written alongside is the same placement, unless sheared (then the nearest rigid one)
		double[][] qform = NiftiAffines.qform(back.header());
		double[][] ras = g2.affineRas();
		double[] zooms = Matrix3.columnNorms(Matrix3.block(ras));
		if (!name.contains("sheared")) {
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 4; j++)
					assertEquals(ras[i][j], qform[i][j], 1e-9, "qform[" + i + "][" + j + "]");
		} else {
			double[] qz = Matrix3.columnNorms(Matrix3.block(qform));
			assertArrayEquals(zooms, qz, 1e-9, "qform voxel sizes are the column norms");
			assertEquals(Math.signum(Matrix3.determinant(Matrix3.block(ras))), Math.signum(Matrix3.determinant(Matrix3.block(qform))));
		}
		// qform in a NIfTI-1 file: float32 quaternion, so within float32 precision
		double[][] q1 = NiftiAffines.qform(NiftiReader.readHeader(p1));
		if (!name.contains("sheared"))
			for (int i = 0; i < 3; i++)
				for (int j = 0; j < 4; j++)
					assertEquals(g1.affineRas()[i][j], q1[i][j], 1e-5 * (j == 3 ? 100 : 1), "NIfTI-1 qform");
	}

	@Test
	void qformAloneIsUsedWhenSformCodeIsZero() {
		Geometry g = Geometry.ofLps(toFloat32(affine(new double[] { 0.3, 0.5, -0.7, 0.1 }, new double[] { 1.5, 1, 2 }, true, 0,
				new double[] { 1, 2, 3 })));
		Path p = dir.resolve("qonly.nii");
		NiftiWriter.write(volume(valuesFor(NiftiDatatype.UINT8, 24, 1), g, 2, 3, 4), p,
				NiftiWriter.Options.of(NiftiDatatype.UINT8).withCodes(1, 0));
		NiftiVolume back = NiftiReader.read(p);
		assertEquals(NiftiAffines.Source.QFORM, back.affineSource());
		assertTrue(back.volume().geometry().equalsWithin(g, 1e-5));

		Path none = dir.resolve("pixdim.nii");
		NiftiWriter.write(volume(valuesFor(NiftiDatatype.UINT8, 24, 1), g, 2, 3, 4), none,
				NiftiWriter.Options.of(NiftiDatatype.UINT8).withCodes(0, 0));
		NiftiVolume base = NiftiReader.read(none);
		assertEquals(NiftiAffines.Source.PIXDIM, base.affineSource());
		// nibabel's get_base_affine: diag(-1.5, 1, 2) RAS with the centre voxel at the origin
		double[][] ras = base.volume().geometry().affineRas();
		assertEquals(-1.5, ras[0][0], 1e-6);
		assertEquals(1.0, ras[1][1], 1e-6);
		assertEquals(2.0, ras[2][2], 1e-6);
		assertEquals(0.75, ras[0][3], 1e-6);
		assertEquals(-1.0, ras[1][3], 1e-6);
		assertEquals(-3.0, ras[2][3], 1e-6);
	}

	@Test
	void labelsAreWrittenAsUint8OrUint16() {
		Geometry g = Geometry.ofSpacing(1, 1, 1);
		float[] small = { 0, 1, 2, 255, 7, 0, 3, 4 };
		Path p8 = dir.resolve("l8.nii.gz");
		NiftiWriter.writeLabels(volume(small, g, 2, 2, 2), p8);
		NiftiVolume b8 = NiftiReader.read(p8);
		assertEquals(NiftiDatatype.UINT8, b8.header().datatype());
		assertEquals(NiftiHeader.INTENT_LABEL, b8.header().intentCode());
		float[] big = { 0, 1, 2, 256, 7, 0, 65535, 4 };
		Path p16 = dir.resolve("l16.nii.gz");
		NiftiWriter.writeLabels(volume(big, g, 2, 2, 2), p16);
		NiftiVolume b16 = NiftiReader.read(p16);
		assertEquals(NiftiDatatype.UINT16, b16.header().datatype());
		assertSameVoxels(volume(big, g, 2, 2, 2).voxels(), b16.volume().voxels());
		assertThrows(InvalidParameterException.class,
				() -> NiftiWriter.writeLabels(volume(new float[] { 0, 1, 2, 65536, 0, 0, 0, 0 }, g, 2, 2, 2), dir.resolve("x.nii")));
		assertThrows(InvalidParameterException.class,
				() -> NiftiWriter.writeLabels(volume(new float[] { 0, -1, 2, 3, 0, 0, 0, 0 }, g, 2, 2, 2), dir.resolve("x.nii")));
	}

	@ParameterizedTest
	@EnumSource(value = NiftiDatatype.class, names = { "UINT8", "INT8", "INT16", "UINT16", "INT32", "UINT32" })
	void aValueTheDatatypeCannotHoldFailsWithoutTouchingTheTarget(NiftiDatatype type) throws IOException {
		Path target = dir.resolve("existing.nii.gz");
		Files.writeString(target, "old content");
		float[] values = valuesFor(type, 64, 5);
		values[37] = 0.5f;
		InvalidParameterException e = assertThrows(InvalidParameterException.class,
				() -> NiftiWriter.write(volume(values, Geometry.identity(), 4, 4, 4), target, NiftiWriter.Options.of(type)));
		assertTrue(e.getMessage().contains("[1, 1, 2]") && e.getMessage().contains("0.5"), e.getMessage());
		assertEquals("old content", Files.readString(target));
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(target), files.toList(), "no temporary file is left behind");
		}
	}

	@Test
	void viewsAndCellImagesAreWrittenInFileOrder() {
		// a permuted view has no direct storage: the writer falls back to a cursor
		float[] values = valuesFor(NiftiDatatype.INT16, 5 * 4 * 3, 9);
		Volume v = volume(values, Geometry.identity(), 5, 4, 3);
		Volume permuted = new Volume(Views.zeroMin(Views.permute(v.voxels(), 0, 2)), Geometry.identity());
		Path p = dir.resolve("view.nii");
		NiftiWriter.write(permuted, p, NiftiWriter.Options.of(NiftiDatatype.INT16));
		assertSameVoxels(permuted.voxels(), NiftiReader.read(p).volume().voxels());
		assertFalse(Files.exists(dir.resolve("missing.nii")));
		assertThrows(InvalidParameterException.class, () -> NiftiWriter.writeFloat32(v, dir.resolve("v.img")));
	}

	/**
	 * A label map kept as bytes is written from its own planes: the same file, byte for byte, as its
	 * float copy, as a labels file (uint8 chosen without reading the voxels) and with any options.
	 */
	@Test
	void labelsKeptAsBytesWriteTheSameFileAsTheirFloatCopy() throws IOException {
		Geometry g = Geometry.ofLps(affine(new double[] { 1, 0, 0, 0 }, new double[] { 0.8, 0.9, 2.5 }, false, 0,
				new double[] { -4, 5, 6 }));
		float[] values = valuesFor(NiftiDatatype.UINT8, 37 * 29 * 11, 5);
		Volume floats = volume(values, g, 37, 29, 11);
		var bytes = org.volseg.volume.IntegerVoxels.allocateUnsignedBytes(37, 29, 11);
		Cursor<FloatType> from = Views.flatIterable(floats.voxels()).cursor();
		for (var b : Views.flatIterable(bytes.stored()))
			b.setReal(from.next().get());
		Volume kept = new Volume(bytes, g);
		assertTrue(org.volseg.volume.IntegerVoxels.unsignedBytesInFlatOrder(kept.voxels()) != null);
		for (String name : new String[] { "l.nii", "l.nii.gz" }) {
			Path a = dir.resolve("floats-" + name), b = dir.resolve("bytes-" + name);
			NiftiWriter.writeLabels(floats, a);
			NiftiWriter.writeLabels(kept, b);
			assertArrayEquals(uncompressed(a), uncompressed(b), name);
			assertEquals(NiftiDatatype.UINT8, NiftiReader.read(b).header().datatype());
			for (NiftiDatatype type : new NiftiDatatype[] { NiftiDatatype.UINT8, NiftiDatatype.UINT16, NiftiDatatype.FLOAT32 }) {
				NiftiWriter.write(floats, a, NiftiWriter.Options.of(type));
				NiftiWriter.write(kept, b, NiftiWriter.Options.of(type));
				assertArrayEquals(uncompressed(a), uncompressed(b), name + " " + type);
			}
		}
	}

	private static byte[] uncompressed(Path p) throws IOException {
		if (!p.toString().endsWith(".gz"))
			return Files.readAllBytes(p);
		try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
			return in.readAllBytes();
		}
	}

	@Test
	void multiMemberGzipReads() throws IOException {
		Volume v = volume(valuesFor(NiftiDatatype.INT16, 6 * 5 * 4, 11), Geometry.identity(), 6, 5, 4);
		Path plain = dir.resolve("plain.nii");
		NiftiWriter.write(v, plain, NiftiWriter.Options.of(NiftiDatatype.INT16));
		byte[] all = Files.readAllBytes(plain);
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (int[] part : new int[][] { { 0, 300 }, { 300, all.length } })
			try (var z = new java.util.zip.GZIPOutputStream(out) {
				@Override
				public void close() throws IOException {
					finish(); // end the member but keep the shared output open
				}
			}) {
				z.write(all, part[0], part[1] - part[0]);
			}
		Path multi = dir.resolve("multi.nii.gz");
		Files.write(multi, out.toByteArray());
		assertSameVoxels(v.voxels(), NiftiReader.read(multi).volume().voxels());
	}

	@Test
	void singularSformFallsBackToTheQformAnd5dBecomesChannels() throws IOException {
		Geometry g = Geometry.ofLps(toFloat32(affine(new double[] { 0.8, 0.1, 0.3, -0.2 }, new double[] { 1.25, 1, 2 }, false, 0,
				new double[] { -4, 5, 6 })));
		Volume v = volume(valuesFor(NiftiDatatype.UINT8, 3 * 4 * 2 * 6, 2), g, 3, 4, 2, 6);
		Path p = dir.resolve("s.nii");
		NiftiWriter.write(v, p, NiftiWriter.Options.of(NiftiDatatype.UINT8));
		byte[] b = Files.readAllBytes(p);
		java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		for (int k = 0; k < 12; k++)
			h.putFloat(280 + 4 * k, 0); // sform all zero, sform_code still 1
		// dims (3, 4, 2, 6) -> (3, 4, 2, 2, 3): dims 4..7 are flattened, in file order, into 6 channels
		h.putShort(40, (short) 5);
		h.putShort(48, (short) 2);
		h.putShort(50, (short) 3);
		Files.write(p, b);
		NiftiVolume back = NiftiReader.read(p);
		assertEquals(NiftiAffines.Source.QFORM, back.affineSource());
		assertTrue(back.volume().geometry().equalsWithin(g, 1e-5), back.volume().geometry() + " vs " + g);
		assertArrayEquals(new long[] { 3, 4, 2, 6 }, back.volume().dimensions());
		assertSameVoxels(v.voxels(), back.volume().voxels());
	}
}
