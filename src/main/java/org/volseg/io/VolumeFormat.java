package org.volseg.io;

/**
 * A file format VolSeg reads, registered (not named) so that {@link VolumeIO} does not depend on its
 * formats: each implementation is listed in {@code META-INF/services/org.volseg.io.VolumeFormat} and
 * found with {@link java.util.ServiceLoader}. Implementations are stateless and thread-safe and have a
 * public no-argument constructor.
 */
public interface VolumeFormat {

	/** Where this format is tried among the others: lower first (NIfTI 10, DICOM 20). */
	int order();

	/**
	 * The source that reads this format.
	 *
	 * @param dicomSeries for formats with several series in a folder (DICOM): a SeriesNumber or a
	 *        SeriesInstanceUID, or null for the main series; other formats ignore it
	 */
	VolumeSource source(String dicomSeries);
}
