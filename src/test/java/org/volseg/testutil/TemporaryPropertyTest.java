package org.volseg.testutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TemporaryPropertyTest {

	private static final String KEY = "volseg.test.temporaryProperty";

	@Test
	void anUnsetPropertyIsClearedAgainEvenAfterAnException() {
		System.clearProperty(KEY);
		assertThrows(IllegalStateException.class, () -> {
			try (TemporaryProperty p = TemporaryProperty.set(KEY, "a")) {
				assertEquals("a", System.getProperty(KEY));
				p.to("b");
				assertEquals("b", System.getProperty(KEY));
				throw new IllegalStateException("the block fails");
			}
		});
		assertNull(System.getProperty(KEY));
	}

	@Test
	void aSetPropertyGetsItsValueBackAfterBeingClearedAndChanged() {
		System.setProperty(KEY, "before");
		try {
			try (TemporaryProperty p = TemporaryProperty.cleared(KEY)) {
				assertNull(System.getProperty(KEY));
				p.to("during");
				assertEquals("during", System.getProperty(KEY));
				p.clear();
				assertNull(System.getProperty(KEY));
			}
			assertEquals("before", System.getProperty(KEY));
		} finally {
			System.clearProperty(KEY);
		}
	}
}
