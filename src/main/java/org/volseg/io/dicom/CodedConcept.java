package org.volseg.io.dicom;

import java.util.Objects;

/**
 * A DICOM coded concept (Code Sequence Macro, PS3.3 Table 8.8-1): CodeValue, CodingSchemeDesignator
 * and CodeMeaning, for example {@code (85756007, SCT, "Tissue")}.
 *
 * @param value the code value (at most 16 characters)
 * @param scheme the coding scheme designator, {@code SCT} for SNOMED CT, {@code DCM} for DICOM's own
 * @param meaning the human-readable meaning (at most 64 characters)
 */
public record CodedConcept(String value, String scheme, String meaning) {

	/** SNOMED CT "Tissue", the category and type used for a class without a declared code. */
	public static final CodedConcept TISSUE = new CodedConcept("85756007", "SCT", "Tissue");
	/** SNOMED CT "Anatomical Structure", the category of a class that declares only a type code. */
	public static final CodedConcept ANATOMICAL_STRUCTURE = new CodedConcept("123037004", "SCT", "Anatomical Structure");

	public CodedConcept {
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(scheme, "scheme");
		Objects.requireNonNull(meaning, "meaning");
	}

	/** A SNOMED CT concept. */
	public static CodedConcept snomed(String value, String meaning) {
		return new CodedConcept(value, "SCT", meaning);
	}
}
