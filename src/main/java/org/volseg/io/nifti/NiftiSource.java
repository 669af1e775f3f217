package org.volseg.io.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.volseg.io.FileSignature;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeSource;

/**
 * NIfTI-1/NIfTI-2 files for {@link org.volseg.io.VolumeIO}: accepts regular files named
 * {@code .nii}/{@code .nii.gz}, or any regular file whose first bytes are a NIfTI header size (348 or
 * 540) or the gzip magic — but never a file with DICOM's "DICM" at offset 128
 * ({@link FileSignature#hasDicomPreamble}), whatever its name or first bytes.
 */
public final class NiftiSource implements VolumeSource {

	@Override
	public String name() {
		return "NIfTI";
	}

	@Override
	public boolean accepts(Path path) {
		if (!Files.isRegularFile(path) || FileSignature.hasDicomPreamble(path))
			return false;
		String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (n.endsWith(".nii") || n.endsWith(".nii.gz"))
			return true;
		try (InputStream in = Files.newInputStream(path)) {
			byte[] b = in.readNBytes(4);
			if (b.length < 4)
				return false;
			if ((b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b)
				return true;
			int le = (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
			int be = Integer.reverseBytes(le);
			return le == 348 || le == 540 || be == 348 || be == 540;
		} catch (IOException e) {
			return false;
		}
	}

	@Override
	public LoadedVolume read(Path path, boolean statistics) {
		return describe(path, NiftiReader.read(path, statistics));
	}

	/** Keeps 8- and 16-bit integer voxels as stored ({@link NiftiReader#read(Path, boolean, boolean)}). */
	@Override
	public LoadedVolume readReadOnly(Path path) {
		return describe(path, NiftiReader.read(path, false, true));
	}

	private static LoadedVolume describe(Path path, NiftiVolume v) {
		NiftiHeader h = v.header();
		boolean gzip;
		try {
			gzip = NiftiReader.isGzip(path);
		} catch (IOException e) {
			gzip = false;
		}
		String format = "NIfTI-" + h.version() + " (" + (h.byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? "little" : "big")
				+ "-endian" + (gzip ? ", gzip" : "") + ")";
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("qform_code", h.qformCode());
		details.put("sform_code", h.sformCode());
		details.put("affine_from", v.affineSource().label());
		details.put("pixdim", h.pixdim().clone());
		details.put("scl_slope", h.sclSlope());
		details.put("scl_inter", h.sclInter());
		return new LoadedVolume(v.volume(), path, format, h.datatype().label(), v.statistics(),
				java.util.Collections.unmodifiableMap(details));
	}
}
