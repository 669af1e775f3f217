package org.volseg.model;

import java.io.IOException;
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
 * Also recursive copy and delete of package folders. Stateless.
 */
public final class AtomicFiles {

	private AtomicFiles() {
	}

	/** Writes UTF-8 text to {@code target} through a temporary file in the same folder. */
	public static void writeString(Path target, String text) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
		try {
			Files.writeString(tmp, text, StandardCharsets.UTF_8);
			move(tmp, target, true);
		} finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * A fresh empty temporary folder next to {@code target} (same file system, so that
	 * {@link #moveFolder} can rename it into place).
	 */
	public static Path tempFolderNextTo(Path target) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		return Files.createTempDirectory(dir, "." + target.getFileName() + ".");
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
