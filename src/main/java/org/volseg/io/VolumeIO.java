package org.volseg.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

import org.volseg.VolumeFormatException;
import org.volseg.volume.Volume;

/**
 * Opens any volume source VolSeg supports and writes NIfTI. The sources are tried in order and the
 * first that {@link VolumeSource#accepts accepts} a path reads it. The built-in formats are
 * {@link VolumeFormat}s registered as services (NIfTI, then DICOM), so this class names none of them;
 * a caller may also pass its own list of sources. Instances are immutable and thread-safe.
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
		List<VolumeFormat> formats = new ArrayList<>();
		ServiceLoader.load(VolumeFormat.class, VolumeFormat.class.getClassLoader()).forEach(formats::add);
		formats.sort(Comparator.comparingInt(VolumeFormat::order));
		List<VolumeSource> s = new ArrayList<>();
		for (VolumeFormat f : formats)
			s.add(f.source(dicomSeries));
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
		return sourceFor(path).read(path, statistics);
	}

	/**
	 * Opens a path for a caller that never writes the voxels ({@link VolumeSource#readReadOnly}):
	 * 8- and 16-bit integer voxels may stay as stored, behind a read-only float view.
	 *
	 * @throws VolumeFormatException if the path does not exist or no source recognises it
	 */
	public LoadedVolume openReadOnly(Path path) {
		return sourceFor(path).readReadOnly(path);
	}

	private VolumeSource sourceFor(Path path) {
		if (!Files.exists(path))
			throw new VolumeFormatException(path, "does not exist.");
		for (VolumeSource s : sources)
			if (s.accepts(path))
				return s;
		StringBuilder names = new StringBuilder();
		for (VolumeSource s : sources)
			names.append(names.length() > 0 ? ", " : "").append(s.name());
		throw new VolumeFormatException(path, "is not a volume VolSeg can read (supported: " + names
				+ "). Give a .nii or .nii.gz file" + (names.indexOf("DICOM") >= 0 ? " or a DICOM file or folder." : "."));
	}
}
