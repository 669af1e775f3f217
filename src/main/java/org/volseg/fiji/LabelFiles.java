package org.volseg.fiji;

import java.nio.file.Path;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.Volume;

import ij.ImagePlus;

/**
 * Saves a label image as NIfTI with the geometry of the scan it was made on (the image's
 * {@link ImagePlusVolumes#AFFINE_PROPERTY}, or its calibration), as uint8 when every label is at
 * most 255 else uint16, atomically (temporary file, then move). Stateless.
 */
final class LabelFiles {

	private LabelFiles() {
	}

	/**
	 * The target with {@code .nii.gz} appended when it ends in neither {@code .nii} nor {@code .nii.gz}.
	 */
	public static Path withNiftiExtension(Path target) {
		String name = target.getFileName() == null ? "" : target.getFileName().toString();
		return name.endsWith(".nii") || name.endsWith(".nii.gz") ? target : target.resolveSibling(name + ".nii.gz");
	}

	/**
	 * @param labels an 8-, 16- or 32-bit image of integer labels (0..65535), one channel, one time point
	 * @param target {@code .nii} or {@code .nii.gz} (else {@code .nii.gz} is appended)
	 * @return the file written
	 * @throws VolSegException for an RGB image, non-integer or negative values, a target equal to the
	 *         file the image was opened from, or a write failure
	 */
	public static Path save(ImagePlus labels, Path target) {
		Path out = withNiftiExtension(target);
		if (labels.getNChannels() > 1)
			throw new VolSegException("image '" + labels.getTitle() + "' has " + labels.getNChannels()
					+ " channels: a label image has one (Image > Duplicate... one channel)");
		String source = labels.getProp("volseg.source");
		if (source != null && org.volseg.util.SameFile.as(Path.of(source), out))
			throw InvalidParameterException.of("file", out, "a file other than the scan the image was opened from");
		Volume volume = ImagePlusVolumes.toVolume(labels);
		NiftiWriter.writeLabels(volume, out);
		return out;
	}
}
