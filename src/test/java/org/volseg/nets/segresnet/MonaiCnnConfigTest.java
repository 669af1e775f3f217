package org.volseg.nets.segresnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.volseg.InvalidParameterException;
import org.volseg.util.Json;
import org.volseg.nets.Architectures;
import org.volseg.nets.Network;

/** UNet and SegResNet keyword arguments: MONAI's defaults and forms are accepted, what VolSeg cannot build is refused by name. */
class MonaiCnnConfigTest {

	private static Network segresnet(String json) throws Exception {
		return Architectures.byName("segresnet").configure(Json.parseObject(json));
	}

	private static Network unet(String extra) throws Exception {
		return Architectures.byName("unet").configure(Json.parseObject("{\"spatial_dims\": 3, \"in_channels\": 1, \"out_channels\": 2, "
				+ "\"channels\": [8, 16, 32], \"strides\": [2, [2, 2, 1]]" + extra + "}"));
	}

	private static void refused(String fragment, org.junit.jupiter.api.function.Executable e) {
		InvalidParameterException ex = assertThrows(InvalidParameterException.class, e);
		assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
	}

	@Test
	void segResNetDefaultsAreMonais() throws Exception {
		Network n = segresnet("{}");
		Map<String, Object> c = n.config();
		assertEquals(8, c.get("init_filters"));
		assertEquals(List.of(1, 2, 2, 4), c.get("blocks_down"));
		assertEquals("nontrainable", Json.writeCompact(c.get("upsample_mode")).replace("\"", ""));
		assertEquals(2, n.outputChannels());
		assertArrayEquals(new long[] { 96, 96, 96 }, n.inputSpatialShape());
		assertArrayEquals(new long[] { 40, 8, 16 }, n.outputSpatialShape(new long[] { 40, 8, 16 }));
		refused("multiples of 8", () -> n.outputSpatialShape(new long[] { 36, 8, 16 }));
		assertEquals(8, segresnet("{\"use_conv_final\": false}").outputChannels());
		assertEquals(List.of("conv_final.*"), segresnet("{\"use_conv_final\": false}").unusedKeyPatterns());
	}

	@Test
	void segResNetRefusals() {
		refused("\"pixelshuffle\"", () -> segresnet("{\"upsample_mode\": \"subpixel\"}"));
		refused("blocks_up", () -> segresnet("{\"blocks_up\": [1, 1]}"));
		refused("norm_name", () -> segresnet("{\"norm_name\": \"batch\"}"));
		refused("act", () -> segresnet("{\"act\": \"prelu\"}"));
		refused("num_groups", () -> segresnet("{\"norm\": \"group\"}"));
		refused("divides", () -> segresnet("{\"init_filters\": 12}"));
		refused("spatial_dims", () -> segresnet("{\"spatial_dims\": 2}"));
		refused("unknown keyword", () -> segresnet("{\"vae_nz\": 4}"));
	}

	@Test
	void segResNetDeprecatedNormNameMeansGroupNorm() throws Exception {
		Network n = segresnet("{\"norm_name\": \"GROUP\", \"num_groups\": 4, \"init_filters\": 4}");
		assertEquals(4, n.config().get("num_groups"));
	}

	@Test
	void unetFormsAndRefusals() throws Exception {
		Network n = unet(", \"act\": [\"LeakyReLU\", {\"negative_slope\": 0.1}], \"norm\": [\"group\", {\"num_groups\": 4}]");
		assertArrayEquals(new long[] { 96, 96, 96 }, n.inputSpatialShape());
		assertArrayEquals(new long[] { 8, 8, 2 }, n.outputSpatialShape(new long[] { 8, 8, 2 }));
		refused("multiples of [4, 4, 2]", () -> n.outputSpatialShape(new long[] { 8, 8, 3 }));
		unet(", \"act\": [\"prelu\", {\"num_parameters\": 1, \"init\": 0.2}], \"norm\": null, \"adn_ordering\": \"AN\", \"dropout\": 0.1");
		refused("divides", () -> unet(", \"norm\": [\"group\", {\"num_groups\": 4}], \"num_res_units\": 1"));
		refused("unet config.act", () -> unet(", \"act\": \"softmax\""));
		refused("unet config.norm", () -> unet(", \"norm\": \"layer\""));
		refused("unet config.norm", () -> unet(", \"norm\": [\"batch\", {\"track_running_stats\": false}]"));
		refused("adn_ordering", () -> unet(", \"adn_ordering\": \"NX\""));
		refused("kernel_size", () -> unet(", \"kernel_size\": 4"));
		refused("strides", () -> Architectures.byName("unet").configure(new LinkedHashMap<>(Map.of("spatial_dims", 3L, "in_channels", 1L,
				"out_channels", 2L, "channels", List.of(4L, 8L, 16L), "strides", List.of(2L)))));
	}
}
