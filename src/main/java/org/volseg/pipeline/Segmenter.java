package org.volseg.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.runtime.EngineOptions;
import org.volseg.runtime.EngineRuntime;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.runtime.LoadedNetwork;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.model.Axis;
import org.volseg.model.AxisType;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelPackage;
import org.volseg.model.MonaiOptions;
import org.volseg.model.OutputActivation;
import org.volseg.model.SegmentationClass;
import org.volseg.model.TensorDescriptor;
import org.volseg.model.VolSegConfig;
import org.volseg.tiling.AssembledVolume;
import org.volseg.tiling.BlendMode;
import org.volseg.CancelledException;
import org.volseg.tiling.InferenceStats;
import org.volseg.tiling.Padding;
import org.volseg.runtime.PatchPredictor;
import org.volseg.tiling.Finalizer;
import org.volseg.tiling.FirstBatch;
import org.volseg.tiling.SlidingWindowInference;
import org.volseg.tiling.SlidingWindowListener;
import org.volseg.tiling.Mirroring;
import org.volseg.tiling.NearestLabelAssembler;
import org.volseg.tiling.SlidingWindowSettings;
import org.volseg.tiling.SmallComponentRemoval;
import org.volseg.tiling.TilePlan;
import org.volseg.tiling.TilePlanner;
import org.volseg.tiling.VolumeAssembler;
import org.volseg.volume.Geometry;
import org.volseg.volume.LabelStatistics;
import org.volseg.volume.Resample;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * The one entry point that segments a scan with a model package: Fiji, macros, batch jobs and the
 * command line all call {@link #segment}. Load the model once with {@link #load} and segment as
 * many volumes as needed with it; {@link #close()} releases TensorFlow.
 *
 * <p>One call runs: read the source (a NIfTI file, a DICOM folder or file with a series choice, or
 * an in-memory {@link Volume}); {@link Preprocessor preprocess} it (reorient, resample, intensity
 * steps of the model, each switchable); plan the sliding window once ({@link TilePlanner}: window
 * order and the stitcher's memory), check the heap against that plan, and run the MONAI-compatible
 * {@link SlidingWindowInference} along the same plan with the engine (streaming stitcher, pipelined,
 * cancellable between batches); finalise each voxel (labels:
 * argmax of the blended outputs for softmax and no-activation models, and for sigmoid models the
 * most probable class whose sigmoid reaches the threshold, else 0; channel {@code c} becomes
 * {@code classes[c].label}); map the outputs back onto the input's grid; remove small components
 * if asked; write the files; count voxels per label.</p>
 *
 * <p><b>Back to the input grid.</b> Labels are computed on the model's grid and carried to the
 * input grid by <em>nearest neighbour on the labels</em> ({@link Resample#onto}, NEAREST): each
 * input voxel takes the label of the model voxel its centre falls in. Resampling the class
 * probabilities before the argmax would give smoother boundaries at sub-model-voxel scale, but it
 * needs every class on the whole input grid at once (14 classes of a 512x512x400 CT are 5.9 GB),
 * which defeats the streaming stitcher's bounded memory; nearest also never invents a label.
 * The price is a staircase of at most half a model voxel along boundaries where the model grid is
 * coarser than the scan. When only reorientation happened the mapping is an exact permutation.
 * Optional logits and probabilities outputs are carried back trilinearly, channel by channel.
 * The mapping clamps at the model grid's border (MONAI's {@code border} padding), so every input
 * voxel gets a label, also where the model grid (see {@link Resample#monaiSpacingGrid}) ends
 * within half a model voxel before the scan's outer voxel centres.</p>
 *
 * <p><b>Outputs.</b> Every {@link OutputSink} of {@link SegmentationSettings#sinks()}: labels as
 * NIfTI uint8 (uint16 above 255), logits and probabilities as float32 with one channel per class,
 * all with the input's affine and dimensions; a montage PNG (drawn from the scan kept in memory);
 * a DICOM SEG (DICOM inputs; checked before the scan is read). Written atomically as a
 * set: to hidden temporary files first, moved onto the targets only when everything succeeded; a
 * cancellation or failure leaves no output file (and no temporary one). An output path equal to
 * the input is refused. Logits and probabilities above a size are kept in temporary files while
 * the segmentation runs, not in the Java heap ({@code FloatOutputs}).</p>
 *
 * <p>Not thread-safe: one {@code segment} at a time ({@code segment} is synchronized).</p>
 */
public final class Segmenter implements AutoCloseable {

	private final ModelDescriptor descriptor;
	private final PatchPredictor predictor;
	private final String device;
	private final AutoCloseable owned;
	private final String modelName;
	/** When the network was ready (this segmenter made): the earliest a segmentation's clock can start. */
	private final long readyNanos = System.nanoTime();

	private Segmenter(ModelDescriptor descriptor, PatchPredictor predictor, String device, AutoCloseable owned,
			String modelName) {
		this.descriptor = descriptor;
		this.predictor = predictor;
		this.device = device;
		this.owned = owned;
		this.modelName = modelName;
	}

	/**
	 * Opens a model package (folder, its rdf.yaml, or a .zip) and loads its SavedModel through the
	 * engine ({@link EngineRuntimes#get()}: TensorFlow in its own class loader in Fiji, on the class
	 * path otherwise). A MONAI bundle (folder or zip) is accepted too: imported once into the bundle
	 * cache ({@link EngineRuntime#packageFor}) and loaded from there.
	 *
	 * @param options device and threads (see {@link SegmentationSettings#engineOptions()})
	 * @throws org.volseg.model.ModelPackageException for a missing or invalid package
	 * @throws org.volseg.engine.EngineException if TensorFlow cannot load it on that device
	 */
	public static Segmenter load(Path modelPackage, EngineOptions options) {
		// a MONAI bundle (folder or zip) is imported once into the bundle cache
		EngineRuntime runtime = EngineRuntimes.get();
		Path packagePath = runtime.packageFor(modelPackage, line -> {
		}, line -> {
		});
		ModelDescriptor descriptor;
		String source;
		try (ModelPackage pkg = ModelPackage.open(packagePath)) {
			descriptor = pkg.descriptor();
			source = pkg.source().toString();
		}
		LoadedNetwork network = runtime.load(packagePath, options.device().label(), options.intraOpThreads(),
				options.interOpThreads(), options.trustModel());
		return new Segmenter(descriptor, network, network.device(), network, source);
	}

	/**
	 * The descriptor of a model package folder (or its {@code rdf.yaml}), read without loading the network,
	 * so that the scan can be {@link #prepare prepared} while {@link #load} runs. Empty for anything else:
	 * a MONAI bundle (which {@link #load} imports first), a zip (extracted by {@link #load}), or a path
	 * {@link #load} will refuse with its own error.
	 */
	public static Optional<ModelDescriptor> descriptorOf(Path model) {
		boolean folder = Files.isRegularFile(model.resolve(ModelPackage.DESCRIPTOR_FILE));
		boolean yaml = Files.isRegularFile(model) && model.getFileName().toString().endsWith(".yaml");
		if (!folder && !yaml)
			return Optional.empty();
		try (ModelPackage pkg = ModelPackage.open(model)) {
			return Optional.of(pkg.descriptor());
		} catch (VolSegException e) {
			return Optional.empty(); // Segmenter.load reports it
		}
	}

	/**
	 * A segmenter around any predictor (tests, other back ends); the predictor is not closed.
	 *
	 * @param device the name reported as the device in results
	 */
	public static Segmenter of(ModelDescriptor descriptor, PatchPredictor predictor, String device) {
		return new Segmenter(descriptor, predictor, device, null, descriptor.name());
	}

	public ModelDescriptor descriptor() {
		return descriptor;
	}

	/** The device the network runs on. */
	public String device() {
		return device;
	}

	/**
	 * Segments a NIfTI file, a DICOM folder or a DICOM file ({@link SegmentationSettings#series()} picks the series,
	 * {@link SegmentationSettings#volumeIndex()} one volume of a 4D scan).
	 *
	 * @param cancelRequested polled between stages and before every batch of windows
	 * @throws VolSegException for unreadable input, a volume that does not fit the model, bad settings
	 * @throws CancelledException if cancelled (no output file is left)
	 */
	public synchronized SegmentationResult segment(Path input, SegmentationSettings settings, SegmentationListener listener,
			BooleanSupplier cancelRequested) {
		long start = System.nanoTime();
		PreparedScan scan = prepare(input, descriptor, modelName, predictor.inputChannels(), settings, listener,
				cancelRequested, start);
		scan.use();
		return run(scan, listener, cancelRequested);
	}

	/**
	 * The first half of {@link #segment(Path, SegmentationSettings, SegmentationListener, BooleanSupplier)}:
	 * checks the settings against the model, reads the scan and preprocesses it onto the model's grid. It needs
	 * the model's descriptor only, not its network, so it can run while the network loads on another thread
	 * ({@code volseg segment} does so, see {@link ModelLoading}); finish with
	 * {@link #segment(PreparedScan, SegmentationListener, BooleanSupplier)}. Runs on the calling thread; the
	 * listener hears the reading and preprocessing stages on it.
	 *
	 * @param descriptor the model's descriptor (as {@link ModelPackage#descriptor()} reads it)
	 * @param modelName how errors name the model (its package path)
	 * @param cancelRequested polled between stages
	 * @throws VolSegException for unreadable input, a scan whose channels do not fit the model, bad settings
	 * @throws CancelledException if cancelled
	 */
	public static PreparedScan prepare(Path input, ModelDescriptor descriptor, String modelName, SegmentationSettings settings,
			SegmentationListener listener, BooleanSupplier cancelRequested) {
		return prepare(input, descriptor, modelName, descriptor.input().channels(), settings, listener, cancelRequested,
				System.nanoTime());
	}

	private static PreparedScan prepare(Path input, ModelDescriptor descriptor, String modelName, int inputChannels,
			SegmentationSettings settings, SegmentationListener listener, BooleanSupplier cancel, long start) {
		refuseOverwritingInput(input, settings);
		for (OutputSink sink : settings.sinks())
			sink.check(input);
		windowSettings(descriptor, modelName, settings);
		Thread setUp = startSinkSetUp(settings.sinks());
		try {
			listener.stage(SegmentationListener.Stage.READING);
			return prepareRead(read(input, settings, listener), input, descriptor, modelName, inputChannels, settings,
					listener, cancel, start, setUp);
		} catch (RuntimeException | Error e) {
			join(setUp);
			throw e;
		}
	}

	/**
	 * Runs every sink's {@link OutputSink#prepare} on a daemon thread ({@code volseg-sink-setup}) while the
	 * scan is read; the writing joins it. Its errors are ignored: the sink's write meets them again.
	 */
	private static Thread startSinkSetUp(List<OutputSink> sinks) {
		if (sinks.isEmpty())
			return null;
		Thread t = new Thread(() -> {
			for (OutputSink sink : sinks)
				try {
					sink.prepare();
				} catch (RuntimeException | LinkageError e) {
					// the sink's write reports what is wrong
				}
		}, "volseg-sink-setup");
		t.setDaemon(true);
		t.start();
		return t;
	}

	/** Waits for a thread (null: nothing); an interrupt is kept for the caller and ends the wait. */
	private static void join(Thread t) {
		if (t == null)
			return;
		try {
			t.join();
		} catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Segments a scan {@link #prepare prepared} for this model, perhaps while the model was loading. The
	 * result's {@link SegmentationResult#secondsTotal()} counts the wall-clock time from the later of the
	 * reading's start and the end of this segmenter's load (its construction) to the end of writing: reading
	 * and preprocessing done while the network loaded cost no wall time beyond the load, and are reported
	 * apart ({@link SegmentationResult#secondsOverlappedWithLoad()}); the stages keep their own durations.
	 *
	 * @param scan prepared with this segmenter's descriptor; used once
	 * @throws IllegalArgumentException if the scan was prepared for another model or already used
	 */
	public synchronized SegmentationResult segment(PreparedScan scan, SegmentationListener listener,
			BooleanSupplier cancelRequested) {
		if (!Objects.equals(scan.descriptor(), descriptor))
			throw new IllegalArgumentException("the scan was prepared for the model " + scan.descriptor().name()
					+ ", not for " + descriptor.name());
		scan.use();
		checkChannels(predictor.inputChannels(), scan.channels(), what(scan.source()), descriptor, modelName);
		return run(scan, listener, cancelRequested);
	}

	/** Reads the input, reporting the reader's warnings; only the volume is kept (see {@code run}). */
	private static Volume read(Path input, SegmentationSettings settings, SegmentationListener listener) {
		LoadedVolume loaded = VolumeIO.forSeries(settings.series()).openReadOnly(input);
		Object warnings = loaded.details().get("warnings");
		if (warnings instanceof String w && !w.isEmpty())
			listener.warning(w);
		return InputCheck.pickVolume(loaded.volume(), settings.volumeIndex(), input.toString());
	}

	/** Segments a volume already in memory (Fiji's open image); the volume is not modified. */
	public synchronized SegmentationResult segment(Volume input, SegmentationSettings settings, SegmentationListener listener,
			BooleanSupplier cancelRequested) {
		long start = System.nanoTime();
		for (OutputSink sink : settings.sinks())
			sink.check(null);
		PreparedScan scan = prepareRead(InputCheck.pickVolume(input, settings.volumeIndex(), "the volume"), null, descriptor,
				modelName, predictor.inputChannels(), settings, listener, cancelRequested, start, null);
		scan.use();
		return run(scan, listener, cancelRequested);
	}

	private static String what(Path source) {
		return source == null ? "the volume" : source.toString();
	}

	/** Checks the channels and preprocesses: the part of a segmentation before the network. */
	private static PreparedScan prepareRead(Volume input, Path source, ModelDescriptor descriptor, String modelName,
			int inputChannels, SegmentationSettings settings, SegmentationListener listener, BooleanSupplier cancel,
			long start, Thread sinkSetUp) {
		Objects.requireNonNull(settings, "settings");
		double readSeconds = (System.nanoTime() - start) * 1e-9;
		checkChannels(inputChannels, input.channels(), what(source), descriptor, modelName);
		windowSettings(descriptor, modelName, settings);
		checkCancel(cancel);

		long t = System.nanoTime();
		listener.stage(SegmentationListener.Stage.PREPROCESSING);
		Preprocessor.Prepared prepared = Preprocessor.prepare(input, descriptor, settings);
		FirstBatch first = cutFirstBatch(prepared, descriptor, modelName, settings);
		// From here on only the input's grid is needed (unless a sink such as the montage draws the scan):
		// when preprocessing made a new volume from one read from a file, nothing else refers to the
		// original, and it is freed during the inference.
		Volume scan = settings.sinks().stream().anyMatch(OutputSink::needsScan) ? input : null;
		long end = System.nanoTime();
		PreparedScan result = new PreparedScan(source, settings, descriptor, prepared, first, Arrays.copyOf(input.dimensions(), 3),
				input.geometry(), scan, (int) input.channels(), readSeconds, (end - t) * 1e-9, start, end, sinkSetUp);
		checkCancel(cancel);
		return result;
	}

	/**
	 * The first batch of windows, cut from the volume on the model's grid while the scan is prepared (for
	 * {@code volseg segment}: while the network loads), so that the first prediction starts at once; null
	 * when the network will not run (an empty foreground crop). The run's plan, made later with its outputs,
	 * has the same first windows; the sliding window checks that before it uses them
	 * ({@link SlidingWindowInference#run(Volume, TilePlan, PatchPredictor, List, FirstBatch)}).
	 */
	private static FirstBatch cutFirstBatch(Preprocessor.Prepared prepared, ModelDescriptor descriptor, String modelName,
			SegmentationSettings settings) {
		if (prepared.crop() != null && prepared.crop().empty())
			return null;
		return new SlidingWindowInference(windowSettings(descriptor, modelName, settings)).cutFirstBatch(prepared.volume());
	}

	/** Runs a prepared scan; large logits and probabilities go to temporary files, deleted however the run ends. */
	private SegmentationResult run(PreparedScan scan, SegmentationListener listener, BooleanSupplier cancel) {
		try (FloatOutputs floats = new FloatOutputs(scan.settings().sinks())) {
			return run(scan, listener, cancel, floats);
		}
	}

	/** @param floats where large logits and probabilities go (temporary files, deleted by the caller) */
	private SegmentationResult run(PreparedScan scan, SegmentationListener listener, BooleanSupplier cancel,
			FloatOutputs floats) {
		SegmentationSettings settings = scan.settings();
		Path source = scan.source();
		// the clock starts when the reading had started and the network was loaded (see segment(PreparedScan))
		long start = Math.max(scan.startNanos(), readyNanos);
		double overlapped = Math.max(0, Math.min(scan.endNanos(), readyNanos) - scan.startNanos()) * 1e-9;
		Map<String, Double> seconds = new LinkedHashMap<>();
		seconds.put("read", scan.readSeconds());
		seconds.put("preprocess", scan.preprocessSeconds());
		String what = what(source);
		SlidingWindowSettings window = windowSettings(settings);
		Preprocessor.Prepared prepared = scan.prepared();
		Volume model = prepared.volume();
		List<String> steps = prepared.steps();
		// a MONAI foreground crop: the network runs on the box, outputs go back onto the full model grid
		ForegroundCrop crop = prepared.crop();
		prepared = null; // from here on `model` is the only reference to the network's input (see inputOnDisk below)
		long[] modelDims = crop == null ? Arrays.copyOf(model.dimensions(), 3) : crop.fullDimensions();
		Geometry modelGeometry = crop == null ? model.geometry() : crop.fullGeometry();
		long[] inputDims = scan.inputDims();
		Geometry inputGeometry = scan.inputGeometry();
		List<OutputSink> sinks = settings.sinks();
		Volume scanVoxels = scan.scan();
		Thread sinkSetUp = scan.sinkSetUp();
		FirstBatch firstBatch = scan.firstBatch();
		// the prepared scan lets go of its volumes: from here on this method holds what is still needed
		scan.release();
		checkCancel(cancel);

		long t = System.nanoTime();
		listener.stage(SegmentationListener.Stage.INFERENCE);
		int classes = predictor.outputChannels();
		int[] labelOf = labelOf();
		// a MONAI bundle that inverts probabilities (Invertd before AsDiscreted) gets its labels from
		// the class scores carried onto the scan's grid (see config.volseg.monai)
		MonaiOptions monai = descriptor.volseg().monai();
		boolean sameGrid = Arrays.equals(inputDims, modelDims) && modelGeometry.equalsWithin(inputGeometry, 1e-9);
		boolean labelsFromScores = monai != null && monai.invert() == MonaiOptions.Invert.PROBABILITIES && !sameGrid;
		int maxLabel = Arrays.stream(labelOf).max().orElse(0);
		int[][] streamedOntoInput = crop != null || labelsFromScores || sameGrid || maxLabel > 255 ? null
				: streamedOntoInput(model, inputDims, inputGeometry);
		// the labels straight onto the scan's grid while the windows are stitched, or on the model grid first
		AssembledVolume labels = streamedOntoInput != null
				? new NearestLabelAssembler(labelFinalizer(labelOf, settings.threshold()), classes, model.dimensions(),
						streamedOntoInput, inputGeometry)
				: VolumeAssembler.labels(labelFinalizer(labelOf, settings.threshold()), classes, model.dimensions(),
						model.geometry(), maxLabel);
		AssembledVolume logits = sinks.stream().noneMatch(OutputSink::needsLogits) ? null
				: floats.create(Finalizer.raw(), classes, model.dimensions(), model.geometry());
		AssembledVolume probabilities = sinks.stream().noneMatch(OutputSink::needsProbabilities) && !labelsFromScores ? null
				: floats.create(probabilityFinalizer(), classes, model.dimensions(), model.geometry());
		List<AssembledVolume> outputs = new ArrayList<>();
		outputs.add(labels);
		if (logits != null)
			outputs.add(logits);
		if (probabilities != null)
			outputs.add(probabilities);
		boolean nothing = crop != null && crop.empty();
		InferenceStats stats = new InferenceStats(0, 0, 0, 0);
		TimedPredictor timed = new TimedPredictor(predictor);
		if (nothing)
			listener.warning("no voxel of " + what + " is > 0 where the model's crop_foreground looks: nothing segmented, "
					+ "every voxel background (as MONAI's CropForegroundd and Invertd give)");
		else {
			// planned once: the memory check, the sliding window and its stitcher all use this plan
			TilePlan plan = TilePlanner.plan(model.dimensions(), window, classes, outputs);
			// a streamed label map (bytes) is at most STREAMED_LABELS_MAX_EXTRA bytes larger than one on the model grid
			int labelBytes = labels instanceof VolumeAssembler onModelGrid ? onModelGrid.bytesPerVoxel() : 1;
			MemoryCheck.requireHeap(MemoryCheck.neededBytes(plan, model.channels(), classes, outputs, labelBytes),
					what);
			// a large input waits on disk, not in the heap, for its windows
			Volume onDisk = floats.inputOnDisk(model, plan);
			if (onDisk != model) {
				model = onDisk;
				// the heap copy is garbage now: collected at once, so that the stitcher's rows, which grow
				// from here on, take its place instead of growing the heap (the parallel collector would not
				// collect the old generation before it has grown)
				System.gc();
			}
			SlidingWindowListener progress = listener::windows;
			stats = new SlidingWindowInference(window, progress, cancel).run(model, plan, timed, outputs, firstBatch);
		}
		seconds.put("inference", (System.nanoTime() - t) * 1e-9);
		checkCancel(cancel);

		t = System.nanoTime();
		listener.stage(SegmentationListener.Stage.POSTPROCESSING);
		Volume scoresOnInput = probabilities == null ? null
				: floats.onInputGrid(nothing ? null : probabilities.volume(), crop, classes, inputDims, inputGeometry,
						v -> toInputGrid(onModelGrid(crop, v, classes), inputDims, inputGeometry, Resample.Interpolation.LINEAR));
		Volume labelMap = labelsFromScores
				? ScoreLabels.labels(scoresOnInput, labelOf, descriptor.volseg().outputActivation(), settings.threshold(),
						monai.regionLabels())
				: streamedOntoInput != null ? labels.volume()
						: toInputGrid(labelsOnModelGrid(crop, nothing ? null : labels.volume(), labelOf), inputDims,
								inputGeometry, Resample.Interpolation.NEAREST);
		SmallComponentRemoval.Summary removed = settings.minComponentSize() > 1
				? SmallComponentRemoval.removeSmallComponents(labelMap.voxels(), settings.minComponentSize(),
						SmallComponentRemoval.Connectivity.FULL_26)
				: new SmallComponentRemoval.Summary(Map.of(), Map.of());
		Volume logitMap = logits == null ? null
				: floats.onInputGrid(nothing ? null : logits.volume(), crop, classes, inputDims, inputGeometry,
						v -> toInputGrid(onModelGrid(crop, v, classes), inputDims, inputGeometry, Resample.Interpolation.LINEAR));
		Volume probabilityMap = sinks.stream().noneMatch(OutputSink::needsProbabilities) ? null : scoresOnInput;
		// the label counts are for the result, not the files: taken while the outputs are written when there are any
		AtomicReference<List<LabelRow>> counted = new AtomicReference<>();
		Runnable count = () -> counted.set(rows(labelMap));
		seconds.put("postprocess", (System.nanoTime() - t) * 1e-9);
		checkCancel(cancel);

		t = System.nanoTime();
		Map<String, Path> written = Map.of();
		if (!sinks.isEmpty()) {
			listener.stage(SegmentationListener.Stage.WRITING);
			join(sinkSetUp); // done long ago, normally

			// the outputs are written on two threads (OutputFiles.stageAll): their warnings reach the listener one at a time
			Object warningLock = new Object();
			SegmentationOutputs produced = new SegmentationOutputs(labelMap, logitMap, probabilityMap, scanVoxels, source,
					settings.series(), descriptor, w -> {
						synchronized (warningLock) {
							listener.warning(w);
						}
					});
			try (OutputFiles files = new OutputFiles()) {
				List<OutputFiles.Output> outputFiles = new ArrayList<>();
				Map<String, Boolean> kinds = new LinkedHashMap<>();
				for (OutputSink sink : sinks) {
					String kind = sink.kind();
					for (int n = 2; kinds.containsKey(kind); n++)
						kind = sink.kind() + "-" + n;
					kinds.put(kind, true);
					outputFiles.add(new OutputFiles.Output(kind, sink.target(), p -> sink.write(produced, p)));
				}
				// two at a time (the label map and the montage of the README's job share the two cores)
				files.stageAll(outputFiles, () -> checkCancel(cancel), count);
				checkCancel(cancel);
				files.commit();
				written = files.written();
			}
		}
		if (counted.get() == null)
			count.run();
		List<LabelRow> rows = counted.get();
		seconds.put("write", (System.nanoTime() - t) * 1e-9);
		double total = (System.nanoTime() - start) * 1e-9;
		return new SegmentationResult(labelMap, source, device, stats.windows(), stats.batches(),
				modelDims, modelGeometry.spacing(),
				org.volseg.volume.Orientation.of(modelGeometry).code(), steps, removed, written,
				Collections.unmodifiableMap(seconds), total, stats.predictorNanos() * 1e-9, rows, timed.firstSeconds(),
				timed.meanSecondsAfterFirst(), overlapped);
	}

	/** The sliding-window settings: the user's, else the model's defaults; the window must fit the model. */
	SlidingWindowSettings windowSettings(SegmentationSettings s) {
		return windowSettings(descriptor, modelName, s);
	}

	private static SlidingWindowSettings windowSettings(ModelDescriptor descriptor, String modelName, SegmentationSettings s) {
		VolSegConfig c = descriptor.volseg();
		int[] roi = s.roi() != null ? s.roi() : c.patchSizeArray();
		checkRoi(descriptor, modelName, roi, s.roi() != null);
		BlendMode blend = s.blend() != null ? s.blend() : c.blendMode();
		return SlidingWindowSettings.builder(roi).overlap(s.overlap() != null ? s.overlap() : c.overlap()).blend(blend)
				.sigmaScale(s.sigmaScale() != null ? s.sigmaScale() : c.sigmaScale()).batch(s.batch())
				.padding(modelPadding(descriptor, s)).mirroring(s.tta() != null ? s.tta()
						: Mirroring.of(c.ttaAxes().contains("x"), c.ttaAxes().contains("y"), c.ttaAxes().contains("z")))
				.sumPrecision(s.sumPrecision()).build();
	}

	/**
	 * The settings' padding; a MONAI bundle's {@code replicate} padding ({@code config.volseg.monai.padding:
	 * edge}) replaces the default constant 0.
	 */
	private static Padding modelPadding(ModelDescriptor descriptor, SegmentationSettings s) {
		MonaiOptions monai = descriptor.volseg().monai();
		if (monai != null && "edge".equals(monai.padding()) && s.padding().equals(Padding.constant(0)))
			return Padding.edge();
		return s.padding();
	}

	private static void checkRoi(ModelDescriptor descriptor, String modelName, int[] roi, boolean fromUser) {
		TensorDescriptor in = descriptor.input();
		List<Axis> space = new ArrayList<>();
		for (Axis a : in.axes())
			if (a.type() == AxisType.SPACE)
				space.add(a);
		String[] ids = { "x", "y", "z" };
		for (int d = 0; d < 3; d++) {
			int index = in.indexOf(ids[d]);
			Axis axis = index >= 0 ? in.axes().get(index) : d < space.size() ? space.get(d) : null;
			if (axis != null && !axis.size().admits(roi[d]))
				throw InvalidParameterException.of(fromUser ? "--roi" : "config.volseg.patch_size",
						roi[0] + "," + roi[1] + "," + roi[2], "window sizes the model " + modelName + " accepts (axis "
								+ ids[d] + ": " + axis.size() + ")");
		}
	}

	/** @param expected the input channels of the network; {@code channels} those of the scan */
	private static void checkChannels(int expected, long channels, String what, ModelDescriptor descriptor,
			String modelName) {
		if (channels != expected) {
			Axis channel = null;
			for (Axis a : descriptor.input().axes())
				if (a.type() == AxisType.CHANNEL)
					channel = a;
			String names = channel == null || channel.channelNames().isEmpty() ? ""
					: " (" + String.join(", ", channel.channelNames()) + ")";
			if (expected == 1)
				throw new VolSegException(what + ": has " + channels + " channel(s) — " + channels
						+ " time points (volumes) of a 4D scan such as fMRI, diffusion or a series of MOSAIC files — but the"
						+ " model " + modelName + " expects 1 input channel(s)" + names + ": it segments one 3D volume; pick"
						+ " one with --volume-index K (K from 0 to " + (channels - 1)
						+ "; SegmentationSettings.volumeIndex in the library)");
			throw new VolSegException(what + ": has " + channels + " channel(s), but the model " + modelName
					+ " expects " + expected + " input channel(s)" + names + "; give a volume with " + expected
					+ " channel(s) (a 4D NIfTI with one volume per channel) or choose a model for this kind of scan");
		}
	}

	/** The label of each output channel: its class's label, else the channel index. */
	private int[] labelOf() {
		List<SegmentationClass> classes = descriptor.volseg().classes();
		int[] labelOf = new int[predictor.outputChannels()];
		for (int c = 0; c < labelOf.length; c++)
			labelOf[c] = c < classes.size() ? classes.get(c).label() : c;
		return labelOf;
	}

	private Finalizer labelFinalizer(int[] labelOf, float threshold) {
		MonaiOptions monai = descriptor.volseg().monai();
		if (descriptor.volseg().outputActivation() == OutputActivation.SIGMOID && monai != null
				&& !monai.regionLabels().isEmpty())
			return Finalizer.regionLabels(monai.regionLabels().stream().mapToInt(MonaiOptions.RegionLabel::channel).toArray(),
					monai.regionLabels().stream().mapToInt(MonaiOptions.RegionLabel::label).toArray(), threshold);
		return descriptor.volseg().outputActivation() == OutputActivation.SIGMOID
				? Finalizer.sigmoidLabels(labelOf, threshold)
				: Finalizer.argmax(labelOf);
	}

	private Finalizer probabilityFinalizer() {
		OutputActivation a = descriptor.volseg().outputActivation();
		return a == OutputActivation.SOFTMAX ? Finalizer.softmax()
				: a == OutputActivation.SIGMOID ? Finalizer.sigmoid() : Finalizer.raw();
	}

	/**
	 * Class scores or logits on the full model grid: as they are without a crop, else put back from
	 * the crop's box with zeros outside; {@code onBox} null (nothing was run) gives all zeros.
	 */
	private static Volume onModelGrid(ForegroundCrop crop, Volume onBox, int classes) {
		if (crop == null)
			return onBox;
		if (onBox == null) {
			long[] d = crop.fullDimensions();
			return Volume.allocate(crop.fullGeometry(), d[0], d[1], d[2], classes);
		}
		return crop.padBack(onBox);
	}

	/**
	 * The label map on the full model grid; outside a crop's box the label all-zero scores give
	 * (channel 0's label after a softmax or raw argmax, 0 after a sigmoid threshold).
	 */
	private Volume labelsOnModelGrid(ForegroundCrop crop, Volume onBox, int[] labelOf) {
		if (crop == null)
			return onBox;
		Volume full = onBox == null ? Volume.allocate(crop.fullGeometry(), crop.fullDimensions()) : crop.padBack(onBox);
		float outside = descriptor.volseg().outputActivation() == OutputActivation.SIGMOID ? 0 : labelOf[0];
		if (outside != 0) {
			long[] s = crop.start(), n = crop.size();
			net.imglib2.Cursor<FloatType> c = Views.flatIterable(full.voxels()).localizingCursor();
			while (c.hasNext()) {
				FloatType v = c.next();
				boolean inside = !crop.empty();
				for (int d = 0; d < 3 && inside; d++) {
					long p = c.getLongPosition(d);
					inside = p >= s[d] && p < s[d] + n[d];
				}
				if (!inside)
					v.set(outside);
			}
		}
		return full;
	}

	/**
	 * How many bytes more than a label map on the model grid a label map streamed onto the scan's grid may
	 * take ({@link #streamedOntoInput}): it is held for the whole inference, where the model grid's map would
	 * be, so a large scan on a coarser model grid keeps the second pass instead (16 MiB).
	 */
	private static final long STREAMED_LABELS_MAX_EXTRA = 1L << 24;

	/**
	 * The nearest source index per axis from the scan's grid onto the model grid
	 * ({@link Resample#nearestAlongAxes}) when the labels can be assembled straight onto the scan's grid
	 * ({@link NearestLabelAssembler}, the same labels as {@link #toInputGrid} after the inference): the grids'
	 * axes map one to one and the scan's label map (bytes) is at most {@link #STREAMED_LABELS_MAX_EXTRA}
	 * larger than the model grid's. Else null.
	 */
	private static int[][] streamedOntoInput(Volume model, long[] inputDims, Geometry inputGeometry) {
		long[] modelDims = Arrays.copyOf(model.dimensions(), 3);
		long modelVoxels = modelDims[0] * modelDims[1] * modelDims[2];
		long inputVoxels = inputDims[0] * inputDims[1] * inputDims[2];
		if (inputVoxels > modelVoxels + STREAMED_LABELS_MAX_EXTRA)
			return null;
		return Resample.nearestAlongAxes(model.geometry(), modelDims, inputGeometry, inputDims);
	}

	/** The output on the input's grid: itself if the grids agree, else resampled onto it. */
	static Volume toInputGrid(Volume onModelGrid, long[] inDims, Geometry inGeometry, Resample.Interpolation interpolation) {
		long[] outDims = Arrays.copyOf(onModelGrid.dimensions(), 3);
		if (Arrays.equals(inDims, outDims) && onModelGrid.geometry().equalsWithin(inGeometry, 1e-9))
			return onModelGrid.withGeometry(inGeometry);
		return Resample.onto(onModelGrid, inDims, inGeometry, interpolation, Resample.Padding.BORDER, 0f);
	}

	private List<LabelRow> rows(Volume labelMap) {
		Map<Integer, String> names = new LinkedHashMap<>();
		for (SegmentationClass c : descriptor.volseg().classes())
			names.put(c.label(), c.name());
		List<LabelRow> rows = new ArrayList<>();
		for (LabelStatistics.Row r : LabelStatistics.of(labelMap))
			rows.add(new LabelRow(r.label(), names.getOrDefault(r.label(), "label " + r.label()), r.voxels(), r.volumeMl()));
		return Collections.unmodifiableList(rows);
	}

	private static void checkCancel(BooleanSupplier cancel) {
		if (cancel.getAsBoolean())
			throw new CancelledException("segmentation cancelled; no output was written");
	}

	private static void refuseOverwritingInput(Path input, SegmentationSettings s) {
		for (OutputSink sink : s.sinks()) {
			Path out = sink.target();
			if (org.volseg.util.SameFile.as(input, out))
				throw InvalidParameterException.of("output", out, "a file other than the input " + input);
		}
	}

	/** Releases the engine (TensorFlow session and graph) if this segmenter loaded it. */
	@Override
	public void close() {
		if (owned != null)
			try {
				owned.close();
			} catch (Exception e) {
				throw new VolSegException("closing the model failed: " + e.getMessage(), e);
			}
	}
}
