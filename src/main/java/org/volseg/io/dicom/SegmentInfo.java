package org.volseg.io.dicom;

import java.util.Objects;

/**
 * What a DICOM SEG says about one segment, or what VolSeg writes for one label.
 *
 * @param label the value of the segment's voxels in a label volume (when reading a SEG: its
 *        SegmentNumber)
 * @param name the SegmentLabel, for example {@code liver}
 * @param category SegmentedPropertyCategoryCodeSequence's concept
 * @param type SegmentedPropertyTypeCodeSequence's concept
 * @param rgb display colour as {@code 0xRRGGBB}, or -1 for none (written as RecommendedDisplayCIELabValue)
 */
public record SegmentInfo(int label, String name, CodedConcept category, CodedConcept type, int rgb) {

	public SegmentInfo {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(category, "category");
		Objects.requireNonNull(type, "type");
	}
}
