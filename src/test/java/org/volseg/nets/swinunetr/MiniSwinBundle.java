package org.volseg.nets.swinunetr;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.volseg.util.Json;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

/** The test copies of the swin_unetr_btcv_segmentation bundles (src/test/resources/bundles, see its README). */
public final class MiniSwinBundle {

	private MiniSwinBundle() {
	}

	/** A file under src/test/resources/bundles. */
	public static Path bundleFile(String relative) {
		try {
			return Paths.get(MiniSwinBundle.class.getResource("/bundles/" + relative).toURI());
		} catch (URISyntaxException | NullPointerException ex) {
			throw new IllegalStateException("missing test resource bundles/" + relative, ex);
		}
	}

	/** forward.safetensors: input, expected_output, expected_output_monai14, network_def in the metadata. */
	public static SafeTensors forward() {
		return SafeTensors.read(bundleFile("mini/swin_unetr_btcv_segmentation/forward.safetensors"));
	}

	/** models/model.pt, read by the PyTorch checkpoint reader. */
	public static StateDict weights() {
		return StateDict.read(bundleFile("mini/swin_unetr_btcv_segmentation/models/model.pt"));
	}

	/** The mini network_def (without _target_) for a graph of the fixture input's size 32 x 32 x 64. */
	public static Map<String, Object> kwargs(SafeTensors forward) throws Json.SyntaxException {
		Map<String, Object> k = new LinkedHashMap<>(Json.parseObject(forward.metadata().get("network_def")));
		if (!"SwinUNETR".equals(k.remove("_target_"))) throw new IllegalStateException("not a SwinUNETR network_def");
		long[] s = forward.tensors().get("input").shape();
		k.put("img_size", List.of(s[2], s[3], s[4]));
		return k;
	}

	/** The first sample of a batch, {@code x[:1]}. */
	public static FloatTensor firstSample(FloatTensor batch) {
		long[] one = batch.shape().clone();
		one[0] = 1;
		return new FloatTensor(one, Arrays.copyOf(batch.data(), (int) FloatTensor.elementCount(one)));
	}
}
