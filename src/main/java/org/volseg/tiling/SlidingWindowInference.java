package org.volseg.tiling;

import org.volseg.CancelledException;

import org.volseg.runtime.PatchPredictor;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.volseg.VolSegException;
import org.volseg.volume.Volume;

/**
 * Runs a {@link PatchPredictor} over a whole volume, window by window, and stitches the outputs:
 * along a {@link TilePlan} made beforehand by {@link TilePlanner}, {@link PatchExtractor} +
 * predictor + {@link Stitcher}, MONAI-compatible (see {@link SlidingWindowSettings}).
 *
 * <p>Pipelining: a preparer thread copies the next batch of patches while the predictor runs the
 * current one, and a stitcher thread blends the previous batch's outputs meanwhile (it sets the
 * stitcher up while the first batch is predicted, which waits only for its patches). Each hand-over
 * goes through a queue of one batch, so at most three input batches and two output batches are
 * in memory besides the stitcher's (the predictor waits for the stitcher to give an output batch
 * back before it starts a third: stitching a batch takes a small fraction of predicting it, so
 * the wait is short or none). The arrays are recycled (a used batch goes back to its producer):
 * a run of hundreds of windows allocates them once instead of leaving a window output of garbage
 * per batch (49.5 MB for 14 classes at 96^3), which let the Java heap grow. The predictor is
 * called on the thread that calls {@code run}, one batch at a time; outputs and the listener are called on the stitcher
 * thread, never concurrently, in order.</p>
 *
 * <p>Cancellation: the cancel request is checked before every batch; when it is set, the
 * inference stops its threads and throws {@link CancelledException}. Outputs may have received
 * part of the output by then. {@code run} returns or throws only after its threads have stopped.
 * An instance holds only settings and may run several inferences, one after the other or
 * concurrently.</p>
 */
public final class SlidingWindowInference {

	private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
	private static final long POLL_MILLIS = 20;
	/** Output batches in circulation: one being predicted, one queued or being stitched. */
	private static final int OUTPUT_BATCHES = 2;

	private final SlidingWindowSettings settings;
	private final SlidingWindowListener listener;
	private final BooleanSupplier cancelRequested;

	/** An inference without progress reports that cannot be cancelled. */
	public SlidingWindowInference(SlidingWindowSettings settings) {
		this(settings, SlidingWindowListener.none(), () -> false);
	}

