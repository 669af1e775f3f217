package org.volseg.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import org.volseg.InvalidParameterException;
import org.volseg.pipeline.SegmentationSettings;

/**
 * What a batch run is told; immutable and thread-safe. Build with {@link #builder}; values are
 * checked by {@link Builder#build()} (the error names the command-line flag).
 *
 * <table>
 * <caption>batch settings and defaults</caption>
 * <tr><th>setting</th><th>flag</th><th>default</th></tr>
 * <tr><td>{@link #input()}: a folder (searched recursively) or a CSV list ({@code .csv})</td><td>{@code --input}</td><td>required</td></tr>
 * <tr><td>{@link #outputFolder()} (created if missing)</td><td>{@code --output}</td><td>required</td></tr>
 * <tr><td>{@link #segmentation()}: window, device, preprocessing, postprocessing; its output paths
 * are ignored (the batch names the outputs); its series number, if set, restricts DICOM folders to
 * that SeriesNumber</td><td>the {@code volseg segment} options</td><td>{@link SegmentationSettings#defaults()}</td></tr>
 * <tr><td>{@link #overwrite()}: segment again inputs whose outputs are complete</td><td>{@code --overwrite}</td><td>false</td></tr>
 * <tr><td>{@link #shard()}</td><td>{@code --shard K/N}</td><td>{@link Shard#ALL}</td></tr>
 * <tr><td>{@link #saveLogits()}, {@link #saveProbabilities()}: also write {@code NAME_logits.nii.gz},
 * {@code NAME_probabilities.nii.gz}</td><td>{@code --save-logits}, {@code --save-probabilities}</td><td>false</td></tr>
 * </table>
 */
public final class BatchSettings {

	private final Path input;
	private final Path outputFolder;
	private final SegmentationSettings segmentation;
	private final boolean overwrite;
	private final Shard shard;
	private final boolean saveLogits;
	private final boolean saveProbabilities;
	private final boolean seg;
	private final String modelIdentity;

	private BatchSettings(Builder b) {
		modelIdentity = b.modelIdentity == null ? "" : b.modelIdentity;
		input = b.input;
		outputFolder = b.outputFolder;
		segmentation = b.segmentation;
		overwrite = b.overwrite;
		shard = b.shard;
		saveLogits = b.saveLogits;
		saveProbabilities = b.saveProbabilities;
		seg = b.seg;
	}

	/**
	 * @param input a folder of scans, or a CSV list of them
	 * @param outputFolder where the outputs and the summary go
	 */
	public static Builder builder(Path input, Path outputFolder) {
		return new Builder(input, outputFolder);
	}

	/** The folder or CSV list, absolute and normalised. */
	public Path input() {
		return input;
	}

	/** True if {@link #input()} is a CSV list rather than a folder. */
	public boolean inputIsList() {
		return !Files.isDirectory(input);
	}

	/** The output folder, absolute and normalised. */
	public Path outputFolder() {
		return outputFolder;
	}

	public SegmentationSettings segmentation() {
		return segmentation;
	}

	/**
	 * The identity of the model the batch runs ({@link org.volseg.model.ModelIdentity}), recorded
	 * with each output; empty if not given (then only the settings are compared on a rerun).
	 */
	public String modelIdentity() {
		return modelIdentity;
	}

	public boolean overwrite() {
		return overwrite;
	}

	public Shard shard() {
		return shard;
	}

	public boolean saveLogits() {
		return saveLogits;
	}

	public boolean saveProbabilities() {
		return saveProbabilities;
	}

	/** True to write a DICOM SEG ({@code NAME_seg.dcm}) next to each DICOM series' labels. */
	public boolean seg() {
		return seg;
	}

	/** This run's summary file: {@code summary.csv}, or {@code summary-shard-K-of-N.csv} for a shard. */
	public Path summaryFile() {
		return outputFolder.resolve(shard.summaryFileName());
	}

	/** Collects batch settings. Not thread-safe. */
	public static final class Builder {
		private final Path input;
		private final Path outputFolder;
		private SegmentationSettings segmentation = SegmentationSettings.defaults();
		private boolean overwrite;
		private String modelIdentity;
		private Shard shard = Shard.ALL;
		private boolean saveLogits;
		private boolean saveProbabilities;
		private boolean seg;

		private Builder(Path input, Path outputFolder) {
			this.input = Objects.requireNonNull(input, "input").toAbsolutePath().normalize();
			this.outputFolder = Objects.requireNonNull(outputFolder, "outputFolder").toAbsolutePath().normalize();
		}

		public Builder segmentation(SegmentationSettings settings) {
			this.segmentation = Objects.requireNonNull(settings, "settings");
			return this;
		}

		/** The model's identity ({@link org.volseg.model.ModelIdentity#of}), recorded with each output. */
		public Builder modelIdentity(String identity) {
			this.modelIdentity = identity;
			return this;
		}

		public Builder overwrite(boolean overwrite) {
			this.overwrite = overwrite;
			return this;
		}

		public Builder shard(Shard shard) {
			this.shard = Objects.requireNonNull(shard, "shard");
			return this;
		}

		public Builder saveLogits(boolean save) {
			this.saveLogits = save;
			return this;
		}

		public Builder saveProbabilities(boolean save) {
			this.saveProbabilities = save;
			return this;
		}

		/** Also write {@code NAME_seg.dcm}, a DICOM SEG of each DICOM series ({@code --seg}); NIfTI inputs then fail. */
		public Builder seg(boolean write) {
			this.seg = write;
			return this;
		}

		/**
		 * @throws InvalidParameterException naming {@code --input} if the input is neither a folder nor
		 *         a .csv file, or {@code --output} if the output folder is a file, is the input folder
		 *         or holds it
		 */
		public BatchSettings build() {
			if (Files.isDirectory(input)) {
				if (outputFolder.equals(input))
					throw InvalidParameterException.of("--output", outputFolder, "a folder other than the input folder "
							+ "(inputs are never overwritten; a subfolder such as " + input.resolve("labels") + " is fine)");
				if (input.startsWith(outputFolder))
					throw InvalidParameterException.of("--output", outputFolder,
							"a folder that does not contain the input folder " + input + " (outputs would be taken for inputs)");
			} else if (!Files.isRegularFile(input))
				throw InvalidParameterException.of("--input", input, "an existing folder of scans or a .csv list of them");
			else if (!input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
				throw InvalidParameterException.of("--input", input, "a folder of scans or a .csv list (input[,output] per "
						+ "line); to segment one scan use volseg segment");
			if (Files.exists(outputFolder) && !Files.isDirectory(outputFolder))
				throw InvalidParameterException.of("--output", outputFolder, "a folder (this is a file)");
			return new BatchSettings(this);
		}
	}
}
