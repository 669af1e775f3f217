package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackageException;

/** Descriptor-versus-signature checks, on plain shapes (no TensorFlow needed). */
class SignatureCheckTest {

	final ModelDescriptor fixed = new TestNetworks(2, 3, 1).descriptor(32, 32, 16, true);
	final ModelDescriptor free = new TestNetworks(2, 3, 1).descriptor(32, 32, 16, false);

	static SignatureCheck.TensorInfo t(String name, long... shape) {
		return new SignatureCheck.TensorInfo(name, "DT_FLOAT", shape);
	}

	@Test
	void matchingShapesPass() {
		SignatureCheck.check(fixed, "m", t("input", -1, 32, 32, 16, 2), t("output", -1, 32, 32, 16, 3));
		SignatureCheck.check(free, "m", t("input", -1, -1, -1, -1, 2), t("output", -1, -1, -1, -1, 3));
		SignatureCheck.check(free, "m", new SignatureCheck.TensorInfo("input", "DT_FLOAT", null),
				t("output", -1, -1, -1, -1, 3));
	}

	@Test
	void everyContradictionIsListed() {
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> SignatureCheck.check(fixed, "m",
				new SignatureCheck.TensorInfo("input", "DT_HALF", new long[] { -1, 32, 30, 16, 2 }),
				t("output", -1, 32, 32, 16, 4)));
		assertEquals(List.of("inputs[0].data.type: float32 contradicts the SavedModel's input \"input\" of type DT_HALF",
				"inputs[0].axes[2].size: 32 contradicts the SavedModel's input \"input\"'s fixed size 30 (shape "
						+ "[?, 32, 30, 16, 2])",
				"outputs[0].axes[4]: declares 3 channels but the SavedModel's output \"output\" has 4 on that axis "
						+ "(shape [?, 32, 32, 16, 4])"), e.problems());
	}

	@Test
	void aFixedModelSizeMustBeThePatchSize() {
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> SignatureCheck.check(free, "m",
				t("input", -1, 64, 64, 64, 2), t("output", -1, 64, 64, 64, 3)));
		assertEquals("config.volseg.patch_size[0]: 32 but the SavedModel's input \"input\" only accepts 64 on axis x",
				e.problems().get(0));
		assertEquals(6, e.problems().size(), e.getMessage());
	}

	@Test
	void fixedBatchSizeContradiction() {
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> SignatureCheck.check(fixed, "m",
				t("input", 1, 32, 32, 16), t("output", -1, 32, 32, 16, 3)));
		assertEquals(List.of("inputs[0].axes: declares 5 axes [batch, x, y, z, channel] but the SavedModel's input "
				+ "\"input\" has rank 4 (shape [1, 32, 32, 16])"), e.problems());
	}
}
