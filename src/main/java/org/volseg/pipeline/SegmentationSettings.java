package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.runtime.EngineOptions;
import org.volseg.tiling.BlendMode;
import org.volseg.tiling.Mirroring;
import org.volseg.tiling.Padding;
import org.volseg.tiling.SumPrecision;

/**
 * Everything a segmentation run can be told, validated when each value is set (the error names the
 * command-line flag, for example {@code --overlap}); immutable and thread-safe. Build with
 * {@link #builder()}; derive per-file variants (other outputs) with {@link #toBuilder()}.
 *
 * <table>
 * <caption>settings and defaults</caption>
 * <tr><th>setting</th><th>flag</th><th>default</th></tr>
 * <tr><td>{@link #roi()} window size (x, y, z)</td><td>{@code --roi}</td><td>the model's patch size
 * ({@code config.volseg.patch_size})</td></tr>
 * <tr><td>{@link #overlap()} in [0, 1)</td><td>{@code --overlap}</td><td>the model's
 * ({@code config.volseg.overlap})</td></tr>
 * <tr><td>{@link #blend()}</td><td>{@code --blend}</td><td>the model's ({@code config.volseg.blend_mode})</td></tr>
 * <tr><td>{@link #sigmaScale()} &gt; 0</td><td>{@code --sigma-scale}</td><td>the model's
 * ({@code config.volseg.sigma_scale}, MONAI's 0.125 unless set)</td></tr>
 * <tr><td>{@link #batch()} windows per engine call</td><td>{@code --batch}</td><td>1</td></tr>
 * <tr><td>{@link #padding()} where the volume is smaller than the window</td><td>{@code --pad}</td>
 * <td>constant 0 (MONAI's default)</td></tr>
 * <tr><td>{@link #tta()} test-time mirroring</td><td>{@code --tta}, {@code --tta-axes}</td><td>the model's
 * ({@code config.volseg.tta}, none unless set)</td></tr>
 * <tr><td>{@link #sumPrecision()} of the stitcher's running sums</td><td>{@code --sum-precision}</td>
 * <td>auto: float16 when float32 sums would take more than 64 MiB for labels alone or 512 MiB with logits or
 * probabilities, else float32 ({@link SumPrecision})</td></tr>
 * <tr><td>{@link #device()}</td><td>{@code --device}</td><td>auto (the GPU if there is one, else the CPU)</td></tr>
 * <tr><td>{@link #threads()} TensorFlow intra-op threads</td><td>{@code --threads}</td><td>0 = all cores</td></tr>
 * <tr><td>{@link #interOpThreads()} TensorFlow inter-op threads</td><td>{@code --inter-op-threads}</td>
 * <td>0 = VolSeg's choice: 2, or 1 with {@code --threads 1}</td></tr>
 * <tr><td>{@link #labelsOutput()}</td><td>{@code --output}</td><td>none (labels kept in memory only)</td></tr>
 * <tr><td>{@link #logitsOutput()} blended raw outputs, float32, one channel per class</td>
 * <td>{@code --save-logits}</td><td>none</td></tr>
 * <tr><td>{@link #probabilitiesOutput()} softmax/sigmoid of the blended outputs</td>
 * <td>{@code --save-probabilities}</td><td>none</td></tr>
 * <tr><td>{@link #series()} DICOM SeriesNumber or SeriesInstanceUID</td><td>{@code --series}</td><td>the main series</td></tr>
 * <tr><td>{@link #volumeIndex()} which volume (time point) of a 4D scan to segment</td><td>{@code --volume-index}</td>
 * <td>none (a 4D scan is refused by a 1-channel model)</td></tr>
 * <tr><td>{@link #reorient()}</td><td>{@code --no-reorient}</td><td>true (reorient to the model's orientation)</td></tr>
 * <tr><td>{@link #resample()}</td><td>{@code --no-resample}</td><td>true (resample to the model's spacing)</td></tr>
 * <tr><td>{@link #normalize()}</td><td>{@code --no-normalize}</td><td>true (the model's intensity preprocessing)</td></tr>
 * <tr><td>{@link #minComponentSize()} voxels; smaller components of a label become 0</td>
 * <td>{@code --min-component-size}</td><td>0 (keep everything)</td></tr>
 * <tr><td>{@link #threshold()} for sigmoid models</td><td>{@code --threshold}</td><td>0.5</td></tr>
 * </table>
 *
 * <p>Settings that default to the model's values are held as "not set" here and resolved against
 * the descriptor by {@link Segmenter}. Output paths must end in {@code .nii} or {@code .nii.gz}.</p>
 */
