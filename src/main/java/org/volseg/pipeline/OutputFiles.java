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
import java.util.function.Consumer;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;

/**
 * Writes a set of output files so that either all of them appear or none does: each is written
 * to a hidden temporary file next to its target ({@code .NAME.volseg-RANDOM.EXT}, EXT the target's
 * extension, {@code .nii.gz} included), and only
 * {@link #commit()} moves them onto their targets. {@link #close()} deletes whatever was not
 * committed (after a failure or a cancellation). {@link #stageAll} writes two files at a time; the
 * other methods are for the thread that owns it.
 */
final class OutputFiles implements AutoCloseable {

	/** Target and temporary file of each output, by kind, in the order reserved. */
	private final Map<String, Path[]> outputs = new LinkedHashMap<>();
	private final List<Path> temporary = new ArrayList<>();
	private boolean committed;

	/**
	 * Reserves the temporary name of an output (creating the target's folder if it is missing) and returns
	 * it; the caller writes the file there before {@link #commit()}.
	 */
	private synchronized Path reserve(String kind, Path target) {
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
		Path temp = (dir == null ? Path.of(".") : dir).resolve("." + name + ".volseg-" + AtomicFiles.randomToken() + ext);
		temporary.add(temp);
		outputs.put(kind, new Path[] { target, temp });
		return temp;
	}

	/** One output to write: its kind, target and writer (given the temporary path). */
	record Output(String kind, Path target, Consumer<Path> writer) {
	}

	/**
	 * Stages the outputs on two threads, the caller's and a helper ({@code volseg-writer}, started only for
	 * two or more outputs): the caller writes the outputs at even positions, the helper those at odd
	 * positions (for the README's job the label map here and the montage there, which share the two
	 * cores instead of taking turns). {@code between} runs before each output (a cancellation check that
	 * throws). Returns once both threads are done, also after a failure; then throws the failure of the
	 * earliest output that failed, as it was thrown. Writers must be safe to run at the same time (they
	 * only read the segmentation's outputs).
	 */
	void stageAll(List<Output> all, Runnable between) {
		stageAll(all, between, () -> {
		});
	}

	/**
	 * {@link #stageAll(List, Runnable)}, running {@code meanwhile} on the caller's thread once its outputs
	 * are written, while the helper may still be writing its own (for the README's job the label counts of
	 * the summary while the montage is drawn). What {@code meanwhile} throws is thrown after the helper is
	 * done, unless an output failed.
	 */
	void stageAll(List<Output> all, Runnable between, Runnable meanwhile) {
		for (Output o : all)
			reserve(o.kind(), o.target());
		RuntimeException[] failures = new RuntimeException[all.size()];
		Error[] errors = new Error[all.size()];
		Runnable[] halves = new Runnable[2];
		for (int half = 0; half < 2; half++) {
			int first = half;
			halves[half] = () -> {
				for (int i = first; i < all.size(); i += 2) {
					try {
						between.run();
						Output o = all.get(i);
						o.writer().accept(temporaryOf(o.kind()));
					} catch (RuntimeException e) {
						failures[i] = e;
						return;
					} catch (Error e) {
						errors[i] = e;
						return;
					}
				}
			};
		}
		Thread helper = null;
		if (all.size() > 1) {
			helper = new Thread(halves[1], "volseg-writer");
			helper.setDaemon(true);
			helper.start();
		}
		halves[0].run();
		RuntimeException meanwhileFailed = null;
		try {
			meanwhile.run();
		} catch (RuntimeException e) {
			meanwhileFailed = e;
		}
		if (helper != null) {
			boolean interrupted = false;
			while (helper.isAlive())
				try {
					helper.join();
				} catch (InterruptedException e) {
					interrupted = true;
				}
			if (interrupted)
				Thread.currentThread().interrupt();
		}
		for (int i = 0; i < all.size(); i++) {
			if (errors[i] != null)
				throw errors[i];
			if (failures[i] != null)
				throw failures[i];
		}
		if (meanwhileFailed != null)
			throw meanwhileFailed;
	}

	private synchronized Path temporaryOf(String kind) {
		return outputs.get(kind)[1];
	}

	/** Moves every staged file onto its target (replacing an existing file). */
	synchronized void commit() {
		for (Path[] output : outputs.values()) {
			Path target = output[0], temp = output[1];
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
	synchronized Map<String, Path> written() {
		Map<String, Path> targets = new LinkedHashMap<>();
		if (committed)
			outputs.forEach((kind, output) -> targets.put(kind, output[0]));
		return java.util.Collections.unmodifiableMap(targets);
	}

	@Override
	public synchronized void close() {
		for (Path p : temporary)
			try {
				Files.deleteIfExists(p);
			} catch (IOException ignored) {
				// best effort: the name starts with a dot and contains ".volseg-"
			}
	}
}
