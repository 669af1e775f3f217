package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.volseg.model.DescriptorReader;
import org.volseg.model.ModelDescriptor;

class ModelPackageWriterTest {

	@TempDir
	Path tmp;

	@Test
	void exportedPackageHoldsDescriptorAndARunnableSavedModel() throws Exception {
		TestNetworks net = new TestNetworks(1, 2, 7);
		Path pkg = net.export(tmp.resolve("pkg"), 6, 5, 4, true, true);
		ModelDescriptor d = DescriptorReader.read(pkg.resolve("rdf.yaml"));
		assertEquals(net.descriptor(6, 5, 4, true), d);
		assertTrue(Files.isRegularFile(pkg.resolve("saved_model/saved_model.pb")));
		try (var s = Files.list(tmp)) {
			assertEquals(1, s.count(), "no temporary folder left next to the package");
		}
		float[] in = TestNetworks.randomInput(2 * 6 * 5 * 4, 1);
		try (SavedModelBundle b = SavedModelBundle.load(pkg.resolve("saved_model").toString(), "serve");
				TFloat32 t = TFloat32.tensorOf(Shape.of(2, 6, 5, 4, 1), DataBuffers.of(in, true, false));
				Result r = b.function("serving_default").call(Map.of("input", t))) {
			Tensor out = r.get("output").orElseThrow();
			float[] got = new float[2 * 6 * 5 * 4 * 2];
			out.asRawTensor().data().asFloats().read(got);
			assertArrayEquals(net.reference(in, 2, 6, 5, 4), got, 1e-4f);
		}
	}

	@Test
	void refusesToOverwriteAnExistingPackage() throws Exception {
		TestNetworks net = new TestNetworks(1, 1, 3);
		Path pkg = net.export(tmp.resolve("pkg"), 4, 4, 4, true, false);
		assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> net.export(pkg, 4, 4, 4, true, false));
	}
}
