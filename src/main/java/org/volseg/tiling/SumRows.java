package org.volseg.tiling;

import java.util.Arrays;

/**
 * The {@link Stitcher}'s running sums: rows of {@code width} values in one {@link SumPrecision},
 * addressed by slot number. A slot is {@linkplain #take() taken} zeroed and {@linkplain #release
 * given back} when its row is finished; given-back arrays are reused, so arrays are allocated only
 * up to the most rows live at once. Values are read and written as floats whatever the precision.
 * Not thread-safe.
 */
abstract class SumRows {

	private final int width;
	private final int bytesPerValue;
	private int[] free = new int[16];
	private int freeCount;
	private int allocated;
	private int live;
	private int peak;

	private SumRows(int width, int bytesPerValue) {
		if (width < 1)
			throw new IllegalArgumentException("row width must be at least 1, got " + width);
		this.width = width;
		this.bytesPerValue = bytesPerValue;
	}

	/**
	 * @param precision {@link SumPrecision#FLOAT32} or {@link SumPrecision#FLOAT16}
	 * @param width values per row
	 */
	static SumRows of(SumPrecision precision, int width) {
		switch (precision) {
		case FLOAT32:
			return new Float32(width);
		case FLOAT16:
			return new Float16(width);
		default:
			throw new IllegalArgumentException("a resolved precision is needed, got " + precision);
		}
	}

	/** A zeroed row's slot. */
	final int take() {
		int slot;
		if (freeCount > 0)
			slot = free[--freeCount];
		else {
			slot = allocated++;
			allocate(slot, width);
		}
		peak = Math.max(peak, ++live);
		return slot;
	}

	/** Gives a taken row back; its values are zeroed for the next {@link #take()}. */
	final void release(int slot) {
		clear(slot);
		if (freeCount == free.length)
			free = Arrays.copyOf(free, 2 * freeCount);
		free[freeCount++] = slot;
		live--;
	}

	/** Bytes of the most rows live at once so far. */
	final long peakBytes() {
		return (long) peak * width * bytesPerValue;
	}

	/** {@code row[at + j] += weight * values[from + j]} for {@code j < count}. */
	abstract void addWeighted(int slot, int at, float[] values, int from, int count, float weight);

	/** {@code row[at] += value}. */
	abstract void add(int slot, int at, float value);

	/** {@code row[at]}. */
	abstract float get(int slot, int at);

	/** {@code dst[j] = row[at + j]} for {@code j < count}. */
	abstract void read(int slot, int at, float[] dst, int count);

	/** Makes a zeroed row for a new slot (slots are numbered 0, 1, 2, ...). */
	abstract void allocate(int slot, int width);

	abstract void clear(int slot);

	/** 4-byte sums, MONAI's. */
	private static final class Float32 extends SumRows {
		private float[][] rows = new float[16][];

		Float32(int width) {
			super(width, 4);
		}

		@Override
		void addWeighted(int slot, int at, float[] values, int from, int count, float weight) {
			float[] r = rows[slot];
			for (int j = 0; j < count; j++)
				r[at + j] += weight * values[from + j];
		}

		@Override
		void add(int slot, int at, float value) {
			rows[slot][at] += value;
		}

		@Override
		float get(int slot, int at) {
			return rows[slot][at];
		}

		@Override
		void read(int slot, int at, float[] dst, int count) {
			System.arraycopy(rows[slot], at, dst, 0, count);
		}

		@Override
		void allocate(int slot, int width) {
			if (slot == rows.length)
				rows = Arrays.copyOf(rows, 2 * slot);
			rows[slot] = new float[width];
		}

		@Override
		void clear(int slot) {
			Arrays.fill(rows[slot], 0f);
		}
	}

	/** 2-byte sums ({@link HalfFloats}): every addition rounds to the nearest half. */
	private static final class Float16 extends SumRows {
		private short[][] rows = new short[16][];

		Float16(int width) {
			super(width, 2);
		}

		@Override
		void addWeighted(int slot, int at, float[] values, int from, int count, float weight) {
			short[] r = rows[slot];
			for (int j = 0; j < count; j++)
				r[at + j] = HalfFloats.fromFloat(HalfFloats.toFloat(r[at + j]) + weight * values[from + j]);
		}

		@Override
		void add(int slot, int at, float value) {
			short[] r = rows[slot];
			r[at] = HalfFloats.fromFloat(HalfFloats.toFloat(r[at]) + value);
		}

		@Override
		float get(int slot, int at) {
			return HalfFloats.toFloat(rows[slot][at]);
		}

		@Override
		void read(int slot, int at, float[] dst, int count) {
			short[] r = rows[slot];
			for (int j = 0; j < count; j++)
				dst[j] = HalfFloats.toFloat(r[at + j]);
		}

		@Override
		void allocate(int slot, int width) {
			if (slot == rows.length)
				rows = Arrays.copyOf(rows, 2 * slot);
			rows[slot] = new short[width];
		}

		@Override
		void clear(int slot) {
			Arrays.fill(rows[slot], (short) 0);
		}
	}
}
