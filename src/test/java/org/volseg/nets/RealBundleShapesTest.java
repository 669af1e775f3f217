package org.volseg.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For the real MONAI model-zoo bundles (configs only; the weights are not in the repository), the
 * network built from {@code network_def} takes exactly the parameter names and shapes of the state
 * dict MONAI 1.5 builds from it ({@code state_dict_shapes.json}), so the published model.pt loads.
 */
class RealBundleShapesTest {

	@ParameterizedTest
	@ValueSource(strings = { "spleen_ct_segmentation", "wholeBody_ct_segmentation", "brats_mri_segmentation" })
	void parametersMatchMonaiStateDict(String bundle) throws Exception {
		String dir = "real/" + bundle;
		Architecture arch = Architectures.byName(BundleFixtures.target(dir).toLowerCase(Locale.ROOT));
		Network net = arch.configure(BundleFixtures.networkDef(dir));
		Map<String, List<Long>> expected = BundleFixtures.stateDictShapes(dir);
		Map<String, List<Long>> actual = BundleFixtures.parameterShapes(net);
		assertEquals(new TreeMap<>(expected), new TreeMap<>(actual), bundle + ": keys and shapes");
		assertEquals(new ArrayList<>(expected.keySet()).size(), actual.size());
	}
}
