package org.volseg.weights;

import java.nio.file.Path;

/**
 * A checkpoint written by {@code torch.save} before PyTorch 1.6 (or with
 * {@code _use_new_zipfile_serialization=False}): a bare pickle stream, not the zip format VolSeg
 * reads. The message gives the one line of Python that re-saves it in the zip format.
 */
public class LegacyCheckpointException extends CheckpointException {

	private static final long serialVersionUID = 1L;

	public LegacyCheckpointException(Path file) {
		super(file, "a legacy (pre-1.6, non-zip) torch.save file, which VolSeg does not read. Re-save it in the zip format"
				+ " with PyTorch:\n  python -c \"import torch; torch.save(torch.load('" + pythonQuoted(file)
				+ "', map_location='cpu'), '" + pythonQuoted(resavedName(file)) + "')\"\nand give the new file instead.");
	}

	/** {@code model.pt} -> {@code model-zip.pt}, next to the original. */
	static Path resavedName(Path file) {
		String name = file.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String resaved = dot > 0 ? name.substring(0, dot) + "-zip" + name.substring(dot) : name + "-zip.pt";
		return file.resolveSibling(resaved);
	}

	private static String pythonQuoted(Path p) {
		return p.toString().replace("\\", "\\\\").replace("'", "\\'");
	}
}
