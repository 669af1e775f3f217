package org.volseg.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.volseg.util.AtomicFiles;
import org.volseg.util.Json;
import org.volseg.model.ZipExtractor;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A MONAI bundle on disk: a folder or a {@code .zip} (which may hold one top folder) with
 * {@code configs/inference.json} (or {@code .yaml}/{@code .yml}), {@code configs/metadata.json} and
 * {@code models/model.pt}. A zip is extracted into a temporary folder that {@link #close()} deletes.
 * Not thread-safe.
 */
public final class BundleSource implements AutoCloseable {

	private final Path given;
	private final Path root;
	private final Path extracted;

	private BundleSource(Path given, Path root, Path extracted) {
		this.given = given;
		this.root = root;
		this.extracted = extracted;
	}

	/**
	 * Whether a path looks like a bundle: a folder with {@code configs/inference.*}, or a zip that
	 * has such an entry (at its top or under one folder). Cheap; reads no config.
	 */
	public static boolean isBundle(Path path) {
		if (Files.isDirectory(path))
			return inferenceConfig(path) != null;
		if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
			try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(path.toFile())) {
				return z.stream().anyMatch(e -> e.getName().matches("([^/]+/)?configs/inference\\.(json|yaml|yml)"));
			} catch (IOException ex) {
				return false;
			}
		}
		return false;
	}

	/**
	 * The bundle folder of a file chosen inside it ({@code configs/inference.json}, {@code .yaml} or
	 * {@code metadata.json}: file dialogs that pick files, such as Fiji's, cannot pick the folder);
	 * any other path unchanged.
	 */
	public static Path rootOf(Path chosen) {
		Path name = chosen.getFileName(), parent = chosen.getParent();
		if (name != null && parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("configs")
				&& name.toString().matches("inference\\.(json|yaml|yml)|metadata\\.json") && parent.getParent() != null)
			return parent.getParent();
		return chosen;
	}

	/**
	 * Opens a bundle folder or zip.
	 *
	 * @throws BundleException naming the path if it is not a bundle
	 */
	public static BundleSource open(Path path) {
		if (Files.isDirectory(path)) {
			if (inferenceConfig(path) == null)
				throw new BundleException(path + ": not a MONAI bundle (no configs/inference.json or .yaml); give the "
						+ "bundle's folder (it holds configs/ and models/) or its zip");
			return new BundleSource(path, path, null);
		}
		if (!Files.isRegularFile(path))
			throw new BundleException(path + ": no such bundle folder or zip");
		Path tmp;
		try {
			tmp = Files.createTempDirectory("volseg-bundle");
		} catch (IOException ex) {
			throw new BundleException(path + ": cannot create a temporary folder to extract it: " + ex.getMessage(), ex);
		}
		try {
			ZipExtractor.extract(path, tmp);
			Path root = tmp;
			if (inferenceConfig(root) == null) {
				try (Stream<Path> s = Files.list(tmp)) {
					List<Path> dirs = s.filter(Files::isDirectory).toList();
					if (dirs.size() == 1 && inferenceConfig(dirs.get(0)) != null)
						root = dirs.get(0);
				}
			}
			if (inferenceConfig(root) == null)
				throw new BundleException(path + ": the zip holds no configs/inference.json or .yaml (at its top or in "
						+ "one top folder); it is not a MONAI bundle");
			return new BundleSource(path, root, tmp);
		} catch (IOException | RuntimeException ex) {
			deleteQuietly(tmp);
			if (ex instanceof BundleException b)
				throw b;
			throw new BundleException(path + ": cannot read the bundle zip: " + ex.getMessage(), ex);
		}
	}

	private static Path inferenceConfig(Path dir) {
		for (String n : List.of("inference.json", "inference.yaml", "inference.yml")) {
			Path p = dir.resolve("configs").resolve(n);
			if (Files.isRegularFile(p))
				return p;
		}
		return null;
	}

	/** The folder or zip given to {@link #open}. */
	public Path given() {
		return given;
	}

	/** The bundle's folder (inside the extraction folder for a zip). */
	public Path root() {
		return root;
	}

	/** A name for the bundle: the folder's (or zip's, without .zip) name. */
	public String folderName() {
		String n = (extracted == null || root.equals(extracted) ? given : root).getFileName().toString();
		return n.toLowerCase(java.util.Locale.ROOT).endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
	}

	/** The parsed inference config. @throws BundleException naming the file if it cannot be parsed */
	public BundleConfig inferenceConfig() {
		Path p = inferenceConfig(root);
		return new BundleConfig(parse(p), "configs/" + p.getFileName());
	}

	/** The parsed {@code configs/metadata.json}, or an empty map if there is none. */
	public Map<String, Object> metadata() {
		Path p = root.resolve("configs").resolve("metadata.json");
		return Files.isRegularFile(p) ? parse(p) : Map.of();
	}

	/**
	 * The weights, {@code models/model.pt} (a {@code torch.save} checkpoint).
	 *
	 * @throws BundleException if there is none
	 */
	public Path weights() {
		Path p = root.resolve("models").resolve("model.pt");
		if (Files.isRegularFile(p))
			return p;
		throw new BundleException(given + ": no models/model.pt; download the weights the bundle's large_files.yml "
				+ "names (for example with `python -m monai.bundle download`) into models/");
	}

	/**
	 * A SHA-256 over the inference config, metadata and weights (file names and bytes): the same
	 * bundle gives the same digest wherever it lies, folder or zip.
	 */
	public String digest() {
		try {
			MessageDigest md = MessageDigest.getInstance("SHA-256");
			List<Path> files = new ArrayList<>();
			files.add(inferenceConfig(root));
			Path meta = root.resolve("configs").resolve("metadata.json");
			if (Files.isRegularFile(meta))
				files.add(meta);
			Path w = root.resolve("models").resolve("model.pt");
			if (Files.isRegularFile(w))
				files.add(w);
			byte[] buf = new byte[1 << 16];
			for (Path f : files) {
				md.update(root.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
				md.update((byte) 0);
				try (InputStream in = Files.newInputStream(f)) {
					for (int n; (n = in.read(buf)) > 0;)
						md.update(buf, 0, n);
				}
			}
			return HexFormat.of().formatHex(md.digest());
		} catch (IOException ex) {
			throw new BundleException(given + ": cannot read: " + ex.getMessage(), ex);
		} catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> parse(Path p) {
		try {
			String text = Files.readString(p, StandardCharsets.UTF_8);
			if (p.getFileName().toString().endsWith(".json"))
				return Json.parseObject(text);
			Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
			if (!(o instanceof Map<?, ?> m))
				throw new BundleException(given + ": configs/" + p.getFileName() + " is not a mapping of config ids");
			return new LinkedHashMap<>((Map<String, Object>) m);
		} catch (IOException ex) {
			throw new BundleException(given + ": cannot read configs/" + p.getFileName() + ": " + ex.getMessage(), ex);
		} catch (Json.SyntaxException | org.yaml.snakeyaml.error.YAMLException ex) {
			throw new BundleException(given + ": configs/" + p.getFileName() + " is not valid "
					+ (p.toString().endsWith(".json") ? "JSON" : "YAML") + ": " + ex.getMessage(), ex);
		}
	}

	/** Deletes the extraction folder of a zip. */
	@Override
	public void close() {
		if (extracted != null)
			deleteQuietly(extracted);
	}

	private static void deleteQuietly(Path p) {
		try {
			AtomicFiles.deleteRecursively(p);
		} catch (IOException ex) {
			// a temporary folder left behind is not worth failing for
		}
	}
}
