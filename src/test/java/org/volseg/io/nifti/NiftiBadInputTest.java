package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolumeFormatException;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;

/**
 * Every kind of broken file is refused with a {@link VolumeFormatException} that names the file and
 * the problem (never an OutOfMemoryError, NegativeArraySizeException or index exception).
 */
class NiftiBadInputTest {

	@TempDir
	Path dir;
	byte[] good;
	byte[] good2;

	@BeforeEach
	void writeGoodFiles() throws IOException {
		Volume v = Volume.allocate(Geometry.ofSpacing(1, 2, 3), 16, 12, 10);
		float i = 0;
		for (FloatType t : net.imglib2.view.Views.flatIterable(v.voxels()))
			t.set(i++ % 300);
		Path p = dir.resolve("good.nii");
		NiftiWriter.write(v, p, NiftiWriter.Options.of(NiftiDatatype.INT16));
		good = Files.readAllBytes(p);
		Path p2 = dir.resolve("good2.nii");
		NiftiWriter.write(v, p2, NiftiWriter.Options.of(NiftiDatatype.INT16).withVersion(2));
		good2 = Files.readAllBytes(p2);
	}

	private VolumeFormatException refused(String name, byte[] content, String... words) throws IOException {
		Path p = dir.resolve(name);
		Files.write(p, content);
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> NiftiReader.read(p));
		assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
		for (String w : words)
			assertTrue(e.getMessage().contains(w), "mentions '" + w + "': " + e.getMessage());
		return e;
	}

	private static byte[] patchShort(byte[] file, int at, int value) {
		byte[] b = file.clone();
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) value);
		return b;
	}

	private static byte[] gzip(byte[] b) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (var z = new java.util.zip.GZIPOutputStream(out)) {
			z.write(b);
		}
		return out.toByteArray();
	}

	@Test
	void truncatedFiles() throws IOException {
		refused("empty.nii", new byte[0], "truncated");
		refused("inHeader.nii", Arrays.copyOf(good, 200), "truncated");
		refused("inData.nii", Arrays.copyOf(good, good.length - 1), "truncated");
		refused("inData2.nii", Arrays.copyOf(good2, good2.length / 2), "truncated");
		byte[] gz = gzip(good);
		refused("inData.nii.gz", Arrays.copyOf(gz, gz.length / 2), "truncated");
		// the whole deflate stream but not the trailer: the data may be complete, the file is not
		refused("noTrailer.nii.gz", Arrays.copyOf(gz, gz.length - 6));
		// complete gzip stream of a file whose voxel data is cut short
		refused("shortPayload.nii.gz", gzip(Arrays.copyOf(good, good.length - 100)), "truncated");
	}

	@Test
	void wrongMagic() throws IOException {
		byte[] b = good.clone();
		b[344] = 'x';
		refused("magic.nii", b, "magic");
		byte[] b2 = good2.clone();
		b2[5] = '1';
		refused("magic2.nii", b2, "magic");
		byte[] pair = good.clone();
		pair[345] = 'i';
		refused("pair.nii", pair, ".hdr/.img");
		refused("random.nii", "this is not a volume at all, just text".getBytes(), "not a NIfTI file");
	}

	@Test
	void zeroAndNegativeDimensions() throws IOException {
		refused("zero.nii", patchShort(good, 42 + 2, 0), "dim[2] = 0");
		refused("negative.nii", patchShort(good, 42, -5), "dim[1] = -5");
		refused("ndimZero.nii", patchShort(good, 40, 0), "dim[0]");
		refused("ndimEight.nii", patchShort(good, 40, 9), "dim[0]");
	}

	@Test
	void dimensionsThatOverflowOrExceedMemory() throws IOException {
		byte[] b = good2.clone();
		ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
		h.putLong(16, 4);
		for (int d = 1; d <= 4; d++)
			h.putLong(16 + 8 * d, 1L << 20);
		refused("overflow.nii", b, "dimensions");

		// 32767 x 32767 x 32767 fits a long but not in memory; the header is checked before allocating
		byte[] big = patchShort(patchShort(patchShort(good, 42, 32767), 44, 32767), 46, 32767);
		VolumeFormatException e = refused("huge.nii", big);
		assertTrue(e.getMessage().contains("memory") || e.getMessage().contains("truncated"), e.getMessage());
		Path gz = dir.resolve("huge.nii.gz");
		Files.write(gz, gzip(big));
		VolumeFormatException ez = assertThrows(VolumeFormatException.class, () -> NiftiReader.read(gz));
		assertTrue(ez.getMessage().contains("memory") && ez.getMessage().contains("-Xmx"), ez.getMessage());

		// one xy plane larger than a Java array
		byte[] plane = good2.clone();
		ByteBuffer p = ByteBuffer.wrap(plane).order(ByteOrder.LITTLE_ENDIAN);
		p.putLong(24, 1L << 20);
		p.putLong(32, 1L << 20);
		refused("plane.nii.gz", gzip(plane), "plane");
	}

	@Test
	void corruptGzip() throws IOException {
		byte[] gz = gzip(good);
		byte[] bad = gz.clone();
		for (int i = 40; i < bad.length - 20; i += 7)
			bad[i] ^= 0x5a;
		refused("corrupt.nii.gz", bad, "gzip");
		byte[] header = gz.clone();
		header[2] = 7; // compression method 7 does not exist (8 is deflate)
		refused("corruptHeader.nii.gz", header, "gzip");
	}

	@Test
	void corruptGzipDetectedByChecksum() throws IOException {
		// a stored (uncompressed) deflate block lets us change a voxel without breaking the stream itself
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		java.util.zip.Deflater stored = new java.util.zip.Deflater(0, true);
		try (var z = new java.util.zip.GZIPOutputStream(out) {
			{
				def = stored;
			}
		}) {
			z.write(good);
		}
		byte[] gz = out.toByteArray();
		gz[gz.length - 8 - 20] ^= 0x01;
		refused("crc.nii.gz", gz, "gzip");
	}

	@Test
	void unknownOrUnsupportedDatatype() throws IOException {
		refused("rgb.nii", patchShort(good, 70, 128), "RGB24");
		refused("weird.nii", patchShort(good, 70, 9999), "9999");
		refused("complex.nii", patchShort(good, 70, 32), "complex64");
	}

	@Test
	void badVoxOffset() throws IOException {
		byte[] b = good.clone();
		ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, Float.NaN);
		refused("offset.nii", b, "vox_offset");
		byte[] far = good.clone();
		ByteBuffer.wrap(far).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 1e9f);
		refused("farOffset.nii", far, "truncated");
	}

	@Test
	void extensionsAreSkipped() throws IOException {
		// a 32-byte extension between the header and the data, vox_offset moved accordingly
		byte[] ext = new byte[good.length + 32];
		System.arraycopy(good, 0, ext, 0, 348);
		ByteBuffer b = ByteBuffer.wrap(ext).order(ByteOrder.LITTLE_ENDIAN);
		b.put(348, (byte) 1);
		b.putInt(352, 32);
		b.putInt(356, 6); // NIFTI_ECODE_COMMENT
		for (int i = 360; i < 384; i++)
			ext[i] = (byte) 0xff;
		b.putFloat(108, 384);
		System.arraycopy(good, 352, ext, 384, good.length - 352);
		Path p = dir.resolve("ext.nii");
		Files.write(p, ext);
		NiftiVolume v = NiftiReader.read(p, true);
		NiftiVolume ref = NiftiReader.read(dir.resolve("good.nii"), true);
		org.junit.jupiter.api.Assertions.assertEquals(ref.statistics(), v.statistics());
		try (var in = new GZIPInputStream(Files.newInputStream(dir.resolve("good.nii")))) {
			org.junit.jupiter.api.Assertions.fail("good.nii is not gzip");
		} catch (IOException expected) {
			// plain .nii: fine
		}
	}
}
