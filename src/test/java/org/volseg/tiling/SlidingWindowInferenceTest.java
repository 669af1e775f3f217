package org.volseg.tiling;

import org.volseg.CancelledException;

import org.volseg.runtime.PatchPredictor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.volseg.tiling.TilingTestSupport.get;
import static org.volseg.tiling.TilingTestSupport.maxDifference;
import static org.volseg.tiling.TilingTestSupport.randomVolume;
import static org.volseg.tiling.TilingTestSupport.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import net.imglib2.Cursor;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

import org.junit.jupiter.api.Test;
import org.volseg.VolSegException;
import org.volseg.volume.Volume;

class SlidingWindowInferenceTest {

	private static final long[][] SHAPES = { { 13, 7, 9 }, { 1, 5, 3 }, { 21, 16, 11 } };
	private static final int[][] ROIS = { { 8, 8, 8 }, { 4, 6, 5 }, { 24, 20, 16 } }; // the last is larger than every shape
	private static final double[] OVERLAPS = { 0, 0.25, 0.5, 0.75 };
	private static final Padding[] PADDINGS = { Padding.constant(0), Padding.constant(-3.5), Padding.edge(),
			Padding.reflect() };

	/**
	 * Every overlap, blend and padding, with float32 sums: these tests compare with the float32
	 * whole-volume accumulation exactly (float16 sums: StitcherTest).
	 */
	private static List<SlidingWindowSettings> allSettings(int[] roi) {
		List<SlidingWindowSettings> all = new ArrayList<>();
		for (double overlap : OVERLAPS)
			for (BlendMode blend : BlendMode.values())
				for (Padding pad : PADDINGS)
					all.add(SlidingWindowSettings.builder(roi).overlap(overlap).blend(blend).padding(pad)
							.batch(1 + all.size() % 3).sumPrecision(SumPrecision.FLOAT32).build());
		return all;
	}

