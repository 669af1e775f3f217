package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link CsaHeader} on nibabel's CSA test headers, against what nibabel 5.0's csareader reads. */
class CsaHeaderTest {

	private static byte[] bytes(String name) throws Exception {
		try (InputStream in = CsaHeaderTest.class.getResourceAsStream("/dicom/wild/" + name)) {
			return in.readAllBytes();
		}
	}

	@Test
	void csa2HeaderGivesNibabelsValues() throws Exception {
		// nibabel: csareader.read(csa2_b0.bin): type 2, 83 tags, get_n_mosaic 48,
		// get_slice_normal [0, 0.00523632, 0.99998629], B_value items [0], first tag EchoLinePosition
		CsaHeader h = CsaHeader.parse(bytes("nibabel_csa2_b0.bin"));
		assertEquals(48, h.numbers("NumberOfImagesInMosaic")[0]);
		assertArrayEquals(new double[] { 0, 0.00523632, 0.99998629 }, h.numbers("SliceNormalVector"), 1e-8);
		assertArrayEquals(new double[] { 0 }, h.numbers("B_value"));
		assertEquals(List.of(), h.values("DiffusionGradientDirection"));
		assertNull(h.numbers("NoSuchElement"));
	}

	@Test
	void aHeaderWithTooManyElementsIsNotRead() throws Exception {
		// nibabel refuses it too: "Expected <= 1000 tags, got 1001"
		assertNull(CsaHeader.parse(bytes("nibabel_csa_str_1001n_items.bin")));
		assertNull(CsaHeader.parse(new byte[] { 'S', 'V', '1', '0', 4, 3, 2, 1, 0, 0 }));
	}
}
