package org.volseg.io.nifti;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.InvalidParameterException;
import org.volseg.volume.FloatFile;
import org.volseg.volume.FloatStorage;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

/**
 * A volume kept in a {@link FloatFile} is written, chunk by chunk from the file, to the same bytes
 * as the same volume in memory: float32 in both byte orders, an integer datatype, .nii and .nii.gz
 * (more voxels than one chunk); a value the datatype cannot hold is refused at its voxel as for an
 * in-memory volume.
 */
class NiftiWriterFloatFileTest {

	@TempDir
	Path dir;

	private static byte[] content(Path file) throws IOException {
		if (!file.toString().endsWith(".gz"))
			return Files.readAllBytes(file);
		try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
			return in.readAllBytes();
		}
	}

	@Test
	void aVolumeOnDiskIsWrittenAsTheSameVolumeInMemory() throws IOException {
		long[] dims = { 300, 200, 9, 2 }; // 1.08 M voxels: more than one chunk of 2^20
		Geometry g = Geometry.ofSpacing(0.8, 0.9, 2.5);
		Volume memory = Volume.allocate(g, dims);
		List<float[]> planes = FloatStorage.arraysInFlatOrder(memory.voxels());
		try (FloatFile file = FloatFile.create(dir, dims)) {
			long index = 0;
			for (int p = 0; p < planes.size(); p++) {
				float[] plane = planes.get(p);
				for (int i = 0; i < plane.length; i++)
					plane[i] = (float) Math.rint(100 * Math.sin(i * 0.001 + p)); // integers, so that int16 holds them
				file.write(index, plane, 0, plane.length);
				index += plane.length;
			}
			Volume disk = file.volume(g);
			for (NiftiWriter.Options o : new NiftiWriter.Options[] { NiftiWriter.Options.of(NiftiDatatype.FLOAT32),
					NiftiWriter.Options.of(NiftiDatatype.FLOAT32).withByteOrder(ByteOrder.BIG_ENDIAN),
					NiftiWriter.Options.of(NiftiDatatype.INT16) })
				for (String ext : new String[] { ".nii", ".nii.gz" }) {
					Path a = dir.resolve("memory-" + o.datatype() + o.byteOrder() + ext);
					Path b = dir.resolve("disk-" + o.datatype() + o.byteOrder() + ext);
					NiftiWriter.write(memory, a, o);
					NiftiWriter.write(disk, b, o);
					byte[] expected = content(a);
					assertTrue(expected.length >= 352 + 2 * 1_080_000, a.toString());
					assertArrayEquals(expected, content(b), b.toString());
				}
			// a value uint8 cannot hold: refused, naming the voxel, as in memory
			InvalidParameterException fromMemory = assertThrows(InvalidParameterException.class,
					() -> NiftiWriter.write(memory, dir.resolve("m.nii"), NiftiWriter.Options.of(NiftiDatatype.UINT8)));
			InvalidParameterException fromDisk = assertThrows(InvalidParameterException.class,
					() -> NiftiWriter.write(disk, dir.resolve("m.nii"), NiftiWriter.Options.of(NiftiDatatype.UINT8)));
			assertTrue(fromDisk.getMessage().contains(fromMemory.getMessage().substring(fromMemory.getMessage().indexOf(": the voxel"))),
					fromDisk.getMessage());
		}
	}
}
