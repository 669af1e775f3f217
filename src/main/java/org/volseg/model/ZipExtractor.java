package org.volseg.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Unzips a model package safely: every entry name is checked before anything is written, and the
 * whole archive is refused if any entry would land outside the target folder (zip slip: {@code ../},
 * absolute paths, drive letters) or if it would unpack to more than {@link #MAX_TOTAL_BYTES}.
 * Nothing is ever written outside the target. Stateless.
 */
public final class ZipExtractor {

	/** Largest total uncompressed size accepted (a guard against zip bombs). */
	public static final long MAX_TOTAL_BYTES = 16L << 30;

	/** Most entries accepted. */
	public static final int MAX_ENTRIES = 100_000;

	private ZipExtractor() {
	}

	/**
	 * Extracts {@code zip} into {@code target} (created if missing; existing files are not overwritten).
	 *
	 * @throws ModelPackageException if the archive is unreadable, unsafe or too large; files already
	 *         extracted into {@code target} are left for the caller to delete
	 */
	public static void extract(Path zip, Path target) {
		Path root = target.toAbsolutePath().normalize();
		try (ZipFile zf = new ZipFile(zip.toFile())) {
			List<ZipEntry> entries = new ArrayList<>();
			List<String> problems = new ArrayList<>();
			Enumeration<? extends ZipEntry> en = zf.entries();
			while (en.hasMoreElements()) {
				ZipEntry e = en.nextElement();
				if (entries.size() >= MAX_ENTRIES) {
					problems.add("more than " + MAX_ENTRIES + " entries");
					break;
				}
				String why = unsafeReason(e.getName(), root);
				if (why != null)
					problems.add("entry \"" + e.getName() + "\" " + why);
				entries.add(e);
			}
			if (!problems.isEmpty()) {
				problems.add("refusing to extract any of it; re-create the archive from the package folder");
				throw new ModelPackageException(zip.toString(), problems);
			}
			Files.createDirectories(root);
			long total = 0;
			byte[] buffer = new byte[1 << 16];
			for (ZipEntry e : entries) {
				Path out = root.resolve(e.getName()).normalize();
				if (e.isDirectory()) {
					Files.createDirectories(out);
					continue;
				}
				Files.createDirectories(out.getParent());
				try (InputStream in = zf.getInputStream(e); OutputStream os = Files.newOutputStream(out,
						java.nio.file.StandardOpenOption.CREATE_NEW)) {
					int n;
					while ((n = in.read(buffer)) > 0) {
						total += n;
						if (total > MAX_TOTAL_BYTES)
							throw new ModelPackageException(zip.toString(), List.of("unpacks to more than "
									+ (MAX_TOTAL_BYTES >> 30) + " GiB; refusing it (a damaged or hostile archive?)"));
						os.write(buffer, 0, n);
					}
				}
			}
		} catch (ZipException e) {
			throw new ModelPackageException(zip.toString(), "not a readable .zip archive (" + e.getMessage()
					+ "); re-create it or unpack it yourself and open the folder", e);
		} catch (IOException e) {
			throw new ModelPackageException(zip.toString(), "cannot extract to " + target + ": " + e.getMessage(), e);
		}
	}

	/** Why {@code name} may not be extracted under {@code root}, or {@code null} if it is safe. */
	static String unsafeReason(String name, Path root) {
		if (name.isEmpty())
			return "has an empty name";
		if (name.indexOf('\0') >= 0)
			return "has a NUL character in its name";
		String n = name.replace('\\', '/');
		if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':'))
			return "has an absolute path";
		for (String part : n.split("/"))
			if (part.equals(".."))
				return "points outside the target folder (\"..\")";
		Path resolved;
		try {
			resolved = root.resolve(n).normalize();
		} catch (java.nio.file.InvalidPathException e) {
			return "has an invalid name";
		}
		if (!resolved.startsWith(root) || resolved.equals(root) && !n.endsWith("/"))
			return "points outside the target folder";
		return null;
	}
}
