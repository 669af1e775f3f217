package org.volseg.pipeline;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.volseg.VolSegException;

/**
 * Writes a set of output files so that either all of them appear or none does: each is written
 * to a hidden temporary file next to its target ({@code .NAME.volseg-RANDOM.EXT}, EXT the target's
 * extension, {@code .nii.gz} included), and only
 * {@link #commit()} moves them onto their targets. {@link #close()} deletes whatever was not
 * committed (after a failure or a cancellation). Not thread-safe.
 */
final class OutputFiles implements AutoCloseable {

	private final Map<String, Path> targets = new LinkedHashMap<>();
	private final List<Path> temporary = new ArrayList<>();
	private final List<Path> staged = new ArrayList<>();
	private boolean committed;

	/**
	 * Writes one file to its temporary name, creating the target's folder if it is missing.
	 *
	 * @param kind the output's name in {@link #written()}
	 * @param writer writes the output to the path it is given
	 */
	void stage(String kind, Path target, Consumer<Path> writer) {
		Path dir = target.toAbsolutePath().getParent();
		String name = target.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String ext = name.endsWith(".nii.gz") ? ".nii.gz" : dot > 0 ? name.substring(dot) : "";
		if (dir != null && !Files.isDirectory(dir)) {
			try {
				Files.createDirectories(dir);
			} catch (IOException e) {
				throw new VolSegException(target + ": cannot be written: the folder " + dir + " does not exist and cannot be "
						+ "created (" + e.getMessage() + "); create it or choose another folder", e);
			}
		}
		Path temp = (dir == null ? Path.of(".") : dir).resolve("." + name + ".volseg-" + UUID.randomUUID() + ext);
		temporary.add(temp);
		writer.accept(temp);
		staged.add(temp);
		targets.put(kind, target);
	}

	/** True if an output of that kind was staged. */
	boolean hasKind(String kind) {
		return targets.containsKey(kind);
	}

	/** Moves every staged file onto its target (replacing an existing file). */
	void commit() {
		int i = 0;
		for (Path target : targets.values()) {
			Path temp = staged.get(i++);
			try {
				try {
					Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
				} catch (AtomicMoveNotSupportedException e) {
					Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
				}
			} catch (IOException e) {
				throw new VolSegException(target + ": cannot be written (" + e + "); check the folder is writable", e);
			}
		}
		committed = true;
	}

	/** The targets by kind (meaningful after {@link #commit()}). */
	Map<String, Path> written() {
		return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
	}

	@Override
	public void close() {
		for (Path p : temporary)
			try {
				Files.deleteIfExists(p);
			} catch (IOException ignored) {
				// best effort: the name starts with a dot and contains ".volseg-"
			}
		if (!committed)
			targets.clear();
	}
}
