package org.volseg.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Atomic file and folder writes: write next to the target under a temporary name, then move.
 * Also recursive copy and delete of package folders. Stateless and thread-safe. Every writer of
 * VolSeg output files (NIfTI, safetensors, PNG, CSV, YAML, JSON) goes through here.
 */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	/** Writes what a file holds, to the stream it is given; does not close the stream. */
	@FunctionalInterface
	public interface Content {
		void writeTo(OutputStream out) throws IOException;
	}

	/**
	 * Writes {@code target} through a temporary file in the same folder, then moves it into place
	 * with one rename (replacing an existing file), so the target's name only ever shows a complete
	 * file. On failure the temporary file is deleted and the target left as it was.
	 *
	 * @throws IOException if the folder does not exist or a write fails
	 */
	public static void write(Path target, Content content) throws IOException {
		Path temp = temporarySibling(target);
		try {
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
				content.writeTo(out);
			}
			moveIntoPlace(temp, target);
			temp = null;
		} finally {
			if (temp != null)
				Files.deleteIfExists(temp);
		}
	}

	/** Writes UTF-8 text to {@code target} atomically (see {@link #write}), creating its folder if missing. */
	public static void writeString(Path target, String text) throws IOException {
		Files.createDirectories(target.toAbsolutePath().getParent());
		write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Creates a new empty hidden file next to {@code target}, named {@code .NAME.RANDOM.part}, with the
	 * file system's default permissions (unlike {@link Files#createTempFile}, which makes it private
	 * to the owner: outputs in shared lab folders must stay readable). The caller writes it and then
	 * calls {@link #moveIntoPlace}, or deletes it.
	 */
	public static Path temporarySibling(Path target) throws IOException {
		return temporarySibling(target, ".part");
	}

	/**
	 * As {@link #temporarySibling(Path)} with another ending, for writers that choose a format by the
	 * file name (ImageJ's results tables by {@code .csv}, say). {@link #isTemporaryOf} does not
	 * recognise such names.
	 */
	public static Path temporarySibling(Path target, String suffix) throws IOException {
		return createSibling(target, suffix, false);
	}

	private static Path createSibling(Path target, String suffix, boolean folder) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		String name = target.getFileName().toString();
		for (int attempt = 0;; attempt++) {
			Path temp = dir.resolve("." + name + "." + randomToken() + suffix);
			try {
				return folder ? Files.createDirectory(temp) : Files.createFile(temp);
			} catch (java.nio.file.FileAlreadyExistsException e) {
				if (attempt > 100)
					throw e;
			}
		}
	}

	/**
	 * 64 random bits in base 36, for temporary names. Not cryptographic, and need not be: the temporary
	 * file is created exclusively (a name already taken, a planted symbolic link included, is refused and
	 * another tried), so guessing the name gains nothing. {@code SecureRandom}'s first use costs a fresh
	 * JVM about 30 ms (security providers), right after the inference in {@code volseg segment}.
	 */
	public static String randomToken() {
		return Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36);
	}

	/**
	 * True if {@code fileName} is a name {@link #temporarySibling} gives for a target named
	 * {@code targetName}: what a killed writer leaves behind, safe to delete before writing again.
	 */
	public static boolean isTemporaryOf(String fileName, String targetName) {
		return fileName.startsWith("." + targetName + ".") && fileName.endsWith(".part");
	}

	/** Renames a finished temporary file onto {@code target}, replacing it; atomic where the file system allows. */
	public static void moveIntoPlace(Path temp, Path target) throws IOException {
		move(temp, target, true);
	}

	/**
	 * A fresh empty hidden folder next to {@code target} (same file system, so that
	 * {@link #moveFolder} can rename it into place), with the default permissions: an installed model
	 * folder must stay readable by every user of a shared Fiji.
	 */
	public static Path tempFolderNextTo(Path target) throws IOException {
		Files.createDirectories(target.toAbsolutePath().getParent());
		return createSibling(target, "", true);
	}

	/**
	 * Moves a finished folder into place with one rename. Fails if {@code target} exists (unless
	 * {@code replace}: then the old folder is moved aside first and deleted after).
	 */
	public static void moveFolder(Path finished, Path target, boolean replace) throws IOException {
		if (Files.exists(target)) {
			if (!replace)
				throw new java.nio.file.FileAlreadyExistsException(target.toString());
			Path old = tempFolderNextTo(target);
			Files.delete(old);
			Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
			try {
				move(finished, target, false);
			} catch (IOException e) {
				Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
				throw e;
			}
			deleteRecursively(old);
			return;
		}
		move(finished, target, false);
	}

	private static void move(Path from, Path to, boolean replace) throws IOException {
		try {
			if (replace)
				Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			else
				Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		} catch (AtomicMoveNotSupportedException e) {
			if (replace)
				Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
			else
				Files.move(from, to);
		}
	}

	/** Copies a folder tree (files and folders; symbolic links are refused). */
	public static void copyFolder(Path from, Path to) throws IOException {
		Files.walkFileTree(from, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
				Files.createDirectories(to.resolve(from.relativize(dir).toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				if (attrs.isSymbolicLink())
					throw new IOException(file + ": symbolic links are not allowed in a model package");
				Files.copy(file, to.resolve(from.relativize(file).toString()));
				return FileVisitResult.CONTINUE;
			}
		});
	}

	/** Deletes a file or folder tree if it exists (does not follow symbolic links). */
	public static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS))
			return;
		Files.walkFileTree(path, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.delete(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
				if (exc != null)
					throw exc;
				Files.delete(dir);
				return FileVisitResult.CONTINUE;
			}
		});
	}
}
