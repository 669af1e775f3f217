package org.volseg.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.VolumeFormatException;
import org.volseg.io.nifti.NiftiSource;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

class VolumeIOTest {

	@TempDir
	Path dir;

	@Test
	void readsNiftiByNameOrByContent() throws Exception {
		Path src = Path.of(getClass().getResource("/nifti/standard.nii.gz").toURI());
		LoadedVolume a = VolumeIO.read(src);
		assertEquals("uint8", a.datatype());
		assertTrue(a.format().startsWith("NIfTI-1") && a.format().contains("gzip"), a.format());
		Path noExtension = dir.resolve("scan");
		Files.copy(src, noExtension);
		LoadedVolume b = VolumeIO.standard().open(noExtension, true);
		assertEquals(a.volume().geometry(), b.volume().geometry());
		assertEquals(7650.0, b.statistics().sum(), 0);
	}

	@Test
	void refusesWhatNoSourceRecognises() throws Exception {
		Path text = dir.resolve("notes.txt");
		Files.writeString(text, "not a volume");
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> VolumeIO.read(text));
		assertTrue(e.getMessage().contains("notes.txt") && e.getMessage().contains("NIfTI"), e.getMessage());
		assertThrows(VolumeFormatException.class, () -> VolumeIO.read(dir.resolve("missing.nii")));
		// a folder is not a NIfTI file (DICOM folders come with the DICOM source)
		assertThrows(VolumeFormatException.class, () -> VolumeIO.read(dir));
	}

	@Test
	void sourcesAreTriedInOrder() throws Exception {
		Path file = dir.resolve("x.nii");
		org.volseg.io.nifti.NiftiWriter.writeFloat32(Volume.allocate(Geometry.identity(), 2, 2, 2), file);
		LoadedVolume fake = new LoadedVolume(Volume.allocate(Geometry.identity(), 1, 1, 1), file, "fake", "uint8", null, Map.of());
		VolumeSource first = new VolumeSource() {
			@Override
			public String name() {
				return "fake";
			}

			@Override
			public boolean accepts(Path path) {
				return path.equals(file);
			}

			@Override
			public LoadedVolume read(Path path, boolean statistics) {
				return fake;
			}
		};
		assertSame(fake, new VolumeIO(List.of(first, new NiftiSource())).open(file, false));
		assertEquals("float32", new VolumeIO(List.of(new NiftiSource(), first)).open(file, false).datatype());
	}
}
