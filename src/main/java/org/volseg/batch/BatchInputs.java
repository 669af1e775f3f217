package org.volseg.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.io.FileSignature;
import org.volseg.io.dicom.DicomParser;

/**
 * Finds a batch's inputs, in their processing order.
 *
 * <p><b>A folder</b> is searched recursively (symbolic links are not followed; hidden files and
 * folders, whose names start with a dot, and the output folder are left out):</p>
 * <ul>
 * <li>every {@code .nii} or {@code .nii.gz} file is an input; its outputs go to the same relative
 * folder under the output folder, named {@code NAME_labels.nii.gz} (NAME: the file name without
 * its extension);</li>
 * <li>every folder that directly holds at least one DICOM file (recognised by its content, any
 * file name) is an input; each series found among its own files (not its subfolders', which are
 * inputs of their own) is segmented to {@code FOLDER_series<N>_labels.nii.gz} next to where the
 * folder would be (N: the SeriesNumber; see {@link BatchRunner});</li>
 * <li>files in a volume format VolSeg does not read ({@code .mha .mhd .nrrd .nhdr .mgz .mgh .hdr})
 * are inputs that fail with a message saying to convert them;</li>
 * <li>a file or folder that cannot be opened while searching (no permission) is an input that
 * fails with the reason;</li>
 * <li>anything else is ignored.</li>
 * </ul>
 *
 * <p><b>A CSV list</b> has one input per line, {@code input[,output]}, RFC 4180 quoting; a first
 * line whose first field is {@code input} is a header; blank lines and lines starting with
 * {@code #} are ignored. Relative inputs are resolved against the list's folder, relative outputs
 * against the output folder; without an output, {@code NAME_labels.nii.gz} in the output folder.
 * An input is anything {@code volseg segment} reads (NIfTI, DICOM folder or file).</p>
 *
 * <p><b>Order.</b> Inputs are sorted by their path relative to the input folder (a list: by absolute
 * path, then output), comparing strings with '/' separators, so the order and the shards do not
 * depend on the file system or the order of the list. When two inputs would write the same labels
 * file, the later one in this order fails with a message naming the other.</p>
 */
public final class BatchInputs {

	private static final Set<String> UNSUPPORTED = Set.of(".mha", ".mhd", ".nrrd", ".nhdr", ".mgz", ".mgh", ".hdr");

	private BatchInputs() {
	}

	/**
	 * Every input of the batch (all shards), sorted.
	 *
	 * @throws InvalidParameterException naming {@code --input} for a list with a malformed line
	 * @throws VolSegException if the folder or list cannot be read
	 */
	public static List<BatchInput> of(BatchSettings settings) {
		List<BatchInput> inputs = settings.inputIsList() ? list(settings) : folder(settings);
		return markCollisions(inputs);
	}

