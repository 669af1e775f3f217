package org.volseg.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the same {@link ParserTarget}s with Jazzer, for the long run
 * ({@code docs/fuzzing.md}: {@code JAZZER_FUZZ=1 mvn -Pfuzz test -Dtest='JazzerFuzzTest#nifti'}, one
 * target per run). Without {@code JAZZER_FUZZ} Jazzer only replays the inputs stored under
 * {@code src/test/resources/org/volseg/fuzz/JazzerFuzzTestInputs/<method>/}. A {@link VolSegException}
 * is the expected refusal; anything else thrown (or out of memory at the profile's 1 GB heap, or
 * slower than {@code jazzer.max_duration} per case as set in the profile) is a finding.
 */
@Tag("jazzer")
class JazzerFuzzTest {

	@FuzzTest
	void nifti(byte[] data) throws IOException {
		check(ParserTarget.NIFTI, data);
	}

	@FuzzTest
	void dicomFile(byte[] data) throws IOException {
		check(ParserTarget.DICOM_FILE, data);
	}

	@FuzzTest
	void dicomFolder(byte[] data) throws IOException {
		check(ParserTarget.DICOM_FOLDER, data);
	}

	@FuzzTest
	void safetensors(byte[] data) throws IOException {
		check(ParserTarget.SAFETENSORS, data);
	}

	@FuzzTest
	void torchCheckpoint(byte[] data) throws IOException {
		check(ParserTarget.TORCH_CHECKPOINT, data);
	}

	@FuzzTest
	void rdfYaml(byte[] data) throws IOException {
		check(ParserTarget.RDF_YAML, data);
	}

	@FuzzTest
	void modelZip(byte[] data) throws IOException {
		check(ParserTarget.MODEL_ZIP, data);
	}

	@FuzzTest
	void jsonConfig(byte[] data) throws IOException {
		check(ParserTarget.JSON_CONFIG, data);
	}

	private static void check(ParserTarget target, byte[] data) throws IOException {
		Path dir = Files.createTempDirectory("volseg-jazzer");
		try {
			target.parse(data, dir);
		} catch (VolSegException expected) {
			// the parser refused the input as it should
		} finally {
			AtomicFiles.deleteRecursively(dir);
		}
	}
}
