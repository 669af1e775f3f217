package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.volseg.VolSegException;

import ij.ImagePlus;
import ij.WindowManager;

/**
 * Turns what the commands and macros are given (SciJava's {@code File} and {@code ImagePlus} inputs,
 * image titles) into what the library takes. Stateless; the image look-ups read ImageJ's
 * {@link WindowManager} (windows, batch-mode images, the temporary current image).
 */
final class CommandInputs {

	private CommandInputs() {
	}

	/** The file as a path, or null when none was given (SciJava leaves an empty file field as null or {@code ""}). */
	static Path path(File file) {
		return file == null || file.getPath().isBlank() ? null : file.toPath();
	}

	/**
	 * The image given, else the current image.
	 *
	 * @param missing the message when there is neither: what is missing and what to do
	 * @throws VolSegException with {@code missing}
	 */
	static ImagePlus imageOrCurrent(ImagePlus given, String missing) {
		ImagePlus image = given != null ? given : WindowManager.getCurrentImage();
		if (image == null)
			throw new VolSegException(missing);
		return image;
	}

	/**
	 * The open images with these titles, in order.
	 *
	 * @param titles comma-separated; blank gives an empty list
	 * @throws VolSegException naming a title no open image has, and listing the open ones
	 */
	static List<ImagePlus> images(String titles) {
		List<ImagePlus> out = new ArrayList<>();
		if (titles == null || titles.isBlank())
			return out;
		for (String t : titles.split(",")) {
			ImagePlus image = WindowManager.getImage(t.trim());
			if (image == null)
				throw new VolSegException("no open image is titled '" + t.trim() + "'; open images: "
						+ String.join(", ", WindowManager.getImageTitles()));
			out.add(image);
		}
		return out;
	}
}