	/**
	 * @param listener told the progress after every stitched batch
	 * @param cancelRequested polled before every batch; true stops the inference
	 */
	public SlidingWindowInference(SlidingWindowSettings settings, SlidingWindowListener listener,
			BooleanSupplier cancelRequested) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.listener = Objects.requireNonNull(listener, "listener");
		this.cancelRequested = Objects.requireNonNull(cancelRequested, "cancelRequested");
	}

	public SlidingWindowSettings settings() {
		return settings;
	}

	/**
	 * Runs the predictor over the volume along the given plan; each output receives every finished
	 * row once ({@link StitchOutput#acceptRow}).
	 *
	 * @param input voxels (x, y, z[, channel]) with {@code predictor.inputChannels()} channels; read only
	 * @param plan the windows and their order: {@link TilePlanner#plan} of this volume, these settings
	 *        and these outputs (the same plan the caller checked the memory with); never planned again here
	 * @throws IllegalArgumentException if the plan is not one of this volume with these settings
	 * @throws VolSegException if the predictor does not fit the volume or the settings, or returns
	 *         an output of the wrong size
	 * @throws CancelledException if cancellation was requested
	 */
	public InferenceStats run(Volume input, TilePlan plan, PatchPredictor predictor, List<? extends StitchOutput> outputs) {
		return run(input, plan, predictor, outputs, null);
	}

	/**
	 * Cuts the patches of the first batch of the plan {@link TilePlanner#plan} makes for this volume and
	 * these settings (its window order does not depend on the outputs) out of the volume, padded as these
	 * settings say, to be handed to {@link #run(Volume, TilePlan, PatchPredictor, List, FirstBatch)} later:
	 * a caller that has the volume before the network (the segmenter, while the model loads) lets the
	 * first prediction start at once. Runs on the calling thread.
	 *
	 * @param input voxels (x, y, z[, channel]); read only
	 */
	public FirstBatch cutFirstBatch(Volume input) {
		long[] size = Arrays.copyOf(input.dimensions(), 3);
		TilePlan plan = TilePlan.of(size, settings, TilePlanner.order(size, settings));
		return new FirstBatch(plan, settings.padding(),
				new PatchExtractor(input, plan, settings.padding()).extractBatch(plan.batchStart(0), plan.batchEnd(0)));
	}

	/**
	 * {@link #run(Volume, TilePlan, PatchPredictor, List)} with the first batch's patches cut ahead: used
	 * when they are the windows of this plan's first batch with these settings' padding, else cut again
	 * as usual.
	 *
	 * @param first from {@link #cutFirstBatch} of a volume with the same values as {@code input}; null for none
	 */
	public InferenceStats run(Volume input, TilePlan plan, PatchPredictor predictor, List<? extends StitchOutput> outputs,
			FirstBatch first) {
		long start = System.nanoTime();
		if (input.channels() != predictor.inputChannels())
			throw new VolSegException("the model expects " + predictor.inputChannels()
					+ " input channel(s) but the volume has " + input.channels());
		int classes = predictor.outputChannels();
		if (classes < 1)
			throw new VolSegException("the model declares " + classes + " output channels");
		requireFits(plan, input);
		int[] roi = plan.roi();
		long voxels = (long) roi[0] * roi[1] * roi[2];
		long inLength = voxels * input.channels() * plan.batchSize();
		long outLength = voxels * classes * plan.batchSize();
		if (Math.max(inLength, outLength) > MAX_ARRAY)
			throw new VolSegException("batch " + plan.batchSize() + " of windows " + roi[0] + "x" + roi[1] + "x" + roi[2]
					+ " does not fit a Java array (" + Math.max(inLength, outLength)
					+ " floats): use a smaller --batch or --roi");
		PatchPredictor network = settings.mirroring().enabled() ? new MirroringPredictor(predictor, settings.mirroring())
				: predictor;
		float[] firstPatches = first != null && first.fits(plan, settings.padding(), input.channels()) ? first.patches()
				: null;
		return new Run(plan, () -> new PatchExtractor(input, plan, settings.padding()), network, (int) voxels * classes, start)
				.execute(firstPatches, () -> new Stitcher(plan, classes, ImportanceMap.of(settings), outputs));
	}

	/** The plan must be one of this volume with these settings' window, overlap and batch. */
	private void requireFits(TilePlan plan, Volume input) {
		long[] dims = java.util.Arrays.copyOf(input.dimensions(), 3);
		if (!java.util.Arrays.equals(plan.imageSize(), dims) || !java.util.Arrays.equals(plan.roi(), settings.roi())
				|| !java.util.Arrays.equals(plan.overlap(), settings.overlap()) || plan.batchSize() != settings.batch())
			throw new IllegalArgumentException(plan + " is not a plan of a volume " + java.util.Arrays.toString(dims)
					+ " with " + settings);
	}

	/** The state of one inference: its queues, threads and first failure. */
	private final class Run {
		private final TilePlan plan;
		/** Makes the patch extractor, on the preparer thread (the first prediction need not wait for it). */
		private final Supplier<PatchExtractor> extractorSetUp;
		private final PatchPredictor predictor;
		private final int outPerWindow;
		private final long startNanos;
		private final BlockingQueue<float[]> prepared = new ArrayBlockingQueue<>(1);
		private final BlockingQueue<float[]> predicted = new ArrayBlockingQueue<>(1);
		/** Used input and output batches, for reuse; more than the three of each in flight are never needed. */
		private final BlockingQueue<float[]> freeInputs = new ArrayBlockingQueue<>(4);
		private final BlockingQueue<float[]> freeOutputs = new ArrayBlockingQueue<>(4);
		private final AtomicReference<Throwable> failure = new AtomicReference<>();
		private volatile boolean stop;

		Run(TilePlan plan, Supplier<PatchExtractor> extractorSetUp, PatchPredictor predictor, int outPerWindow,
				long startNanos) {
			this.plan = plan;
			this.extractorSetUp = extractorSetUp;
			this.predictor = predictor;
			this.outPerWindow = outPerWindow;
			this.startNanos = startNanos;
		}

		/**
		 * @param firstPatches the first batch's patches cut ahead, or null: the preparer cuts them
		 * @param stitcherSetUp makes the stitcher (its importance map takes a while): called on the stitching
		 *        thread while the first batch is cut and predicted, so that the first prediction waits for
		 *        nothing but its patches
		 */
		InferenceStats execute(float[] firstPatches, Supplier<Stitcher> stitcherSetUp) {
			Thread preparer = new Thread(() -> prepareAll(firstPatches == null ? 0 : 1), "volseg-patch-preparer");
			Thread stitching = new Thread(() -> stitchAll(stitcherSetUp), "volseg-stitcher");
			preparer.setDaemon(true);
			stitching.setDaemon(true);
			long predictorNanos = 0;
			int outputsAllocated = 0;
			boolean done = false;
			preparer.start();
			stitching.start();
			try {
				int[] roi = plan.roi();
				for (int b = 0; b < plan.batchCount(); b++) {
					if (cancelRequested.getAsBoolean())
						throw new CancelledException("sliding-window inference cancelled after " + plan.batchStart(b)
								+ " of " + plan.windowCount() + " windows");
					float[] patches = b == 0 && firstPatches != null ? firstPatches : take(prepared);
					int n = plan.batchEnd(b) - plan.batchStart(b);
					float[] reuse = outputsAllocated < OUTPUT_BATCHES ? freeOutputs.poll() : take(freeOutputs);
					if (reuse == null)
						outputsAllocated++;
					long t0 = System.nanoTime(); // the predictor's own time: not the wait for a free output batch
					float[] out = predictor.predict(patches, n, roi.clone(), reuse);
					predictorNanos += System.nanoTime() - t0;
					if (out != patches) // a predictor may hand its input back as output
						freeInputs.offer(patches);
					if (out == null || out.length != (long) n * outPerWindow)
						throw new VolSegException("the model returned " + (out == null ? "nothing" : out.length + " values")
								+ " for " + n + " patch(es) of " + roi[0] + "x" + roi[1] + "x" + roi[2] + ", expected "
								+ (long) n * outPerWindow + " (" + predictor.outputChannels()
								+ " channels at the patch size): its output must have its input's spatial size");
					put(predicted, out);
				}
				while (!join(stitching))
					rethrowFailure();
				rethrowFailure();
				done = true;
				return new InferenceStats(plan.windowCount(), plan.batchCount(), predictorNanos,
						System.nanoTime() - startNanos);
			} finally {
				if (!done) {
					stop = true;
					preparer.interrupt();
					stitching.interrupt();
				}
				joinQuietly(preparer);
				joinQuietly(stitching);
			}
		}

		/** Cuts the batches from {@code first} on, in order, and queues them. */
		private void prepareAll(int first) {
			try {
				PatchExtractor extractor = extractorSetUp.get();
				for (int b = first; b < plan.batchCount() && !stop; b++)
					if (!offer(prepared, extractor.extractBatch(plan.batchStart(b), plan.batchEnd(b), freeInputs.poll())))
						return;
			} catch (Throwable t) {
				fail(t);
			}
		}

		/** Time from the start until the first batch was stitched (stitching thread only). */
		private long firstBatchNanos;

		private void stitchAll(Supplier<Stitcher> stitcherSetUp) {
			try {
				Stitcher stitcher = stitcherSetUp.get();
				for (int b = 0; b < plan.batchCount(); b++) {
					float[] out = poll(predicted);
					if (out == null)
						return;
					int from = plan.batchStart(b), to = plan.batchEnd(b);
					for (int w = from; w < to; w++)
						stitcher.add(w, out, (w - from) * outPerWindow);
					freeOutputs.offer(out);
					if (b == plan.batchCount() - 1)
						stitcher.finish();
					long elapsed = System.nanoTime() - startNanos;
					if (b == 0)
						firstBatchNanos = elapsed;
					listener.progress(new SlidingWindowProgress(to, plan.windowCount(), elapsed, plan.batchEnd(0), firstBatchNanos));
				}
			} catch (Throwable t) {
				fail(t);
			}
		}

		private void fail(Throwable t) {
			failure.compareAndSet(null, t);
			stop = true;
		}

		private void rethrowFailure() {
			Throwable t = failure.get();
			if (t == null)
				return;
			if (t instanceof RuntimeException)
				throw (RuntimeException) t;
			if (t instanceof Error)
				throw (Error) t;
			throw new IllegalStateException(t);
		}

		/** On the caller's thread: waits for an item, rethrowing a worker's failure. */
		private float[] take(BlockingQueue<float[]> queue) {
			try {
				while (true) {
					rethrowFailure();
					float[] item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
					if (item != null)
						return item;
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new CancelledException("sliding-window inference interrupted");
			}
		}

		/** On the caller's thread: hands an item on, rethrowing a worker's failure. */
		private void put(BlockingQueue<float[]> queue, float[] item) {
			try {
				while (true) {
					rethrowFailure();
					if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS))
						return;
				}
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new CancelledException("sliding-window inference interrupted");
			}
		}

		/** On a worker thread: an item, or null once the run stops. */
		private float[] poll(BlockingQueue<float[]> queue) {
			try {
				while (!stop) {
					float[] item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
					if (item != null)
						return item;
				}
			} catch (InterruptedException e) {
				stop = true;
			}
			return null;
		}

		/** On a worker thread: true when handed on, false once the run stops. */
		private boolean offer(BlockingQueue<float[]> queue, float[] item) {
			try {
				while (!stop)
					if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS))
						return true;
			} catch (InterruptedException e) {
				stop = true;
			}
			return false;
		}

		private boolean join(Thread t) {
			try {
				t.join(POLL_MILLIS);
				return !t.isAlive();
			} catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new CancelledException("sliding-window inference interrupted");
			}
		}

		private void joinQuietly(Thread t) {
			boolean interrupted = false;
			while (t.isAlive()) {
				try {
					t.join();
				} catch (InterruptedException e) {
					interrupted = true;
				}
			}
			if (interrupted)
				Thread.currentThread().interrupt();
		}
	}
}
