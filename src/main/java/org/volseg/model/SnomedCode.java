package org.volseg.model;

import java.util.Objects;

/**
 * The SNOMED CT concept a class of a model stands for, as a DICOM SEG codes a segment: its
 * property type (for example {@code 10200004 Liver}) and category (default
 * {@code 123037004 Anatomical Structure}).
 *
 * @param code SNOMED CT concept id of the type (digits)
 * @param meaning the type's display name
 * @param categoryCode SNOMED CT concept id of the category
 * @param categoryMeaning the category's display name
 */
public record SnomedCode(String code, String meaning, String categoryCode, String categoryMeaning) {

	/** Category used when a class declares only its type. */
	public static final String ANATOMICAL_STRUCTURE_CODE = "123037004";
	public static final String ANATOMICAL_STRUCTURE = "Anatomical Structure";

	public SnomedCode {
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(meaning, "meaning");
		Objects.requireNonNull(categoryCode, "categoryCode");
		Objects.requireNonNull(categoryMeaning, "categoryMeaning");
	}

	/** A type in the category Anatomical Structure. */
	public static SnomedCode anatomy(String code, String meaning) {
		return new SnomedCode(code, meaning, ANATOMICAL_STRUCTURE_CODE, ANATOMICAL_STRUCTURE);
	}
}
