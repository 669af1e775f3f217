package org.volseg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Pairs training images with their label maps. Two naming schemes are recognised, in this order:
 * <ol>
 * <li>{@code NAME_image.EXT} in the images folder with {@code NAME_labels.EXT} in the labels folder
 * (what {@code volseg phantom} writes; both folders may be the same);</li>
 * <li>otherwise the same file name in both folders (the folders must differ).</li>
 * </ol>
 * EXT is {@code .nii.gz} or {@code .nii}. Pairs are sorted by case name. Stateless.
 */
final class CasePairs {

	/** An image file and its label file. */
	public record Pair(String name, Path image, Path labels) {
	}

	private static final String IMAGE_SUFFIX = "_image";
	private static final String LABELS_SUFFIX = "_labels";

	private CasePairs() {
	}

	/**
	 * @throws TrainingDataException if a folder is missing, an image has no label file, or nothing pairs up
	 */
	public static List<Pair> find(Path imagesDir, Path labelsDir) {
		requireFolder(imagesDir, "--images");
		requireFolder(labelsDir, "--labels");
		Map<String, Path> images = new TreeMap<>();
		List<Path> all = list(imagesDir);
		boolean suffixScheme = all.stream().anyMatch(p -> stem(p).endsWith(IMAGE_SUFFIX));
		List<Pair> pairs = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		if (suffixScheme) {
			for (Path p : all) {
				String s = stem(p);
				if (s.endsWith(IMAGE_SUFFIX)) images.put(s.substring(0, s.length() - IMAGE_SUFFIX.length()), p);
			}
			for (Map.Entry<String, Path> e : images.entrySet()) {
				String ext = extension(e.getValue());
				Path label = labelsDir.resolve(e.getKey() + LABELS_SUFFIX + ext);
				if (Files.isRegularFile(label)) pairs.add(new Pair(e.getKey(), e.getValue(), label));
				else missing.add(label.getFileName().toString());
			}
		} else {
			if (imagesDir.toAbsolutePath().normalize().equals(labelsDir.toAbsolutePath().normalize())) {
				throw new TrainingDataException(imagesDir + ": no NAME_image.nii.gz files; with same-name pairing, --images and "
						+ "--labels must be different folders");
			}
			for (Path p : all) images.put(stem(p), p);
			for (Map.Entry<String, Path> e : images.entrySet()) {
				Path label = labelsDir.resolve(e.getValue().getFileName().toString());
				if (Files.isRegularFile(label)) pairs.add(new Pair(e.getKey(), e.getValue(), label));
				else missing.add(label.getFileName().toString());
			}
		}
		if (!missing.isEmpty()) {
			throw new TrainingDataException(labelsDir + ": no label map for " + missing.size() + " image(s), e.g. " + missing.get(0)
					+ "; every image needs one (NAME_image.nii.gz -> NAME_labels.nii.gz, or the same file name)");
		}
		if (pairs.isEmpty()) {
			throw new TrainingDataException(imagesDir + ": no NIfTI images (.nii, .nii.gz) found; give a folder of "
					+ "caseNNN_image.nii.gz files (volseg phantom writes such a folder)");
		}
		return pairs;
	}

	private static void requireFolder(Path dir, String option) {
		if (!Files.isDirectory(dir)) {
			throw new TrainingDataException(option + " " + dir + ": not a folder; give the folder that holds the NIfTI files");
		}
	}

	private static List<Path> list(Path dir) {
		try (Stream<Path> s = Files.list(dir)) {
			return s.filter(Files::isRegularFile).filter(p -> !extension(p).isEmpty()).sorted().toList();
		} catch (IOException ex) {
			throw new TrainingDataException(dir + ": cannot list: " + ex.getMessage(), ex);
		}
	}

	static String extension(Path p) {
		String n = p.getFileName().toString();
		if (n.endsWith(".nii.gz")) return ".nii.gz";
		if (n.endsWith(".nii")) return ".nii";
		return "";
	}

	static String stem(Path p) {
		String n = p.getFileName().toString();
		return n.substring(0, n.length() - extension(p).length());
	}
}
