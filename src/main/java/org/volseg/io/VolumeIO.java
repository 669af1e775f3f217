package org.volseg.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.volseg.VolumeFormatException;
import org.volseg.io.dicom.DicomVolumeSource;
import org.volseg.io.nifti.NiftiSource;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.volume.Volume;

/**
 * Opens any volume source VolSeg supports and writes NIfTI. The sources are tried in order and the
 * first that {@link VolumeSource#accepts accepts} a path reads it; add a source (DICOM, say) to
 * {@link #standard()}. Instances are immutable and thread-safe.
 */
public final class VolumeIO {

	private final List<VolumeSource> sources;

	public VolumeIO(List<VolumeSource> sources) {
		this.sources = List.copyOf(sources);
	}

	/**
	 * The sources built into VolSeg, in the order they are tried: NIfTI files, then DICOM folders and
	 * files (the main series of a folder).
	 */
	public static VolumeIO standard() {
		return forSeries(null);
	}

	/**
	 * The built-in sources, reading DICOM series {@code dicomSeriesNumber} (a SeriesNumber) from a
	 * folder, or its main series when null. NIfTI files ignore the number.
	 */
	public static VolumeIO standard(Integer dicomSeriesNumber) {
		return forSeries(dicomSeriesNumber == null ? null : dicomSeriesNumber.toString());
	}

	/**
	 * The built-in sources, reading DICOM series {@code dicomSeries} (a SeriesNumber or a
	 * SeriesInstanceUID; a number several series share is refused) from a folder, or its main
	 * series when null. NIfTI files ignore it.
	 */
	public static VolumeIO forSeries(String dicomSeries) {
		List<VolumeSource> s = new ArrayList<>();
		s.add(new NiftiSource());
		s.add(DicomVolumeSource.of(dicomSeries));
		return new VolumeIO(s);
	}

	/** Reads a path with {@link #standard()}'s sources, without statistics. */
	public static LoadedVolume read(Path path) {
		return standard().open(path, false);
	}

	/**
	 * Opens a path with the first source that accepts it.
	 *
	 * @throws VolumeFormatException if the path does not exist or no source recognises it
	 */
	public LoadedVolume open(Path path, boolean statistics) {
		if (!Files.exists(path))
			throw new VolumeFormatException(path, "does not exist.");
		for (VolumeSource s : sources)
			if (s.accepts(path))
				return s.read(path, statistics);
		StringBuilder names = new StringBuilder();
		for (VolumeSource s : sources)
			names.append(names.length() > 0 ? ", " : "").append(s.name());
		throw new VolumeFormatException(path, "is not a volume VolSeg can read (supported: " + names
				+ "). Give a .nii or .nii.gz file" + (names.indexOf("DICOM") >= 0 ? " or a DICOM file or folder." : "."));
	}

	/** Writes a float volume as NIfTI (float32); see {@link NiftiWriter}. */
	public static void writeNifti(Volume volume, Path target) {
		NiftiWriter.writeFloat32(volume, target);
	}

	/** Writes a label map as NIfTI (uint8 or uint16); see {@link NiftiWriter#writeLabels}. */
	public static void writeNiftiLabels(Volume volume, Path target) {
		NiftiWriter.writeLabels(volume, target);
	}
}
