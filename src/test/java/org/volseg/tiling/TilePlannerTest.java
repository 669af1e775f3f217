package org.volseg.tiling;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.Test;
import org.volseg.volume.Geometry;

/** The one planner: the order it chooses, the memory it states, and that only the drivers call it. */
class TilePlannerTest {

	private static final SlidingWindowSettings ISSUE_6 = SlidingWindowSettings.builder(96, 96, 96).overlap(0.5)
			.blend(BlendMode.GAUSSIAN).batch(2).build();

	/**
	 * The stated held bytes are what the stitcher really holds when the windows come in the plan's
	 * order (both orders, with and without summed weights, every precision), and the planner takes
	 * the smaller order.
	 */
	@Test
	void heldBytesAreTheStitchersPeakAndTheSmallerOrderIsChosen() {
		for (SumPrecision precision : SumPrecision.values())
		for (long[] size : new long[][] { { 13, 30, 17 }, { 13, 17, 30 }, { 5, 9, 40 } })
			for (Finalizer f : new Finalizer[] { Finalizer.argmax(), Finalizer.softmax() }) {
				SlidingWindowSettings s = SlidingWindowSettings.builder(8, 6, 7).overlap(0.5).blend(BlendMode.GAUSSIAN)
						.sumPrecision(precision).build();
				List<StitchOutput> outputs = List.of(TilingTestSupport.output(f, (y, z, row) -> {
				}));
				TilePlan chosen = TilePlanner.plan(size, s, 3, outputs);
				SlidingWindowSettings resolved = s.toBuilder().sumPrecision(chosen.sumPrecision()).build();
				long smallest = Long.MAX_VALUE;
				for (TilePlan.Order order : List.of(TilePlan.Order.Z_SLOWEST_LAST_PAIRED, TilePlan.Order.Y_SLOWEST_LAST_PAIRED)) {
					TilePlan plan = TilePlan.of(size, resolved, order);
					Stitcher st = new Stitcher(plan, 3, ImportanceMap.of(s), outputs);
					float[] out = new float[6 * 7 * 8 * 3];
					for (int w = 0; w < plan.windowCount(); w++)
						st.add(w, out, 0);
					st.finish();
					assertEquals(st.accumulatorBytes(), TilePlanner.heldBytes(plan, TilePlanner.valuesPerVoxel(3, outputs),
							chosen.sumPrecision()));
					if (order == chosen.order())
						assertEquals(st.accumulatorBytes(), chosen.heldBytes(), chosen::toString);
					smallest = Math.min(smallest, st.accumulatorBytes());
				}
				assertEquals(smallest, chosen.heldBytes());
			}
	}

	/**
	 * The order the planner picks does not depend on the outputs or the classes (what lets the first batch
	 * be cut before they are known, {@link SlidingWindowInference#cutFirstBatch}); both orders occur.
	 */
	@Test
	void theOrderDependsOnTheVolumeAndTheWindowsOnly() {
		java.util.Set<TilePlan.Order> seen = new java.util.HashSet<>();
		for (long[] size : new long[][] { { 512, 512, 400 }, { 300, 200, 500 }, { 13, 30, 17 }, { 13, 17, 30 } })
			for (int classes : new int[] { 1, 3, 14 })
				for (Finalizer f : new Finalizer[] { Finalizer.argmax(), Finalizer.softmax(), Finalizer.raw() }) {
					List<StitchOutput> outputs = List.of(TilingTestSupport.output(f, (y, z, row) -> {
					}));
					TilePlan.Order order = TilePlanner.order(size, ISSUE_6);
					assertEquals(order, TilePlanner.plan(size, ISSUE_6, classes, outputs).order());
					seen.add(order);
				}
		assertEquals(2, seen.size(), "both orders: " + seen);
	}

	/**
	 * Issue 6: 512 x 512 x 400, 14 classes, ROI 96, overlap 0.5 (800 windows). A ring of roi_z
	 * whole planes took 1.51 GB; the streaming stitcher, y-rows outermost, holds 0.73 GB with labels
	 * alone in float32 (no summed weights), 0.36 GB in float16 (issue 19: what labels alone get by
	 * default), and 0.78 GB with the logits as well in float32, which is more than auto keeps in
	 * float32, so 0.39 GB in float16; a 256 x 256 x 200 scan keeps float32 logits. With regular z starts
	 * z-slowest holds exactly (roi_z - interval_z) whole planes plus interval_z planes of roi_y rows.
	 */
	/** Auto: float16 above 64 MiB of float32 sums for labels alone, above 512 MiB for outputs that keep the values. */
	@Test
	void autoChoosesFloat16OnlyWhereItSavesMemory() {
		long labels = SumPrecision.AUTO_FLOAT16_LABELS_ABOVE, values = SumPrecision.AUTO_FLOAT16_ABOVE;
		assertEquals(SumPrecision.FLOAT32, SumPrecision.AUTO.resolve(true, labels));
		assertEquals(SumPrecision.FLOAT16, SumPrecision.AUTO.resolve(true, labels + 1));
		assertEquals(SumPrecision.FLOAT32, SumPrecision.AUTO.resolve(false, labels + 1));
		assertEquals(SumPrecision.FLOAT32, SumPrecision.AUTO.resolve(false, values));
		assertEquals(SumPrecision.FLOAT16, SumPrecision.AUTO.resolve(false, values + 1));
		assertEquals(SumPrecision.FLOAT32, SumPrecision.FLOAT32.resolve(true, 10 * values));
		assertEquals(SumPrecision.FLOAT16, SumPrecision.FLOAT16.resolve(false, 0));
		// the README's scan on the demo model's grid keeps float32 sums, a 512 x 512 x 400 CT float16 ones
		StitchOutput labelMap = VolumeAssembler.labels(Finalizer.argmax(), 7, new long[] { 115, 115, 73 }, Geometry.identity(), 6);
		assertEquals(SumPrecision.FLOAT32, TilePlanner.plan(new long[] { 115, 115, 73 }, ISSUE_6, 7, List.of(labelMap)).sumPrecision());
	}

