package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.io.Json;
import org.volseg.model.ModelPackage;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.ParityFixtures;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/**
 * volseg convert --arch swinunetr + volseg forward end to end: the mini BTCV bundle's weights
 * with the MONAI 1.4 patch merging order, recorded in the package, reproduce MONAI's output.
 */
class SwinUnetrConvertForwardTest {

	@TempDir
	Path dir;

	private String err;

	private static Path bundleFile(String relative) throws URISyntaxException {
		return Paths.get(SwinUnetrConvertForwardTest.class.getResource("/bundles/" + relative).toURI());
	}

	private int run(String... args) {
		PrintStream oldErr = System.err, oldOut = System.out;
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		try {
			System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
			System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
			return VolSegCli.run(args);
		} finally {
			System.setErr(oldErr);
			System.setOut(oldOut);
			err = e.toString(StandardCharsets.UTF_8);
		}
	}

	@Test
	void convertedPackageKeepsTheMonai14OrderAndReproducesMonai() throws Exception {
		SafeTensors forward = SafeTensors.read(bundleFile("mini/swin_unetr_btcv_segmentation/forward.safetensors"));
		StateDict weights = StateDict.read(bundleFile("mini/swin_unetr_btcv_segmentation/models/model.pt"));
		Map<String, Object> config = new LinkedHashMap<>(Json.parseObject(forward.metadata().get("network_def")));
		config.remove("_target_");
		config.put("img_size", List.of(32L, 32L, 64L));
		config.put("patch_merging_order", "monai14");
		Path w = dir.resolve("w.safetensors");
		SafeTensors.write(w, weights.tensors(), Map.of("architecture", "SwinUNETR", "config", Json.writeCompact(config)));
		Path pkg = dir.resolve("swin");
		assertEquals(0, run("convert", "--arch", "swinunetr", "--weights", w.toString(), "--out", pkg.toString()), err);
		try (ModelPackage p = ModelPackage.open(pkg)) {
			assertEquals("swinunetr", p.descriptor().volseg().network().architecture());
			assertEquals("monai14", p.descriptor().volseg().network().config().get("patch_merging_order"));
		}
		FloatTensor input = forward.tensors().get("input");
		long[] one = input.shape().clone();
		one[0] = 1;
		Path x = dir.resolve("x.safetensors");
		SafeTensors.write(x, Map.of("input", new FloatTensor(one, Arrays.copyOf(input.data(), (int) FloatTensor.elementCount(one)))),
				Map.of());
		Path y = dir.resolve("y.safetensors");
		assertEquals(0, run("forward", "--model", pkg.toString(), "--input", x.toString(), "--output", y.toString()), err);
		ParityFixtures.assertClose(forward.tensors().get("expected_output_monai14"), SafeTensors.read(y).tensors().get("output"));
	}
}
