package org.volseg.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.volseg.InvalidParameterException;
import org.volseg.VolumeFormatException;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomFormat;
import org.volseg.io.dicom.DicomVolumeSource;
import org.volseg.io.nifti.NiftiHeader;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiSource;
import org.volseg.volume.Volume;

/**
 * Checks a scan from its headers alone, before a model is loaded, so that a bad scan fails in a
 * second instead of after the model load: a NIfTI header (CIFTI, truncated header, an impossible
 * {@code --volume-index}); for DICOM the folder scan (no image, every file unreadable), the series
 * choice ({@code --series}: absent or ambiguous) and the series' own problem (missing slices,
 * several slices at one position). The voxels are not read: a scan that passes may still fail
 * later (a corrupt pixel stream). Stateless.
 */
public final class InputCheck {

	private InputCheck() {
	}

	/**
	 * Checks {@code input} as {@link Segmenter#segment(Path, SegmentationSettings, SegmentationListener,
	 * java.util.function.BooleanSupplier)} will read it.
	 *
	 * @return the dimensions the scan will have (x, y, z[, volumes])
	 * @throws VolumeFormatException naming the file or folder if it cannot be segmented
	 * @throws InvalidParameterException naming {@code --series} or {@code --volume-index}
	 */
	public static long[] check(Path input, SegmentationSettings settings) {
		if (!Files.exists(input))
			throw new VolumeFormatException(input, "does not exist.");
		long[] dims;
		if (new NiftiSource().accepts(input)) {
			NiftiHeader h = NiftiReader.readHeader(input);
			dims = h.volumeDimensions();
		} else if (new DicomVolumeSource(DicomFormat.parser(), null).accepts(input)) {
			List<DicomSeries> all = new DicomFolderReader().scan(input);
			DicomSeries chosen = DicomVolumeSource.chooseSeries(input, all, settings.series());
			if (chosen.problem() != null)
				throw new VolumeFormatException(input, chosen.problem());
			dims = chosen.dimensions();
		} else
			return null; // VolumeIO names the formats it reads when the scan is opened
		checkIndex(dims, settings.volumeIndex(), input.toString());
		return dims;
	}

	/**
	 * The volume {@code index} of a 4D scan (x, y, z, volumes) as a 3D volume with the same
	 * geometry, or the scan itself when {@code index} is null (or 0 for a 3D scan).
	 *
	 * @throws InvalidParameterException naming {@code --volume-index} if the scan has no such volume
	 */
	public static Volume pickVolume(Volume scan, Integer index, String what) {
		if (index == null)
			return scan;
		checkIndex(scan.dimensions(), index, what);
		return scan.dimensions().length < 4 ? scan : new Volume(scan.channel(index), scan.geometry());
	}

	private static void checkIndex(long[] dims, Integer index, String what) {
		if (index == null)
			return;
		long volumes = 1;
		for (int d = 3; d < dims.length; d++)
			volumes *= dims[d];
		if (index < 0 || index >= volumes)
			throw InvalidParameterException.of("--volume-index", index, "0 to " + (volumes - 1) + ": " + what + " has "
					+ volumes + " volume(s) (dims " + Arrays.toString(dims) + ")");
	}
}