	/** Identity and x + 1 come back exactly (to float32 rounding) whatever the blend, overlap and padding. */
	@Test
	void identityAndShiftComeBackExactly() {
		for (long[] shape : SHAPES)
			for (int[] roi : ROIS)
				for (SlidingWindowSettings s : allSettings(roi)) {
					Volume in = randomVolume(shape[0] * 31 + roi[0], shape);
					for (float add : new float[] { 0, 1 }) {
						Volume out = TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.shift(1, add), Finalizer.raw());
						// one channel: a 3D output
						assertArrayEquals(shape, out.dimensions());
						assertSame(in.geometry(), out.geometry());
						Cursor<FloatType> a = Views.flatIterable(in.voxels()).cursor();
						Cursor<FloatType> b = Views.flatIterable(out.voxels()).cursor();
						while (a.hasNext()) {
							float expected = a.next().get() + add;
							float actual = b.next().get();
							// float32 sums over up to 64 overlapping windows: a few units in the last place
							assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), s::toString);
						}
					}
				}
	}

	@Test
	void identityWithSeveralChannels() {
		Volume in = randomVolume(7, 10, 9, 12, 2);
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 4, 5).overlap(0.5).blend(BlendMode.GAUSSIAN).batch(2).build();
		Volume out = TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.identity(2), Finalizer.raw());
		assertTrue(maxDifference(in.voxels(), out.voxels()) < 1e-5);
	}

	@Test
	void constantPerClassGivesTheConstantsAndTheirActivations() {
		float[] logits = { 0.5f, 2f, -1f, 2f }; // a tie between classes 1 and 3: argmax takes the first
		SlidingWindowSettings s = SlidingWindowSettings.builder(5, 5, 5).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		Volume in = randomVolume(3, 9, 7, 8);
		PatchPredictor p = FakePredictors.constantPerClass(logits);
		SlidingWindowInference inference = new SlidingWindowInference(s);
		Volume raw = TilingTestSupport.run(inference, in, p, Finalizer.raw());
		Volume soft = TilingTestSupport.run(inference, in, p, Finalizer.softmax());
		Volume sig = TilingTestSupport.run(inference, in, p, Finalizer.sigmoid());
		Volume labels = TilingTestSupport.run(inference, in, p, Finalizer.argmax());
		Volume mask = TilingTestSupport.run(inference, in, p, Finalizer.threshold(0.5f));
		Volume sigMask = TilingTestSupport.run(inference, in, p, Finalizer.sigmoidThreshold(0.7f));
		double sum = 0;
		for (float l : logits)
			sum += Math.exp(l);
		assertEquals(3, labels.voxels().numDimensions());
		for (long[] pos : new long[][] { { 0, 0, 0 }, { 8, 6, 7 }, { 4, 3, 2 } }) {
			assertEquals(1, get(labels.voxels(), pos), 0f);
			for (int c = 0; c < logits.length; c++) {
				long[] p4 = { pos[0], pos[1], pos[2], c };
				assertEquals(logits[c], get(raw.voxels(), p4), 1e-6);
				assertEquals(Math.exp(logits[c]) / sum, get(soft.voxels(), p4), 1e-6);
				double sigmoid = 1 / (1 + Math.exp(-logits[c]));
				assertEquals(sigmoid, get(sig.voxels(), p4), 1e-6);
				assertEquals(logits[c] >= 0.5f ? 1 : 0, get(mask.voxels(), p4), 0f);
				assertEquals(sigmoid >= 0.7 ? 1 : 0, get(sigMask.voxels(), p4), 0f);
			}
		}
	}

	/**
	 * The streaming stitcher, pipelined, equals the plain whole-volume accumulation, for every
	 * combination: labels exactly, values (of magnitude up to about 10) up to the float rounding of
	 * a different summation order (the plan may put y-rows outermost).
	 */
	@Test
	void streamingEqualsWholeVolumeAccumulation() {
		PatchPredictor p = FakePredictors.windowDependent();
		Finalizer[] finalizers = { Finalizer.raw(), Finalizer.softmax(), Finalizer.argmax() };
		int runs = 0;
		for (long[] shape : SHAPES)
			for (int[] roi : ROIS)
				for (SlidingWindowSettings s : allSettings(roi)) {
					Volume in = randomVolume(runs, shape);
					Finalizer f = finalizers[runs++ % finalizers.length];
					Volume streamed = TilingTestSupport.run(new SlidingWindowInference(s), in, p, f);
					double diff = maxDifference(reference(in, p, s, f), streamed.voxels());
					assertTrue(diff <= (f.channels(3) == 1 ? 0 : 1e-5), () -> s + " " + f + ": differs by " + diff);
				}
	}

	/**
	 * Input and output batches are recycled between the three threads: a predictor that writes into
	 * the arrays it is offered still gives the whole-volume result (no array is reused while another
	 * thread reads it), and after the first batches every call is offered one.
	 */
	@Test
	void recycledBatchArraysGiveTheSameResult() {
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).batch(2)
				.blend(BlendMode.GAUSSIAN).build();
		Volume in = randomVolume(7, 29, 23, 41);
		FakePredictors.Reusing p = new FakePredictors.Reusing(FakePredictors.windowDependent());
		AtomicInteger stitched = new AtomicInteger();
		Volume streamed = TilingTestSupport.run(new SlidingWindowInference(s, progress -> {
			if (stitched.incrementAndGet() % 3 == 0) // the stitcher falls behind now and then: queues fill up
				java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
		}, () -> false), in, p, Finalizer.raw());
		assertEquals(0, maxDifference(reference(in, FakePredictors.windowDependent(), s, Finalizer.raw()),
				streamed.voxels()), 1e-6);
		assertTrue(p.calls.get() > 20, "batches: " + p.calls.get());
		assertTrue(p.reused.get() >= p.calls.get() - 4, p.reused.get() + " of " + p.calls.get() + " calls reused an array");
	}

	/**
	 * Every output gets every row of the volume once, with the values of the whole-volume
	 * accumulation, whether alone or beside a whole-volume output (logits); the planner puts y-rows
	 * outermost when the volume has fewer planes than rows.
	 */
	@Test
	void outputsGetEachFinishedRowOnce() {
		java.util.Set<TilePlan.Order> orders = java.util.EnumSet.noneOf(TilePlan.Order.class);
		for (int[] n : new int[][] { { 19, 13, 23 }, { 19, 23, 13 } })
			for (double overlap : new double[] { 0, 0.5, 0.75 }) {
				int nx = n[0], ny = n[1], nz = n[2];
				SlidingWindowSettings s = SlidingWindowSettings.builder(8, 6, 7).overlap(overlap)
						.sumPrecision(SumPrecision.FLOAT32).build(); // labels compared exactly with the float32 reference
				Volume in = randomVolume(11, nx, ny, nz);
				float[] labels = new float[nx * ny * nz];
				int[] deliveries = new int[ny * nz];
				StitchOutput rows = TilingTestSupport.output(Finalizer.argmax(), (y, z, values) -> {
					deliveries[(int) (z * ny + y)]++;
					System.arraycopy(values, 0, labels, (int) ((z * ny + y) * nx), nx);
				});
				List<StitchOutput> labelsOnly = List.of(rows);
				orders.add(TilePlanner.plan(in.dimensions(), s, 3, labelsOnly).order());
				TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.windowDependent(), labelsOnly);
				for (int d : deliveries)
					assertEquals(1, d);
				Img<FloatType> expected = reference(in, FakePredictors.windowDependent(), s, Finalizer.argmax());
				assertEquals(0, maxDifference(expected, ArrayImgs.floats(labels, nx, ny, nz)), 0);

				java.util.Arrays.fill(labels, -1);
				VolumeAssembler logits = VolumeAssembler.floats(Finalizer.raw(), 3, in.dimensions(), in.geometry());
				TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.windowDependent(), List.of(rows, logits));
				for (int d : deliveries)
					assertEquals(2, d, "rows once more, beside the logits");
				assertEquals(0, maxDifference(expected, ArrayImgs.floats(labels, nx, ny, nz)), 0);
				assertTrue(maxDifference(reference(in, FakePredictors.windowDependent(), s, Finalizer.raw()),
						logits.volume().voxels()) < 1e-5);
			}
		// fewer planes than rows: y-rows outermost holds less
		assertEquals(java.util.EnumSet.of(TilePlan.Order.Z_SLOWEST_LAST_PAIRED, TilePlan.Order.Y_SLOWEST_LAST_PAIRED), orders);
	}

	/**
	 * The inference follows the plan it is given and plans nothing itself: the predictor sees the
	 * windows in the given plan's order, whichever order that is (the planner would choose
	 * y-rows outermost for this volume), and a plan of another volume or other settings is refused.
	 */
	@Test
	void runsTheGivenPlanAndNeverPlansAgain() {
		int nx = 12, ny = 20, nz = 11;
		net.imglib2.img.Img<FloatType> index = ArrayImgs.floats(nx, ny, nz);
		long[] pos = new long[3];
		for (Cursor<FloatType> c = index.localizingCursor(); c.hasNext();) {
			c.fwd();
			c.localize(pos);
			c.get().set(pos[0] + nx * (pos[1] + ny * pos[2])); // the voxel's own index, exact in float
		}
		Volume in = new Volume(index, org.volseg.volume.Geometry.identity());
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 6, 6).overlap(0.5).batch(3).build();
		PatchPredictor identity = FakePredictors.identity(1);
		List<StitchOutput> outputs = List.of(TilingTestSupport.output(Finalizer.argmax(), (y, z, row) -> {
		}));
		assertEquals(TilePlan.Order.Y_SLOWEST_LAST_PAIRED, TilePlanner.plan(in.dimensions(), s, 1, outputs).order());
		for (TilePlan.Order order : TilePlan.Order.values()) {
			TilePlan plan = TilePlan.of(in.dimensions(), s, order);
			List<Long> firstVoxels = new CopyOnWriteArrayList<>();
			PatchPredictor recording = FakePredictors.recording(identity, (patches, batch, size) -> {
				for (int b = 0; b < batch; b++)
					firstVoxels.add((long) patches[b * size[0] * size[1] * size[2]]);
			});
			new SlidingWindowInference(s).run(in, plan, recording, outputs);
			List<Long> expected = new ArrayList<>();
			for (int w = 0; w < plan.windowCount(); w++) {
				long[] start = plan.windowStart(w);
				expected.add(start[0] + nx * (start[1] + ny * start[2]));
			}
			assertEquals(expected, firstVoxels, order::toString);
		}
		assertThrows(IllegalArgumentException.class, () -> new SlidingWindowInference(s).run(in,
				TilePlan.of(new long[] { nx, ny, nz + 1 }, s), identity, outputs));
		assertThrows(IllegalArgumentException.class, () -> new SlidingWindowInference(s).run(in,
				TilePlan.of(in.dimensions(), SlidingWindowSettings.builder(6, 6, 6).overlap(0.25).batch(3).build()),
				identity, outputs));
	}

	/** The window-relative position seen at each voxel shows where MONAI puts windows and padding. */
	@Test
	void windowsArePlacedAsMonaiPlacesThem() {
		// x: 5 < 8, padded 1 before (and 2 after); y: 4 < 8, padded 2 and 2; z: 9, windows at 0 and 1
		Volume in = randomVolume(1, 5, 4, 9);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0).build();
		Volume out = TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.positionInWindow(), Finalizer.raw());
		for (int x = 0; x < 5; x++)
			for (int y = 0; y < 4; y++)
				for (int z = 0; z < 9; z++) {
					assertEquals(x + 1, get(out.voxels(), x, y, z, 0), 1e-6);
					assertEquals(y + 2, get(out.voxels(), x, y, z, 1), 1e-6);
					// z = 0 only in the first window, z = 8 only in the second, others in both (constant blend)
					double expected = z == 0 ? 0 : z == 8 ? 7 : ((z) + (z - 1)) / 2.0;
					assertEquals(expected, get(out.voxels(), x, y, z, 2), 1e-6);
				}
	}

	@Test
	void gaussianBlendWeighsByDistanceFromTheWindowCentre() {
		// z 9 with window 8 at 0 and 1: voxel z sits at z in window 0 and z - 1 in window 1
		Volume in = randomVolume(1, 8, 8, 9);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0).blend(BlendMode.GAUSSIAN).build();
		Volume out = TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.positionInWindow(), Finalizer.raw());
		ImportanceMap m = ImportanceMap.of(s);
		int z = 3;
		double w0 = m.weight(2, 5, z), w1 = m.weight(2, 5, z - 1);
		assertEquals((w0 * z + w1 * (z - 1)) / (w0 + w1), get(out.voxels(), 2, 5, z, 2), 1e-5);
	}

	@Test
	void reportsProgressInOrderAndStitchesWhileThePredictorRuns() throws Exception {
		Volume in = randomVolume(2, 20, 20, 30);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).batch(4).build();
		List<SlidingWindowProgress> reports = new CopyOnWriteArrayList<>();
		List<CountDownLatch> stitched = new ArrayList<>();
		TilePlan plan = TilePlan.of(in.dimensions(), s);
		for (int b = 0; b < plan.batchCount(); b++)
			stitched.add(new CountDownLatch(1));
		AtomicInteger call = new AtomicInteger();
		List<Boolean> overlapped = new CopyOnWriteArrayList<>();
		PatchPredictor identity = FakePredictors.identity(1);
		PatchPredictor waiting = new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return 1;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				int b = call.getAndIncrement();
				if (b > 0)
					try { // batch b - 1 gets stitched while this call is still running
						overlapped.add(stitched.get(b - 1).await(20, TimeUnit.SECONDS));
					} catch (InterruptedException e) {
						throw new IllegalStateException(e);
					}
				return identity.predict(patches, batch, size);
			}
		};
		SlidingWindowListener listener = p -> {
			reports.add(p);
			stitched.get((int) ((p.windowsDone() - 1) / s.batch())).countDown();
		};
		InferenceStats stats = TilingTestSupport.run(new SlidingWindowInference(s, listener, () -> false), in, waiting,
				List.of(TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> {
				})));
		assertEquals(plan.batchCount() - 1, overlapped.size());
		assertFalse(overlapped.contains(false));
		assertEquals(plan.batchCount(), reports.size());
		for (int i = 0; i < reports.size(); i++) {
			assertEquals(plan.batchEnd(i), reports.get(i).windowsDone());
			assertEquals(plan.windowCount(), reports.get(i).windowsTotal());
		}
		assertEquals(1.0, reports.get(reports.size() - 1).fraction());
		assertEquals(0.0, reports.get(reports.size() - 1).etaSeconds());
		assertEquals(plan.windowCount(), stats.windows());
		assertEquals(plan.batchCount(), stats.batches());
		assertTrue(stats.totalNanos() >= stats.predictorNanos());
	}

	@Test
	void cancellationStopsBetweenBatches() {
		Volume in = randomVolume(2, 16, 16, 40);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).batch(2).build();
		AtomicInteger calls = new AtomicInteger();
		PatchPredictor identity = FakePredictors.identity(1);
		PatchPredictor counting = new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return 1;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				calls.incrementAndGet();
				return identity.predict(patches, batch, size);
			}
		};
		List<Long> rows = new CopyOnWriteArrayList<>();
		SlidingWindowInference inference = new SlidingWindowInference(s, SlidingWindowListener.none(),
				() -> calls.get() >= 3);
		CancelledException e = assertThrows(CancelledException.class, () -> TilingTestSupport.run(inference, in, counting,
				List.of(TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> rows.add(z)))));
		assertTrue(e.getMessage().contains("cancelled after 6 of"), e.getMessage());
		assertEquals(3, calls.get());
		int received = rows.size();
		assertTrue(received < 16 * 40, received + " rows");
		assertEquals(received, rows.size()); // the threads have stopped: nothing arrives after run ends
		assertTrue(e instanceof VolSegException);
	}

	@Test
	void failuresOfThePredictorAndTheConsumerReachTheCaller() {
		Volume in = randomVolume(2, 12, 12, 30);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).build();
		PatchPredictor identity = FakePredictors.identity(1);
		PatchPredictor wrongSize = new PatchPredictor() {
			@Override
			public int inputChannels() {
				return 1;
			}

			@Override
			public int outputChannels() {
				return 2;
			}

			@Override
			public float[] predict(float[] patches, int batch, int[] size) {
				return identity.predict(patches, batch, size);
			}
		};
		VolSegException e = assertThrows(VolSegException.class,
				() -> TilingTestSupport.run(new SlidingWindowInference(s), in, wrongSize, Finalizer.raw()));
		assertTrue(e.getMessage().contains("returned 512 values for 1 patch(es) of 8x8x8, expected 1024"), e.getMessage());

		IllegalStateException broken = new IllegalStateException("disk full");
		IllegalStateException thrown = assertThrows(IllegalStateException.class,
				() -> TilingTestSupport.run(new SlidingWindowInference(s), in, identity,
						List.of(TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> {
							throw broken;
						}))));
		assertSame(broken, thrown);

		VolSegException channels = assertThrows(VolSegException.class,
				() -> TilingTestSupport.run(new SlidingWindowInference(s), randomVolume(1, 12, 12, 30, 2), identity, Finalizer.raw()));
		assertEquals("the model expects 1 input channel(s) but the volume has 2", channels.getMessage());
	}

	/** Labels (compact bytes) and probabilities assembled in one run equal the whole-volume accumulation. */
	@Test
	void labelsAndProbabilitiesAssembledInOneRun() {
		Volume in = randomVolume(8, 9, 10, 23);
		SlidingWindowSettings s = SlidingWindowSettings.builder(6, 6, 7).overlap(0.5).blend(BlendMode.GAUSSIAN).build();
		VolumeAssembler labels = VolumeAssembler.labels(Finalizer.argmax(), 3, in.dimensions(), in.geometry(), 2);
		VolumeAssembler probabilities = VolumeAssembler.floats(Finalizer.softmax(), 3, in.dimensions(), in.geometry());
		TilingTestSupport.run(new SlidingWindowInference(s), in, FakePredictors.windowDependent(), List.of(labels, probabilities));
		assertEquals(1, labels.bytesPerVoxel());
		assertEquals(0, maxDifference(reference(in, FakePredictors.windowDependent(), s, Finalizer.argmax()),
				labels.volume().voxels()));
		assertTrue(maxDifference(reference(in, FakePredictors.windowDependent(), s, Finalizer.softmax()),
				probabilities.volume().voxels()) < 1e-6);
	}

	/**
	 * A first batch cut ahead ({@link SlidingWindowInference#cutFirstBatch}) is what the predictor gets first,
	 * the very array, and the result is the same as without it; one cut with another padding or for another
	 * plan is not used (its edge windows would be wrong), and the result is still the same.
	 */
	@Test
	void aFirstBatchCutAheadIsUsedOnlyForItsOwnPlan() {
		long[] shape = { 21, 16, 5 }; // z is padded: the padding changes the edge windows
		Volume in = randomVolume(77, shape);
		SlidingWindowSettings s = SlidingWindowSettings.builder(8, 8, 8).overlap(0.25).batch(2).padding(Padding.edge())
				.sumPrecision(SumPrecision.FLOAT32).build();
		SlidingWindowInference inference = new SlidingWindowInference(s);
		Volume expected = TilingTestSupport.run(inference, in, FakePredictors.shift(1, 1), Finalizer.raw());
		FirstBatch fitting = inference.cutFirstBatch(in);
		SlidingWindowSettings otherPadding = SlidingWindowSettings.builder(8, 8, 8).overlap(0.25).batch(2)
				.padding(Padding.constant(-100)).sumPrecision(SumPrecision.FLOAT32).build();
		FirstBatch otherPad = new SlidingWindowInference(otherPadding).cutFirstBatch(in);
		SlidingWindowSettings otherOverlap = SlidingWindowSettings.builder(8, 8, 8).overlap(0.5).batch(2)
				.padding(Padding.edge()).sumPrecision(SumPrecision.FLOAT32).build();
		FirstBatch otherPlan = new SlidingWindowInference(otherOverlap).cutFirstBatch(in);
		for (FirstBatch first : new FirstBatch[] { fitting, otherPad, otherPlan }) {
			List<float[]> seen = new CopyOnWriteArrayList<>();
			PatchPredictor recording = FakePredictors.recording(FakePredictors.shift(1, 1),
					(patches, batch, size) -> seen.add(patches));
			VolumeAssembler out = VolumeAssembler.floats(Finalizer.raw(), 1, in.dimensions(), in.geometry());
			inference.run(in, TilePlanner.plan(in.dimensions(), s, 1, List.of(out)), recording, List.of(out), first);
			assertEquals(first == fitting, seen.get(0) == first.patches(), "the batch cut ahead is used only for its plan");
			assertEquals(0, maxDifference(expected.voxels(), out.volume().voxels()));
		}
	}
}