public final class SegmentationSettings {

	/** Threshold on sigmoid probabilities for models with independent classes. */
	public static final float DEFAULT_THRESHOLD = 0.5f;

	private final int[] roi;
	private final Double overlap;
	private final BlendMode blend;
	private final Double sigmaScale;
	private final int batch;
	private final Padding padding;
	private final Mirroring tta;
	private final SumPrecision sumPrecision;
	private final Device device;
	private final int threads;
	private final int interOpThreads;
	private final boolean trustModel;
	private final Path labelsOutput;
	private final Path logitsOutput;
	private final Path probabilitiesOutput;
	private final String series;
	private final Integer volumeIndex;
	private final boolean reorient;
	private final boolean resample;
	private final boolean normalize;
	private final long minComponentSize;
	private final float threshold;
	private final List<OutputSink> extraSinks;

	private SegmentationSettings(Builder b) {
		roi = b.roi == null ? null : b.roi.clone();
		overlap = b.overlap;
		blend = b.blend;
		sigmaScale = b.sigmaScale;
		batch = b.batch;
		padding = b.padding;
		tta = b.tta;
		sumPrecision = b.sumPrecision;
		device = b.device;
		threads = b.threads;
		interOpThreads = b.interOpThreads;
		trustModel = b.trustModel;
		labelsOutput = b.labelsOutput;
		logitsOutput = b.logitsOutput;
		probabilitiesOutput = b.probabilitiesOutput;
		series = b.series;
		volumeIndex = b.volumeIndex;
		reorient = b.reorient;
		resample = b.resample;
		normalize = b.normalize;
		minComponentSize = b.minComponentSize;
		threshold = b.threshold;
		extraSinks = List.copyOf(b.extraSinks);
	}

	/** Every setting at its default. */
	public static SegmentationSettings defaults() {
		return builder().build();
	}

	public static Builder builder() {
		return new Builder();
	}

	/** A builder holding these settings. */
	public Builder toBuilder() {
		Builder b = new Builder();
		b.roi = roi == null ? null : roi.clone();
		b.overlap = overlap;
		b.blend = blend;
		b.sigmaScale = sigmaScale;
		b.batch = batch;
		b.padding = padding;
		b.tta = tta;
		b.sumPrecision = sumPrecision;
		b.device = device;
		b.threads = threads;
		b.interOpThreads = interOpThreads;
		b.trustModel = trustModel;
		b.labelsOutput = labelsOutput;
		b.logitsOutput = logitsOutput;
		b.probabilitiesOutput = probabilitiesOutput;
		b.series = series;
		b.volumeIndex = volumeIndex;
		b.reorient = reorient;
		b.resample = resample;
		b.normalize = normalize;
		b.minComponentSize = minComponentSize;
		b.threshold = threshold;
		b.extraSinks.addAll(extraSinks);
		return b;
	}

	/**
	 * Every output to write, in order: the NIfTI labels, logits and probabilities set with their
	 * builder methods, then the montage, SEG and other sinks added.
	 */
	public List<OutputSink> sinks() {
		List<OutputSink> all = new ArrayList<>();
		if (labelsOutput != null)
			all.add(NiftiSink.labels(labelsOutput));
		if (logitsOutput != null)
			all.add(NiftiSink.logits(logitsOutput));
		if (probabilitiesOutput != null)
			all.add(NiftiSink.probabilities(probabilitiesOutput));
		all.addAll(extraSinks);
		return List.copyOf(all);
	}

