package org.volseg.sample;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.volseg.VolSegException;
import org.volseg.io.dicom.DicomSeriesWriter;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiDatatype;
import org.volseg.io.nifti.NiftiWriter;

/**
 * Writes generated phantoms as NIfTI pairs {@code caseNNN_image.nii.gz} (int16 HU) and
 * {@code caseNNN_labels.nii.gz} (uint8 labels, intent label), NNN counting from 000 (three digits,
 * more beyond 999). Case {@code i} of a run with seed {@code S} is the phantom of seed
 * {@code S + i}. Each file is written atomically (temporary file, then move); existing files are
 * refused unless overwriting is asked for. Stateless and thread-safe.
 */
public final class PhantomWriter {

	private PhantomWriter() {}

	/** What was written for one case. */
	public record WrittenCase(int index, long seed, Path image, Path labels, String description) {}

	/** The image file of case {@code index} in {@code folder}. */
	public static Path imagePath(Path folder, int index) {
		return folder.resolve(String.format(Locale.ROOT, "case%03d_image.nii.gz", index));
	}

	/** The label file of case {@code index} in {@code folder}. */
	public static Path labelPath(Path folder, int index) {
		return folder.resolve(String.format(Locale.ROOT, "case%03d_labels.nii.gz", index));
	}

	/** Folder of case {@code index}'s image as a DICOM series: {@code caseNNN_dicom}. */
	public static Path dicomPath(Path folder, int index) {
		return folder.resolve(String.format(Locale.ROOT, "case%03d_dicom", index));
	}

	/**
	 * Writes a written case's image again as a DICOM CT series (one file per axial slice, int16 with
	 * rescale slope 1 and intercept -1024, same geometry), for trying DICOM input on known data.
	 *
	 * @param folder created if missing; must not hold files of the same names
	 */
	public static List<Path> writeDicomSeries(WrittenCase c, Path folder) {
		return new DicomSeriesWriter().description("VolSeg abdominal phantom, seed " + c.seed())
				.seriesNumber(c.index() + 1).write(NiftiReader.read(c.image()).volume(), folder);
	}

	/**
	 * Generates and writes {@code count} cases with seeds {@code seed, seed + 1, ...}.
	 *
	 * @param folder created if missing
	 * @param progress told about each case once written (may be a no-op)
	 * @throws VolSegException if a target exists and {@code overwrite} is false, or a write fails
	 */
	public static List<WrittenCase> write(AbdominalPhantomGenerator generator, long seed, int count, Path folder,
			boolean overwrite, Consumer<WrittenCase> progress) {
		if (count < 1)
			throw org.volseg.InvalidParameterException.of("--count", count, "at least 1");
		try {
			Files.createDirectories(folder);
		} catch (java.io.IOException e) {
			throw new VolSegException(folder + ": cannot create the output folder (" + e + ")", e);
		}
		if (!overwrite)
			for (int i = 0; i < count; i++)
				for (Path p : new Path[] { imagePath(folder, i), labelPath(folder, i) })
					if (Files.exists(p))
						throw new VolSegException(p + ": exists already; choose another --out folder or pass --overwrite");
		List<WrittenCase> written = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			long caseSeed = seed + i;
			Phantom p = generator.generate(caseSeed);
			Path image = imagePath(folder, i), labels = labelPath(folder, i);
			String header = "VolSeg abdominal phantom, seed " + caseSeed;
			NiftiWriter.write(p.image(), image, new NiftiWriter.Options(NiftiDatatype.INT16, 0, ByteOrder.LITTLE_ENDIAN,
					1, 1, 0, header));
			NiftiWriter.writeLabels(p.labels(), labels);
			WrittenCase c = new WrittenCase(i, caseSeed, image, labels, p.description());
			written.add(c);
			progress.accept(c);
		}
		return written;
	}
}
