package org.volseg.io.dicom;

/** DICOM tags this package reads, as {@code (group << 16) | element}. */
final class Tags {

	private Tags() {
	}

	static final int FILE_META_GROUP_LENGTH = 0x00020000;
	static final int TRANSFER_SYNTAX_UID = 0x00020010;

	static final int SOP_CLASS_UID = 0x00080016;
	static final int SOP_INSTANCE_UID = 0x00080018;
	static final int IMAGE_TYPE = 0x00080008;
	static final int MODALITY = 0x00080060;
	static final int SERIES_DESCRIPTION = 0x0008103E;

	static final int SLICE_THICKNESS = 0x00180050;
	static final int SPACING_BETWEEN_SLICES = 0x00180088;

	static final int STUDY_INSTANCE_UID = 0x0020000D;
	static final int SERIES_INSTANCE_UID = 0x0020000E;
	static final int SERIES_NUMBER = 0x00200011;
	static final int INSTANCE_NUMBER = 0x00200013;
	static final int IMAGE_POSITION_PATIENT = 0x00200032;
	static final int IMAGE_ORIENTATION_PATIENT = 0x00200037;
	static final int PLANE_POSITION_SEQUENCE = 0x00209113;
	static final int PLANE_ORIENTATION_SEQUENCE = 0x00209116;
	static final int FRAME_CONTENT_SEQUENCE = 0x00209111;

	static final int SAMPLES_PER_PIXEL = 0x00280002;
	static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
	static final int PLANAR_CONFIGURATION = 0x00280006;
	static final int NUMBER_OF_FRAMES = 0x00280008;
	static final int ROWS = 0x00280010;
	static final int COLUMNS = 0x00280011;
	static final int PIXEL_SPACING = 0x00280030;
	static final int BITS_ALLOCATED = 0x00280100;
	static final int BITS_STORED = 0x00280101;
	static final int HIGH_BIT = 0x00280102;
	static final int PIXEL_REPRESENTATION = 0x00280103;
	static final int RESCALE_INTERCEPT = 0x00281052;
	static final int RESCALE_SLOPE = 0x00281053;
	static final int PIXEL_MEASURES_SEQUENCE = 0x00289110;
	static final int PIXEL_VALUE_TRANSFORMATION_SEQUENCE = 0x00289145;

	static final int GRID_FRAME_OFFSET_VECTOR = 0x3004000C;
	static final int DOSE_GRID_SCALING = 0x3004000E;

	static final int SHARED_FUNCTIONAL_GROUPS_SEQUENCE = 0x52009229;
	static final int PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE = 0x52009230;

	/** Siemens private groups: creators at (gggg,0010-00FF) name the block of (gggg,xx00-xxFF). */
	static final int SIEMENS_MR_HEADER_GROUP = 0x0019;
	static final int SIEMENS_CSA_HEADER_GROUP = 0x0029;

	static final int PIXEL_DATA = 0x7FE00010;
	static final int FLOAT_PIXEL_DATA = 0x7FE00008;
	static final int DOUBLE_PIXEL_DATA = 0x7FE00009;

	static final int ITEM = 0xFFFEE000;
	static final int ITEM_DELIMITATION = 0xFFFEE00D;
	static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;
	static final int TRAILING_PADDING = 0xFFFCFFFC;

	/** {@code (gggg,eeee)}, as DICOM tools print a tag. */
	static String format(int tag) {
		return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
	}

	/** The value representation of a tag in implicit VR files, for the tags whose VR matters here; null otherwise. */
	static String implicitVr(int tag) {
		switch (tag) {
		case SAMPLES_PER_PIXEL: case PLANAR_CONFIGURATION: case ROWS: case COLUMNS: case BITS_ALLOCATED:
		case BITS_STORED: case HIGH_BIT: case PIXEL_REPRESENTATION:
			return "US";
		case PIXEL_DATA:
			return "OW";
		case SHARED_FUNCTIONAL_GROUPS_SEQUENCE: case PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE: case PLANE_POSITION_SEQUENCE:
		case PLANE_ORIENTATION_SEQUENCE: case FRAME_CONTENT_SEQUENCE: case PIXEL_MEASURES_SEQUENCE:
		case PIXEL_VALUE_TRANSFORMATION_SEQUENCE:
			return "SQ";
		default:
			return null;
		}
	}
}
