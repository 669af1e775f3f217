package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.volseg.model.SegmentationClass;

/**
 * The montage PNG ({@link Montage#standard()}): axial slices of the scan with the labels in the
 * model's class colours. It uses the scan already in memory, which the segmenter keeps for it.
 */
final class MontageSink implements OutputSink {

	private final Path target;
	private final Montage montage;

	public MontageSink(Path target) {
		this(target, Montage.standard());
	}

	public MontageSink(Path target, Montage montage) {
		this.target = Objects.requireNonNull(target, "target");
		this.montage = Objects.requireNonNull(montage, "montage");
	}

	@Override
	public String kind() {
		return "montage";
	}

	@Override
	public Path target() {
		return target;
	}

	@Override
	public boolean needsScan() {
		return true;
	}

	/**
	 * Loads AWT's imaging and the font of the slice numbers (a quarter of a second in a fresh JVM) and
	 * warms the drawing up ({@link Montage#warmUp()}).
	 */
	@Override
	public void prepare() {
		montage.warmUp();
	}

	@Override
	public void write(SegmentationOutputs o, Path file) {
		Map<Integer, Integer> colours = new HashMap<>();
		for (SegmentationClass c : o.model().volseg().classes())
			colours.put(c.label(), c.rgb());
		montage.write(o.scan(), o.labels(), colours, file);
	}
}
