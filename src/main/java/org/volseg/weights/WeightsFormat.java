package org.volseg.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The formats of weights files VolSeg reads, told apart by their first bytes (not the file
 * name): a zip ({@code PK\3\4}) is a {@code torch.save} checkpoint; a pickle stream starting with
 * PyTorch's magic number is a legacy checkpoint; an 8-byte little-endian length followed by
 * {@code '{'} is safetensors.
 */
public enum WeightsFormat {
	/** safetensors (Hugging Face). */
	SAFETENSORS,
	/** {@code torch.save} zip, PyTorch 1.6 and later. */
	TORCH_ZIP,
	/** {@code torch.save} before 1.6, or with {@code _use_new_zipfile_serialization=False}. */
	TORCH_LEGACY,
	/** None of these (or unreadable, or too short). */
	UNKNOWN;

	/** PROTO 2, LONG1 of 10 bytes: torch.serialization's MAGIC_NUMBER 0x1950a86a20f9469cfc6c. */
	private static final byte[] LEGACY_MAGIC = { (byte) 0x80, 0x02, (byte) 0x8a, 0x0a, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46,
			(byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19 };

	/** The format of a file from its first bytes; {@link #UNKNOWN} if it cannot be read. */
	public static WeightsFormat detect(Path file) {
		byte[] head;
		try (InputStream in = Files.newInputStream(file)) {
			head = in.readNBytes(16);
		} catch (IOException ex) {
			return UNKNOWN;
		}
		return detect(head);
	}

	/** The format of a file from its first (up to 16) bytes. */
	public static WeightsFormat detect(byte[] head) {
		if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return TORCH_ZIP;
		if (startsWith(head, LEGACY_MAGIC)) return TORCH_LEGACY;
		if (head.length >= 9 && head[8] == '{') {
			boolean smallLength = head[5] == 0 && head[6] == 0 && head[7] == 0;
			if (smallLength) return SAFETENSORS;
		}
		return UNKNOWN;
	}

	private static boolean startsWith(byte[] head, byte[] prefix) {
		if (head.length < prefix.length) return false;
		for (int i = 0; i < prefix.length; i++) if (head[i] != prefix[i]) return false;
		return true;
	}
}
