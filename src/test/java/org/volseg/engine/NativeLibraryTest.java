package org.volseg.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.TensorFlow;

/** {@link NativeLibrary}: when javacpp's CUDA search is skipped, and that the JVM's properties are left as found. */
class NativeLibraryTest {

	@Test
	void skipsTheCudaSearchOnlyForTheCpuBuildWhenTheUserSetNothing() {
		assertTrue(NativeLibrary.skipsCudaSearch(false, null));
		assertFalse(NativeLibrary.skipsCudaSearch(true, null), "the CUDA build needs javacpp's -gpu extension");
		assertFalse(NativeLibrary.skipsCudaSearch(false, ""), "the user's setting is kept");
		assertFalse(NativeLibrary.skipsCudaSearch(false, "-gpu"), "the user's setting is kept");
	}

	@Test
	void loadsTensorFlowAndRestoresJavacppsProperty() {
		assertNull(System.getProperty(NativeLibrary.EXTENSION_PROPERTY), "precondition: nothing set in the test JVM");
		String version = NativeLibrary.load();
		assertEquals(TensorFlow.version(), version);
		assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
		assertNull(System.getProperty(NativeLibrary.EXTENSION_PROPERTY), "the property is cleared again after loading");
		assertEquals(version, NativeLibrary.load(), "later calls return the same version");
	}
}
