package org.volseg.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.testutil.CliRunner;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.SafeTensors;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.RandomAccess;
import net.imglib2.type.numeric.real.FloatType;

/**
 * THE end-to-end parity test: MONAI's {@code sliding_window_inference} over a 45x70x38 volume with
 * the {@code unetr_small_conv} network (fixture {@code sliding_unetr_small_conv_gaussian}), reproduced
 * by {@code volseg convert} + {@code volseg segment --save-logits} with preprocessing off and the
 * fixture's own parameters, through NIfTI files: blended logits within 1e-4 (absolute).
 */
class SegmentParityTest {

	@TempDir
	Path dir;

	static Path resource(String name) throws URISyntaxException {
		return Paths.get(SegmentParityTest.class.getResource(name).toURI());
	}

	@Test
	void segmentSaveLogitsMatchesMonaiSlidingWindowInference() throws Exception {
		SafeTensors fixture = SafeTensors.read(resource("/tiling/sliding_unetr_small_conv_gaussian.safetensors"));
		Map<String, String> m = fixture.metadata();
		FloatTensor input = fixture.tensors().get("input");
		FloatTensor expected = fixture.tensors().get("expected_output");
		long[] s = input.shape(); // [1, channels, d0, d1, d2]
		assertEquals(1, s[0]);

		Path pkg = dir.resolve("unetr-small-conv");
		CliRunner convert = CliRunner.run("convert", "--arch", "unetr", "--weights",
				resource("/parity/unetr_small_conv.safetensors").toString(), "--out", pkg.toString());
		assertEquals(0, convert.exitCode, convert.toString());

		// axes d0, d1, d2 = x, y, z; identity affine in the file (RAS)
		double[][] identity = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
		Volume volume = fromTorch(input, Geometry.ofRas(identity));
		Path in = dir.resolve("input.nii.gz");
		NiftiWriter.writeFloat32(volume, in);

		String roi = m.get("roi_size").replaceAll("[\\[\\] ]", "");
		String pad = m.get("padding_mode").equals("replicate") ? "edge" : m.get("padding_mode");
		Path logits = dir.resolve("logits.nii.gz"), labels = dir.resolve("labels.nii.gz");
		CliRunner seg = CliRunner.run("segment", "--model", pkg.toString(), "--input", in.toString(), "--output", labels.toString(),
				"--save-logits", logits.toString(), "--roi", roi, "--overlap", m.get("overlap"), "--blend", m.get("mode"),
				"--sigma-scale", m.get("sigma_scale"), "--pad", pad, "--pad-value", m.get("cval"), "--batch",
				m.get("sw_batch_size"), "--no-resample", "--no-reorient", "--no-normalize", "--device", "cpu");
		assertEquals(0, seg.exitCode, seg.toString());
		assertTrue(seg.out.contains("windows:     16 in 8 batches"), seg.out);

		Volume out = NiftiReader.read(logits).volume();
		long[] e = expected.shape();
		assertArrayEquals(new long[] { e[2], e[3], e[4], e[1] }, out.dimensions());
		float[] want = expected.data();
		RandomAccess<FloatType> a = out.voxels().randomAccess();
		double maxDiff = 0;
		for (int c = 0; c < e[1]; c++)
			for (int x = 0; x < e[2]; x++)
				for (int y = 0; y < e[3]; y++)
					for (int z = 0; z < e[4]; z++) {
						float got = a.setPositionAndGet(x, y, z, c).get();
						float ref = want[(int) ((((long) c * e[2] + x) * e[3] + y) * e[4] + z)];
						maxDiff = Math.max(maxDiff, Math.abs(got - ref));
					}
		assertTrue(maxDiff < 1e-4, "max |logits - MONAI| = " + maxDiff);

		// the label map is the argmax of MONAI's blended logits wherever the top two are not tied
		Volume lab = NiftiReader.read(labels).volume();
		assertArrayEquals(new long[] { e[2], e[3], e[4] }, lab.dimensions());
		RandomAccess<FloatType> l = lab.voxels().randomAccess();
		long checked = 0;
		for (int x = 0; x < e[2]; x++)
			for (int y = 0; y < e[3]; y++)
				for (int z = 0; z < e[4]; z++) {
					int best = 0;
					float first = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
					for (int c = 0; c < e[1]; c++) {
						float v = want[(int) ((((long) c * e[2] + x) * e[3] + y) * e[4] + z)];
						if (v > first) {
							second = first;
							first = v;
							best = c;
						} else if (v > second)
							second = v;
					}
					if (first - second > 1e-3) {
						assertEquals(best, (int) l.setPositionAndGet(x, y, z).get(), "label at " + x + "," + y + "," + z);
						checked++;
					}
				}
		assertTrue(checked > 0.9 * e[2] * e[3] * e[4], "checked " + checked);
	}

	/** A {@code [1, channels, d0, d1, d2]} tensor as a volume (x, y, z[, channel]) with x = d0. */
	static Volume fromTorch(FloatTensor t, Geometry geometry) {
		long[] s = t.shape();
		int channels = (int) s[1];
		Volume v = channels == 1 ? Volume.allocate(geometry, s[2], s[3], s[4])
				: Volume.allocate(geometry, s[2], s[3], s[4], channels);
		RandomAccess<FloatType> a = v.voxels().randomAccess();
		float[] data = t.data();
		long[] pos = new long[v.voxels().numDimensions()];
		for (int c = 0; c < channels; c++)
			for (int x = 0; x < s[2]; x++)
				for (int y = 0; y < s[3]; y++)
					for (int z = 0; z < s[4]; z++) {
						pos[0] = x;
						pos[1] = y;
						pos[2] = z;
						if (channels > 1)
							pos[3] = c;
						a.setPosition(pos);
						a.get().set(data[(int) ((((long) c * s[2] + x) * s[3] + y) * s[4] + z)]);
					}
		return v;
	}
}
