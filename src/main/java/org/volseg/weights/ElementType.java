package org.volseg.weights;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The element types of stored tensors that VolSeg reads, each converted to float32 on reading
 * (float64 rounds to the nearest float; integers are exact up to 2^24, which covers the
 * counters and index tables found in state dicts).
 */
public enum ElementType {
	FLOAT32(4, "FloatStorage", "F32"),
	FLOAT64(8, "DoubleStorage", "F64"),
	FLOAT16(2, "HalfStorage", "F16"),
	BFLOAT16(2, "BFloat16Storage", "BF16"),
	INT64(8, "LongStorage", "I64"),
	INT32(4, "IntStorage", "I32"),
	INT16(2, "ShortStorage", "I16"),
	INT8(1, "CharStorage", "I8"),
	UINT8(1, "ByteStorage", "U8"),
	BOOL(1, "BoolStorage", "BOOL");

	private final int bytes;
	private final String torchStorage;
	private final String safetensorsName;

	ElementType(int bytes, String torchStorage, String safetensorsName) {
		this.bytes = bytes;
		this.torchStorage = torchStorage;
		this.safetensorsName = safetensorsName;
	}

	/** Bytes per element. */
	public int bytes() {
		return bytes;
	}

	/** PyTorch's storage class name in module {@code torch}, for example {@code FloatStorage}. */
	public String torchStorage() {
		return torchStorage;
	}

	/** The safetensors dtype name, for example {@code F32}. */
	public String safetensorsName() {
		return safetensorsName;
	}

	/** PyTorch's dtype name, for example {@code float32}. */
	public String torchName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The type of a PyTorch storage class name ({@code FloatStorage}), or {@code null}. */
	public static ElementType ofTorchStorage(String name) {
		for (ElementType t : values()) if (t.torchStorage.equals(name)) return t;
		return null;
	}

	/** The type of a safetensors dtype name ({@code F32}), or {@code null}. */
	public static ElementType ofSafetensors(String name) {
		for (ElementType t : values()) if (t.safetensorsName.equals(name)) return t;
		return null;
	}

	/**
	 * Decodes {@code n} elements from {@code in} (its position and byte order) into
	 * {@code out[offset ..]} as floats.
	 */
	public void decode(ByteBuffer in, float[] out, int offset, int n) {
		switch (this) {
			case FLOAT32:
				in.asFloatBuffer().get(out, offset, n); // a view: advance the buffer itself
				in.position(in.position() + 4 * n);
				break;
			case FLOAT64: for (int i = 0; i < n; i++) out[offset + i] = (float) in.getDouble(); break;
			case FLOAT16: for (int i = 0; i < n; i++) out[offset + i] = halfToFloat(in.getShort()); break;
			case BFLOAT16: for (int i = 0; i < n; i++) out[offset + i] = Float.intBitsToFloat((in.getShort() & 0xffff) << 16); break;
			case INT64: for (int i = 0; i < n; i++) out[offset + i] = in.getLong(); break;
			case INT32: for (int i = 0; i < n; i++) out[offset + i] = in.getInt(); break;
			case INT16: for (int i = 0; i < n; i++) out[offset + i] = in.getShort(); break;
			case INT8: for (int i = 0; i < n; i++) out[offset + i] = in.get(); break;
			case UINT8: case BOOL: for (int i = 0; i < n; i++) out[offset + i] = in.get() & 0xff; break;
			default: throw new IllegalStateException(name());
		}
	}

	/** IEEE 754 binary16 to float (Java 17 has no {@code Float.float16ToFloat}). */
	public static float halfToFloat(short h) {
		int bits = h & 0xffff;
		int sign = (bits & 0x8000) << 16;
		int exp = (bits >>> 10) & 0x1f;
		int mant = bits & 0x3ff;
		if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
		if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
		float v = mant * 0x1p-24f;
		return sign != 0 ? -v : v;
	}
}
