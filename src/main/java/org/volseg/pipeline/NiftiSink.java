package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.Objects;

import org.volseg.io.nifti.NiftiWriter;

/**
 * The NIfTI outputs: the label map (uint8, uint16 above 255), logits or probabilities (float32,
 * one channel per class), with the input's affine and dimensions.
 */
final class NiftiSink implements OutputSink {

	private enum What { LABELS, LOGITS, PROBABILITIES }

	private final What what;
	private final Path target;

	private NiftiSink(What what, Path target) {
		this.what = what;
		this.target = Objects.requireNonNull(target, "target");
	}

	public static NiftiSink labels(Path target) {
		return new NiftiSink(What.LABELS, target);
	}

	public static NiftiSink logits(Path target) {
		return new NiftiSink(What.LOGITS, target);
	}

	public static NiftiSink probabilities(Path target) {
		return new NiftiSink(What.PROBABILITIES, target);
	}

	@Override
	public String kind() {
		return what.name().toLowerCase(java.util.Locale.ROOT);
	}

	@Override
	public Path target() {
		return target;
	}

	@Override
	public boolean needsLogits() {
		return what == What.LOGITS;
	}

	@Override
	public boolean needsProbabilities() {
		return what == What.PROBABILITIES;
	}

	@Override
	public void write(SegmentationOutputs o, Path file) {
		switch (what) {
		case LABELS -> NiftiWriter.writeLabels(o.labels(), file);
		case LOGITS -> NiftiWriter.writeFloat32(o.logits(), file);
		case PROBABILITIES -> NiftiWriter.writeFloat32(o.probabilities(), file);
		}
	}
}
