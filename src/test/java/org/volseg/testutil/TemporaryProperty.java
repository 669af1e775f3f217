package org.volseg.testutil;

/**
 * A system property changed for the length of a {@code try} block and put back as it was (set to its
 * old value, or cleared if it had none) when the block ends, however it ends:
 *
 * <pre>{@code
 * try (TemporaryProperty p = TemporaryProperty.set(FrozenWeights.PROPERTY, "0")) {
 *     ... // the property is "0"
 *     p.clear(); // changed again, still restored at the end
 * }
 * }</pre>
 *
 * <p>System properties are global: tests that use this must not run at the same time as other code
 * reading the same property (VolSeg's tests run one at a time). Not thread-safe.</p>
 */
public final class TemporaryProperty implements AutoCloseable {

	private final String key;
	private final String before;

	private TemporaryProperty(String key) {
		this.key = key;
		this.before = System.getProperty(key);
	}

	/** Sets {@code key} to {@code value} until {@link #close}. */
	public static TemporaryProperty set(String key, String value) {
		return new TemporaryProperty(key).to(value);
	}

	/** Clears {@code key} until {@link #close}. */
	public static TemporaryProperty cleared(String key) {
		return new TemporaryProperty(key).clear();
	}

	/** Sets the property to {@code value} (it is still restored by {@link #close}); returns this. */
	public TemporaryProperty to(String value) {
		System.setProperty(key, value);
		return this;
	}

	/** Clears the property (it is still restored by {@link #close}); returns this. */
	public TemporaryProperty clear() {
		System.clearProperty(key);
		return this;
	}

	/** Puts the property back as it was before {@link #set} or {@link #cleared}. */
	@Override
	public void close() {
		if (before == null)
			System.clearProperty(key);
		else
			System.setProperty(key, before);
	}
}
