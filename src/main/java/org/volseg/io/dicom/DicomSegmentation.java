package org.volseg.io.dicom;

import java.util.List;

import org.volseg.volume.Volume;

/**
 * A DICOM SEG read into a label volume.
 *
 * @param labels the label volume (x = column, y = row, z = slice; float values = label numbers,
 *        0 background), placed in LPS
 * @param segments one entry per segment of the SEG's SegmentSequence, in SegmentNumber order; its
 *        {@code label} is the value its voxels have in {@code labels}
 * @param referencedSeriesUid the SeriesInstanceUID of the first ReferencedSeriesSequence item, or null
 * @param warnings what the reader noticed (overlapping segments, frames outside the grid, ...)
 */
public record DicomSegmentation(Volume labels, List<SegmentInfo> segments, String referencedSeriesUid,
		List<String> warnings) {

	public DicomSegmentation {
		segments = List.copyOf(segments);
		warnings = List.copyOf(warnings);
	}
}
