package org.volseg.model;

/**
 * The size of one tensor axis, as bioimage.io 0.5 declares it: fixed, parameterized
 * ({@code min + n * step}), a reference to another tensor's axis, or free (batch axes).
 */
public sealed interface AxisSize {

	/** Whether a tensor whose axis has {@code size} elements conforms. */
	boolean admits(long size);

	/** Exactly {@code value} elements. */
	record Fixed(int value) implements AxisSize {
		@Override
		public boolean admits(long size) {
			return size == value;
		}

		@Override
		public String toString() {
			return Integer.toString(value);
		}
	}

	/** {@code min + n * step} elements for any n &ge; 0; {@code step == 0} means exactly {@code min}. */
	record Parameterized(int min, int step) implements AxisSize {
		@Override
		public boolean admits(long size) {
			if (size < min)
				return false;
			return step == 0 ? size == min : (size - min) % step == 0;
		}

		@Override
		public String toString() {
			return "{min: " + min + ", step: " + step + "}";
		}
	}

	/** The size of axis {@code axisId} of tensor {@code tensorId}, plus {@code offset}. */
	record Reference(String tensorId, String axisId, int offset) implements AxisSize {
		@Override
		public boolean admits(long size) {
			return size > 0;
		}

		@Override
		public String toString() {
			return "same as " + tensorId + "." + axisId + (offset == 0 ? "" : (offset > 0 ? " + " : " - ") + Math.abs(offset));
		}
	}

	/** Any size (a batch axis without a declared size). */
	record Any() implements AxisSize {
		@Override
		public boolean admits(long size) {
			return size > 0;
		}

		@Override
		public String toString() {
			return "any";
		}
	}
}