	/** Test-time mirroring, or null for the model's default. */
	public Mirroring tta() {
		return tta;
	}

	/** The number type of the stitcher's sums; {@link SumPrecision#AUTO} unless set. */
	public SumPrecision sumPrecision() {
		return sumPrecision;
	}

	/** Window size (x, y, z), or null for the model's patch size. A copy. */
	public int[] roi() {
		return roi == null ? null : roi.clone();
	}

	/** Overlap, or null for the model's. */
	public Double overlap() {
		return overlap;
	}

	/** Blend mode, or null for the model's. */
	public BlendMode blend() {
		return blend;
	}

	/** Gaussian sigma scale, or null for the model's. */
	public Double sigmaScale() {
		return sigmaScale;
	}

	public int batch() {
		return batch;
	}

	public Padding padding() {
		return padding;
	}

	public Device device() {
		return device;
	}

	/** TensorFlow intra-op threads; 0 = all cores. */
	public int threads() {
		return threads;
	}

	/** Whether the model runs even with operations outside the allow-list ({@code --trust-model}). */
	public boolean trustModel() {
		return trustModel;
	}

	/** TensorFlow inter-op threads (operations run side by side); 0 = VolSeg's choice, see {@link #engineOptions()}. */
	public int interOpThreads() {
		return interOpThreads;
	}

	/**
	 * The engine options these settings ask for: the device, {@link #threads()} intra-op threads and
	 * {@link #interOpThreads()} inter-op threads, by default 2 (1 with {@code --threads 1}). One
	 * inter-op thread holds less memory (about 100 MiB less for UNETR-BTCV and 550 MiB less for
	 * SwinUNETR-BTCV on the CPU) but whole UNETR runs took 9 to 14 % longer with it
	 * (docs/bench-pipeline.md, b8), so it is the user's choice ({@code --inter-op-threads 1}).
	 */
	public EngineOptions engineOptions() {
		int interOp = interOpThreads > 0 ? interOpThreads : threads == 1 ? 1 : 2;
		return new EngineOptions(device, threads, interOp, trustModel);
	}

	/** Where the label map goes, or null. */
	public Path labelsOutput() {
		return labelsOutput;
	}

	/** Where the blended logits go, or null. */
	public Path logitsOutput() {
		return logitsOutput;
	}

	/** Where the class probabilities go, or null. */
	public Path probabilitiesOutput() {
		return probabilitiesOutput;
	}

	/** DICOM SeriesNumber to read from a folder, or null for the main series or a series chosen by its UID. */
	public Integer seriesNumber() {
		try {
			return series == null ? null : Integer.valueOf(series.trim());
		} catch (NumberFormatException e) {
			return null;
		}
	}

	/**
	 * The DICOM series to read from a folder: a SeriesNumber (refused when several series share it)
	 * or a SeriesInstanceUID; null for the main series.
	 */
	public String series() {
		return series;
	}

	/**
	 * The volume (0-based: time point of a 4D fMRI, a MOSAIC time series, or volume of a 4D NIfTI)
	 * to segment from a scan with several; null to give the model every volume as a channel.
	 */
	public Integer volumeIndex() {
		return volumeIndex;
	}

	public boolean reorient() {
		return reorient;
	}

	public boolean resample() {
		return resample;
	}

	public boolean normalize() {
		return normalize;
	}

	public long minComponentSize() {
		return minComponentSize;
	}

	public float threshold() {
		return threshold;
	}

	@Override
	public String toString() {
		return "roi=" + (roi == null ? "model" : Arrays.toString(roi)) + " overlap=" + (overlap == null ? "model" : overlap)
				+ " blend=" + (blend == null ? "model" : blend.id()) + " sigma_scale="
				+ (sigmaScale == null ? "model" : sigmaScale) + " batch=" + batch + " pad=" + padding
				+ " tta=" + (tta == null ? "model" : tta) + " sum_precision=" + sumPrecision.id() + " device="
				+ device.label() + " threads=" + threads + " reorient=" + reorient + " resample=" + resample
				+ " normalize=" + normalize + " min_component_size=" + minComponentSize;
	}

