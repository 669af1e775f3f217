package org.volseg.sample;

import java.util.List;

/**
 * The label values of {@link AbdominalPhantomGenerator}'s label images. Organs override the body:
 * a liver voxel is labelled 2, not 1. Body (1) covers every tissue inside the skin that is not one of
 * the organs below: subcutaneous and visceral fat, bowel, muscles, the aorta and the spinal canal.
 */
public final class PhantomLabels {

	public static final int BACKGROUND = 0;
	public static final int BODY = 1;
	public static final int LIVER = 2;
	public static final int SPLEEN = 3;
	public static final int RIGHT_KIDNEY = 4;
	public static final int LEFT_KIDNEY = 5;
	/** Vertebral bodies, neural arches and spinous processes (bone); not the canal's contents. */
	public static final int SPINE = 6;

	/** Names indexed by label value, as written to model descriptors and reports. */
	public static final List<String> NAMES = List.of("background", "body", "liver", "spleen", "right_kidney",
			"left_kidney", "spine");

	private PhantomLabels() {}
}
