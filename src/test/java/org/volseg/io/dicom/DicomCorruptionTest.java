package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.volseg.VolSegException;

/**
 * Damaged copies of the fixtures (cut at many points, bytes overwritten at random) either decode or
 * fail with a {@link VolSegException}: never a NullPointerException, an index error or an
 * out-of-memory.
 */
class DicomCorruptionTest {

	private static final int TRIALS = Integer.getInteger("volseg.dicom.corruptionTrials", 30);

	@TempDir
	Path tmp;

	@ParameterizedTest
	@ValueSource(strings = { "CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
			"image_dfl.dcm", "rtdose.dcm", "JPGExtended.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_jpeg_gdcm.dcm",
			"liver_1frame.dcm", "jpeg12_extended_2frames.dcm" })
	void damagedFilesFailCleanly(String name) throws IOException {
		byte[] original = Files.readAllBytes(DicomFixtureDecodeTest.resource(name));
		Random random = new Random(name.hashCode());
		Path p = tmp.resolve("damaged");
		for (int trial = 0; trial < TRIALS; trial++) {
			byte[] b;
			String what;
			if (trial < TRIALS / 3) {
				int cut = trial == 0 ? 0 : random.nextInt(original.length);
				b = Arrays.copyOf(original, cut);
				what = "cut at " + cut;
			} else {
				b = original.clone();
				int n = 1 + random.nextInt(8);
				StringBuilder w = new StringBuilder("bytes overwritten at");
				for (int k = 0; k < n; k++) {
					// mostly in the header, where lengths and tags live
					int at = random.nextInt(Math.min(b.length, trial % 2 == 0 ? 2048 : b.length));
					b[at] = (byte) random.nextInt(256);
					w.append(' ').append(at);
				}
				what = w.toString();
			}
			Files.write(p, b);
			try {
				StoredValueStatistics.of(DicomFormat.parser(), p);
			} catch (VolSegException expected) {
				// a clean refusal
			} catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
				AssertionError failure = new AssertionError(name + " " + what + ": " + e, e);
				fail(failure);
			}
			try {
				new DicomFolderReader(new OwnDicomSource(), w -> {
				}, 1).readMain(p);
			} catch (VolSegException expected) {
				// a clean refusal
			} catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
				fail(new AssertionError(name + " " + what + " (series read): " + e, e));
			}
		}
	}
}