	/** Collects settings; every setter validates at once, so {@link #build()} never fails. Not thread-safe. */
	public static final class Builder {
		private int[] roi;
		private Double overlap;
		private BlendMode blend;
		private Double sigmaScale;
		private int batch = 1;
		private Padding padding = Padding.constant(0);
		private Mirroring tta;
		private SumPrecision sumPrecision = SumPrecision.AUTO;
		private Device device = Device.AUTO;
		private int threads;
		private int interOpThreads;
		private boolean trustModel;
		private Path labelsOutput;
		private Path logitsOutput;
		private Path probabilitiesOutput;
		private String series;
		private Integer volumeIndex;
		private boolean reorient = true;
		private boolean resample = true;
		private boolean normalize = true;
		private long minComponentSize;
		private float threshold = DEFAULT_THRESHOLD;
		private final List<OutputSink> extraSinks = new ArrayList<>();

		private Builder() {
		}

		/** @param roi three sizes (x, y, z), each at least 1, or null for the model's patch size */
		public Builder roi(int... roi) {
			if (roi != null && (roi.length != 3 || Arrays.stream(roi).anyMatch(r -> r < 1)))
				throw InvalidParameterException.of("--roi", Arrays.toString(roi), "three window sizes X,Y,Z, each at least 1");
			this.roi = roi == null ? null : roi.clone();
			return this;
		}

		/** @param overlap in [0, 1), or null for the model's */
		public Builder overlap(Double overlap) {
			if (overlap != null && !(overlap >= 0 && overlap < 1))
				throw InvalidParameterException.of("--overlap", overlap, "a number in [0, 1)");
			this.overlap = overlap;
			return this;
		}

		/** @param blend constant or gaussian, or null for the model's */
		public Builder blend(BlendMode blend) {
			this.blend = blend;
			return this;
		}

		/** @param sigmaScale finite and positive, or null for the model's */
		public Builder sigmaScale(Double sigmaScale) {
			if (sigmaScale != null && !(sigmaScale > 0 && Double.isFinite(sigmaScale)))
				throw InvalidParameterException.of("--sigma-scale", sigmaScale, "a positive number (MONAI's default is 0.125)");
			this.sigmaScale = sigmaScale;
			return this;
		}

		/** @param batch windows per engine call, at least 1 */
		public Builder batch(int batch) {
			if (batch < 1)
				throw InvalidParameterException.of("--batch", batch, "an integer of at least 1");
			this.batch = batch;
			return this;
		}

		public Builder padding(Padding padding) {
			this.padding = Objects.requireNonNull(padding, "padding");
			return this;
		}

		/** @param tta test-time mirroring, or null for the model's default */
		public Builder tta(Mirroring tta) {
			this.tta = tta;
			return this;
		}

		/** @param sumPrecision the number type of the stitcher's sums ({@link SumPrecision}) */
		public Builder sumPrecision(SumPrecision sumPrecision) {
			this.sumPrecision = Objects.requireNonNull(sumPrecision, "sumPrecision");
			return this;
		}

		public Builder device(Device device) {
			this.device = Objects.requireNonNull(device, "device");
			return this;
		}

		/** @param threads TensorFlow intra-op threads, 0 for all cores */
		public Builder threads(int threads) {
			if (threads < 0)
				throw InvalidParameterException.of("--threads", threads, "0 (all cores) or a positive number");
			this.threads = threads;
			return this;
		}

		/** @param threads TensorFlow inter-op threads, 0 for VolSeg's choice (2, or 1 with one intra-op thread) */
		public Builder interOpThreads(int threads) {
			if (threads < 0)
				throw InvalidParameterException.of("--inter-op-threads", threads, "0 (VolSeg's choice) or a positive number, "
						+ "1 to save memory");
			this.interOpThreads = threads;
			return this;
		}