	@Test
	void theIssueCaseHolds036GBWithLabels() {
		long[] size = { 512, 512, 400 };
		StitchOutput labels = VolumeAssembler.labels(Finalizer.argmax(), 14, size, Geometry.identity(), 13);
		StitchOutput logits = TilingTestSupport.output(Finalizer.raw(), (y, z, row) -> {
		});
		TilePlan labelsOnly = TilePlanner.plan(size, ISSUE_6, 14, List.of(labels));
		TilePlan labelsFloat32 = TilePlanner.plan(size, ISSUE_6.toBuilder().sumPrecision(SumPrecision.FLOAT32).build(), 14,
				List.of(labels));
		TilePlan both = TilePlanner.plan(size, ISSUE_6.toBuilder().sumPrecision(SumPrecision.FLOAT32).build(), 14,
				List.of(labels, logits));
		TilePlan bothAuto = TilePlanner.plan(size, ISSUE_6, 14, List.of(labels, logits));
		assertEquals(800, labelsOnly.windowCount());
		assertEquals(TilePlan.Order.Y_SLOWEST_LAST_PAIRED, labelsOnly.order());
		assertEquals(TilePlan.Order.Y_SLOWEST_LAST_PAIRED, both.order());
		assertEquals(SumPrecision.FLOAT16, labelsOnly.sumPrecision());
		assertEquals(SumPrecision.FLOAT16, bothAuto.sumPrecision());
		assertEquals(0.73, labelsFloat32.heldBytes() / 1e9, 0.005, labelsFloat32::toString);
		assertEquals(labelsFloat32.heldBytes() / 2, labelsOnly.heldBytes());
		assertEquals(0.78, both.heldBytes() / 1e9, 0.005, both::toString);
		assertTrue(both.heldBytes() > SumPrecision.AUTO_FLOAT16_ABOVE);
		assertEquals(both.heldBytes() / 2, bothAuto.heldBytes());
		long[] smaller = { 256, 256, 200 };
		TilePlan smallerAuto = TilePlanner.plan(smaller, ISSUE_6, 14, List.of(labels, logits));
		assertEquals(SumPrecision.FLOAT32, smallerAuto.sumPrecision(), smallerAuto::toString);
		assertTrue(smallerAuto.heldBytes() <= SumPrecision.AUTO_FLOAT16_ABOVE);
		assertEquals(both.heldBytes() / 15 * 14, labelsFloat32.heldBytes());
		long ring = 4L * 512 * 512 * 96 * 15;
		assertTrue(both.heldBytes() < 0.55 * ring);
		TilePlan regular = TilePlan.of(new long[] { 512, 512, 384 }, ISSUE_6, TilePlan.Order.Z_SLOWEST_LAST_PAIRED);
		assertEquals(4L * 15 * 512 * ((96 - 48) * 512 + 48 * 96),
				TilePlanner.heldBytes(regular, 15, SumPrecision.FLOAT32));
	}

	/** Main classes that call {@link TilePlanner#plan}: the drivers of a run, and only once each. */
	private static ArchRule plannedOnlyByTheDrivers() {
		return noClasses().that().doNotHaveFullyQualifiedName("org.volseg.pipeline.Segmenter")
				.and().doNotHaveFullyQualifiedName("org.volseg.train.Validation")
				.should().callMethod(TilePlanner.class, "plan", long[].class, SlidingWindowSettings.class, int.class, List.class)
				.because("one segmentation is planned once, by its driver, and the plan handed on (docs/architecture.md)");
	}

	/**
	 * Nothing plans a second time: the memory check, the sliding window and the stitcher take the
	 * driver's plan (a class that plans again breaks the rule, as this test class itself shows), and
	 * the segmenter calls the planner in one place.
	 */
	@Test
	void onlyTheDriversPlanAndTheSegmenterPlansOnce() {
		JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages("org.volseg");
		plannedOnlyByTheDrivers().check(main);
		JavaClasses withTests = new ClassFileImporter().importPackages("org.volseg.tiling");
		assertTrue(plannedOnlyByTheDrivers().evaluate(withTests).hasViolation(), "the rule must catch a second planner");
		long calls = main.get("org.volseg.pipeline.Segmenter").getMethodCallsFromSelf().stream()
				.map(JavaMethodCall::getTarget)
				.filter(t -> t.getOwner().isEquivalentTo(TilePlanner.class) && t.getName().equals("plan")).count();
		assertEquals(1, calls);
		for (String c : List.of("org.volseg.tiling.SlidingWindowInference", "org.volseg.tiling.Stitcher",
				"org.volseg.pipeline.MemoryCheck"))
			assertFalse(main.get(c).getMethodCallsFromSelf().stream()
					.anyMatch(m -> m.getTarget().getOwner().isEquivalentTo(TilePlanner.class) && m.getName().equals("plan")), c);
	}
}
