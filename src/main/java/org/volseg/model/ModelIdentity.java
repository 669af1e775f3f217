package org.volseg.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a model's outputs: the descriptor's name and a SHA-256 over the package's
 * {@code rdf.yaml}, its {@code saved_model.pb} and its variables index
 * ({@code variables/variables.index}), so that another model, other weights or another
 * preprocessing give another identity, and the same package copied elsewhere the same one.
 * Recorded with each batch output ({@code summary.csv}'s {@code model} column). Stateless.
 */
public final class ModelIdentity {

	private ModelIdentity() {
	}

	/** For example {@code "volseg-phantom-unetr sha256:3f1c0e9a2b7d"}. */
	public static String of(ModelPackage pkg) {
		MessageDigest sha;
		try {
			sha = MessageDigest.getInstance("SHA-256");
		} catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("every Java has SHA-256", e);
		}
		Path root = pkg.root();
		Path saved = pkg.savedModelDir();
		for (Path p : new Path[] { root.resolve(ModelPackage.DESCRIPTOR_FILE), saved.resolve("saved_model.pb"),
				saved.resolve("variables").resolve("variables.index") }) {
			sha.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
			if (!Files.isRegularFile(p))
				continue;
			try (InputStream in = Files.newInputStream(p)) {
				byte[] buf = new byte[1 << 16];
				for (int n; (n = in.read(buf)) > 0;)
					sha.update(buf, 0, n);
			} catch (IOException e) {
				throw new ModelPackageException(pkg.source().toString(), "cannot read " + p.getFileName() + ": "
						+ e.getMessage(), e);
			}
		}
		String name = pkg.descriptor().name().replaceAll("[\\s,\"]+", "_");
		return name + " sha256:" + HexFormat.of().formatHex(sha.digest()).substring(0, 16);
	}

	/** Opens a package (folder, rdf.yaml or .zip), identifies it and releases it. */
	public static String of(Path pkg) {
		try (ModelPackage p = ModelPackage.open(pkg)) {
			return of(p);
		}
	}
}