		/** Runs the model even if its graph holds operations outside the allow-list ({@code --trust-model}). */
		public Builder trustModel(boolean trust) {
			this.trustModel = trust;
			return this;
		}

		/** @param path a .nii or .nii.gz file, or null for no file */
		public Builder labelsOutput(Path path) {
			this.labelsOutput = checkNifti("--output", path);
			return this;
		}

		/** @param path a .nii or .nii.gz file, or null for no file */
		public Builder logitsOutput(Path path) {
			this.logitsOutput = checkNifti("--save-logits", path);
			return this;
		}

		/** @param path a .nii or .nii.gz file, or null for no file */
		public Builder probabilitiesOutput(Path path) {
			this.probabilitiesOutput = checkNifti("--save-probabilities", path);
			return this;
		}

		/** @param number a DICOM SeriesNumber, or null for the main series */
		public Builder seriesNumber(Integer number) {
			this.series = number == null ? null : number.toString();
			return this;
		}

		/** @param choice a DICOM SeriesNumber or SeriesInstanceUID, or null (or blank) for the main series */
		public Builder series(String choice) {
			this.series = choice == null || choice.isBlank() ? null : choice.trim();
			return this;
		}

		/** @param index the volume of a 4D scan to segment (0-based), or null for all as channels */
		public Builder volumeIndex(Integer index) {
			if (index != null && index < 0)
				throw org.volseg.InvalidParameterException.of("--volume-index", index, "0 or more (0 is the first volume)");
			this.volumeIndex = index;
			return this;
		}

		public Builder reorient(boolean reorient) {
			this.reorient = reorient;
			return this;
		}

		public Builder resample(boolean resample) {
			this.resample = resample;
			return this;
		}

		public Builder normalize(boolean normalize) {
			this.normalize = normalize;
			return this;
		}

		/** Switches reorientation, resampling and intensity normalisation off together (a raw tensor as MONAI sees it). */
		public Builder noPreprocessing() {
			return reorient(false).resample(false).normalize(false);
		}

		/** @param voxels components of a label smaller than this become background; 0 keeps everything */
		public Builder minComponentSize(long voxels) {
			if (voxels < 0)
				throw InvalidParameterException.of("--min-component-size", voxels, "0 (keep everything) or a voxel count");
			this.minComponentSize = voxels;
			return this;
		}

		/** @param threshold in (0, 1), used for sigmoid (multi-label) models */
		public Builder threshold(float threshold) {
			if (!(threshold > 0 && threshold < 1))
				throw InvalidParameterException.of("--threshold", threshold, "a probability between 0 and 1");
			this.threshold = threshold;
			return this;
		}

		/** Also writes a montage PNG of the scan with its labels ({@link MontageSink}); null for none. */
		public Builder montageOutput(Path path) {
			extraSinks.removeIf(k -> k instanceof MontageSink);
			if (path != null)
				extraSinks.add(new MontageSink(path));
			return this;
		}

		/** Also writes the labels as a DICOM SEG referencing the DICOM input ({@link SegSink}); null for none. */
		public Builder segOutput(Path path) {
			extraSinks.removeIf(k -> k instanceof SegSink);
			if (path != null)
				extraSinks.add(new SegSink(path, "--output-seg"));
			return this;
		}

		/** Adds any output (after the NIfTI ones, montage and SEG in the order added). */
		public Builder outputSink(OutputSink sink) {
			extraSinks.add(Objects.requireNonNull(sink, "sink"));
			return this;
		}

		public SegmentationSettings build() {
			return new SegmentationSettings(this);
		}

		private static Path checkNifti(String flag, Path path) {
			if (path == null)
				return null;
			String name = path.getFileName() == null ? "" : path.getFileName().toString();
			if (!name.endsWith(".nii") && !name.endsWith(".nii.gz"))
				throw InvalidParameterException.of(flag, path, "a file name ending in .nii or .nii.gz");
			return path;
		}
	}
}