	private static List<BatchInput> folder(BatchSettings s) {
		Path root = s.input();
		Path out = s.outputFolder();
		Map<Path, List<Path>> candidates = new TreeMap<>(); // folder -> files that may be DICOM
		List<BatchInput> inputs = new ArrayList<>();
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
					if (!dir.equals(root) && (dir.startsWith(out) || hidden(dir)))
						return FileVisitResult.SKIP_SUBTREE;
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					if (!attrs.isRegularFile() || hidden(file))
						return FileVisitResult.CONTINUE;
					String name = file.getFileName().toString();
					String lower = name.toLowerCase(Locale.ROOT);
					Path rel = root.relativize(file.getParent());
					Path folder = out.resolve(rel.toString());
					if ((lower.endsWith(".nii") || lower.endsWith(".nii.gz")) && !FileSignature.hasDicomPreamble(file)) {
						String stem = BatchOutputs.stripNiftiExtension(name);
						inputs.add(new BatchInput(BatchInput.Kind.NIFTI, file, key(root, file),
								BatchOutputs.named(folder, stem, s.saveLogits(), s.saveProbabilities()), folder, stem, null));
					} else if (UNSUPPORTED.contains(extension(lower))) {
						inputs.add(new BatchInput(BatchInput.Kind.UNSUPPORTED, file, key(root, file), null, folder, name,
								"a " + extension(lower) + " volume, a format VolSeg does not read; convert it to NIfTI "
										+ "(.nii.gz, for example with 3D Slicer, SimpleITK or ITK-SNAP) and list the converted file"));
					} else
						candidates.computeIfAbsent(file.getParent(), k -> new ArrayList<>()).add(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException e) {
					if (hidden(file) || file.startsWith(out))
						return FileVisitResult.CONTINUE;
					Path rel = root.relativize(file);
					Path parent = rel.getParent();
					inputs.add(new BatchInput(BatchInput.Kind.UNSUPPORTED, file, key(root, file), null,
							parent == null ? out : out.resolve(parent.toString()), String.valueOf(file.getFileName()),
							"cannot be read while searching the input folder (" + e + "); check its permissions"));
					return FileVisitResult.CONTINUE;
				}
			});
		} catch (IOException | UncheckedIOException e) {
			throw new VolSegException(root + ": cannot list the input folder (" + e.getMessage() + ")", e);
		}
		for (Map.Entry<Path, List<Path>> e : candidates.entrySet()) {
			List<Path> files = e.getValue();
			files.sort(Comparator.naturalOrder());
			if (files.stream().anyMatch(DicomParser::isDicom)) {
				Path dir = e.getKey();
				Path parentRel = dir.equals(root) ? Path.of("") : root.relativize(dir).getParent();
				Path folder = parentRel == null ? out : out.resolve(parentRel.toString());
				String stem = dir.getFileName() == null ? "dicom" : dir.getFileName().toString();
				inputs.add(new BatchInput(BatchInput.Kind.DICOM_FOLDER, dir, key(root, dir), null, folder, stem, null));
			}
		}
		inputs.sort(Comparator.comparing(BatchInput::key));
		return inputs;
	}

	private static List<BatchInput> list(BatchSettings s) {
		Path csv = s.input();
		String text;
		try {
			text = Files.readString(csv, StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new VolSegException(csv + ": cannot read the input list (" + e.getMessage() + ")", e);
		}
		List<Csv.Record> records;
		try {
			records = Csv.parse(text);
		} catch (IllegalArgumentException e) {
			throw InvalidParameterException.of("--input", csv, "a CSV list with one input[,output] per line (" + e.getMessage() + ")");
		}
		Path base = csv.getParent();
		List<BatchInput> inputs = new ArrayList<>();
		boolean first = true;
		for (Csv.Record r : records) {
			List<String> f = r.fields();
			boolean header = first && f.get(0).strip().equalsIgnoreCase("input");
			first = false;
			if (header || f.get(0).strip().startsWith("#") || f.stream().allMatch(String::isBlank))
				continue;
			if (f.size() > 2 || f.get(0).isBlank())
				throw InvalidParameterException.of("--input", csv + " line " + r.line(), "input[,output] (one or two "
						+ "fields, the input first), got " + f.size() + " field(s): " + String.join(",", f));
			Path in = base.resolve(f.get(0).strip()).toAbsolutePath().normalize();
			String stem = BatchOutputs.stripNiftiExtension(in.getFileName() == null ? "input" : in.getFileName().toString());
			BatchOutputs outputs;
			if (f.size() == 2 && !f.get(1).isBlank()) {
				Path labels = s.outputFolder().resolve(f.get(1).strip()).toAbsolutePath().normalize();
				String lower = labels.getFileName().toString().toLowerCase(Locale.ROOT);
				if (!lower.endsWith(".nii") && !lower.endsWith(".nii.gz"))
					throw InvalidParameterException.of("--input", csv + " line " + r.line(),
							"an output name ending in .nii or .nii.gz, got " + f.get(1));
				outputs = BatchOutputs.forLabels(labels, s.saveLogits(), s.saveProbabilities());
			} else
				outputs = BatchOutputs.named(s.outputFolder(), stem, s.saveLogits(), s.saveProbabilities());
			inputs.add(new BatchInput(BatchInput.Kind.LISTED, in, in.toString() + "\u0000" + outputs.labels(), outputs,
					outputs.labels().getParent(), stem, null));
		}
		inputs.sort(Comparator.comparing(BatchInput::key));
		return inputs;
	}

	/** Later inputs whose labels file an earlier input writes are marked with a problem. */
	private static List<BatchInput> markCollisions(List<BatchInput> sorted) {
		Map<Path, BatchInput> owner = new HashMap<>();
		List<BatchInput> out = new ArrayList<>();
		for (BatchInput in : sorted) {
			if (in.outputs() != null && in.problem() == null) {
				BatchInput earlier = owner.putIfAbsent(in.outputs().labels(), in);
				if (earlier != null)
					in = in.withProblem("its output " + in.outputs().labels() + " is also the output of " + earlier.path()
							+ " (processed first); rename one of them, or give each an output in a CSV list");
			}
			out.add(in);
		}
		return out;
	}

	private static String key(Path root, Path p) {
		return root.relativize(p).toString().replace('\\', '/');
	}

	private static boolean hidden(Path p) {
		Path name = p.getFileName();
		return name != null && name.toString().startsWith(".");
	}

	private static String extension(String lowerName) {
		int dot = lowerName.lastIndexOf('.');
		return dot < 0 ? "" : lowerName.substring(dot);
	}
}
