package org.volseg.model;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that a structurally valid descriptor is one the engine and pipeline can run: tensor layout
 * (one batch, one channel and the space axes x, y, z), the patch size against the input's axis
 * sizes, one class per output channel, preprocessing arguments against the tensor's axes and
 * channels, a SavedModel source inside the package. Stateless.
 */
public final class DescriptorValidator {

	private DescriptorValidator() {
	}

	/**
	 * @param source shown in the message (a file or package name)
	 * @throws ModelPackageException listing every problem, if there is any
	 */
	public static void requireValid(ModelDescriptor d, String source) {
		List<String> problems = problems(d);
		if (!problems.isEmpty())
			throw new ModelPackageException(source, problems);
	}

	/** Every problem of {@code d}, each prefixed with its field path; empty if it is valid. */
	public static List<String> problems(ModelDescriptor d) {
		Problems p = new Problems();
		if (d.name() == null || d.name().isBlank())
			p.add("name", "missing (required)");
		if (d.authors().isEmpty())
			p.add("authors", "expected at least one author");
		if (d.license() == null || d.license().isBlank())
			p.add("license", "missing (required): an SPDX licence id such as Apache-2.0");
		check(d, p);
		return p.list();
	}

	static void check(ModelDescriptor d, Problems p) {
		checkParts(d.inputs(), d.outputs(), d.weights(), d.volseg(), p);
	}

	/** Checks whatever parts are non-null (so that problems in several parts are found together). */
	static void checkParts(List<TensorDescriptor> inputs, List<TensorDescriptor> outputs, SavedModelWeights weights,
			VolSegConfig config, Problems p) {
		if (inputs != null && !inputs.isEmpty())
			checkLayout(inputs.get(0), "inputs[0]", p);
		if (outputs != null && !outputs.isEmpty())
			checkLayout(outputs.get(0), "outputs[0]", p);
		if (inputs != null && !inputs.isEmpty())
			checkPreprocessing(inputs.get(0), "inputs[0]", p);
		if (inputs != null && outputs != null && !outputs.isEmpty())
			checkReferences(inputs, outputs.get(0), "outputs[0]", p);
		if (weights != null)
			checkSource(weights.source(), p);
		if (config != null)
			checkConfig(config, inputs, outputs, p);
	}

	private static void checkLayout(TensorDescriptor t, String path, Problems p) {
		int batch = 0, channel = 0;
		Set<String> space = new HashSet<>();
		for (int i = 0; i < t.axes().size(); i++) {
			Axis a = t.axes().get(i);
			switch (a.type()) {
				case BATCH -> batch++;
				case CHANNEL -> {
					channel++;
					if (a.channelNames().isEmpty())
						p.add(path + ".axes[" + i + "].channel_names", "expected one name per channel, got none");
				}
				case SPACE -> {
					if (!List.of("x", "y", "z").contains(a.id()))
						p.expected(path + ".axes[" + i + "].id", "x, y or z for a space axis", a.id());
					else if (!space.add(a.id()))
						p.add(path + ".axes[" + i + "].id", "space axis " + a.id() + " appears twice");
				}
			}
		}
		if (t.axes().size() != 5 || batch != 1 || channel != 1 || space.size() != 3)
			p.add(path + ".axes", "expected 5 axes: one batch, one channel and the space axes x, y, z "
					+ "(in any order; VolSeg segments 3D volumes), got " + describe(t.axes()));
		if (!"float32".equals(t.dataType()))
			p.expected(path + ".data.type", "float32", t.dataType());
	}

	private static String describe(List<Axis> axes) {
		StringBuilder sb = new StringBuilder("[");
		for (Axis a : axes)
			sb.append(sb.length() == 1 ? "" : ", ").append(a.id());
		return sb.append(']').toString();
	}

	private static void checkPreprocessing(TensorDescriptor t, String path, Problems p) {
		int channels = t.channels();
		if (t.preprocessing().stream().filter(s -> s instanceof Preprocessing.CropForeground).count() > 1)
			p.add(path + ".preprocessing", "more than one monai_crop_foreground step (VolSeg crops once)");
		for (int i = 0; i < t.preprocessing().size(); i++) {
			Preprocessing step = t.preprocessing().get(i);
			String sp = path + ".preprocessing[" + i + "].kwargs";
			if (step instanceof Preprocessing.Clip c) {
				if (!(c.min() < c.max()))
					p.add(sp, "min (" + c.min() + ") must be less than max (" + c.max() + ")");
			} else if (step instanceof Preprocessing.ScaleLinear s) {
				checkPerChannel(s.gain(), channels, sp + ".gain", p);
				checkPerChannel(s.offset(), channels, sp + ".offset", p);
				if (s.axis() != null && t.indexOf(s.axis()) < 0)
					p.add(sp + ".axis", "no axis \"" + s.axis() + "\" in " + path + ".axes");
			} else if (step instanceof Preprocessing.ScaleRange s) {
				checkAxes(s.axes(), t, sp + ".axes", p);
				if (!(0 <= s.minPercentile() && s.minPercentile() < s.maxPercentile() && s.maxPercentile() <= 100))
					p.add(sp, "expected 0 <= min_percentile < max_percentile <= 100, got " + s.minPercentile()
							+ " and " + s.maxPercentile());
				if (!(s.eps() > 0))
					p.expected(sp + ".eps", "a positive number", s.eps());
			} else if (step instanceof Preprocessing.ZeroMeanUnitVariance z) {
				checkAxes(z.axes(), t, sp + ".axes", p);
				if (z.mode() == Preprocessing.Mode.FIXED) {
					checkPerChannel(z.mean(), channels, sp + ".mean", p);
					checkPerChannel(z.std(), channels, sp + ".std", p);
					for (int k = 0; k < z.std().size(); k++)
						if (!(z.std().get(k) > 0))
							p.expected(sp + ".std" + (z.std().size() > 1 ? "[" + k + "]" : ""), "a positive number",
									z.std().get(k));
				}
				if (!(z.eps() > 0))
					p.expected(sp + ".eps", "a positive number", z.eps());
			}
		}
	}

	private static void checkPerChannel(List<Double> values, int channels, String path, Problems p) {
		if (values.size() != 1 && values.size() != channels)
			p.add(path, "expected one value, or one per channel (" + channels + "), got " + values.size() + " values");
	}

	private static void checkAxes(List<String> axes, TensorDescriptor t, String path, Problems p) {
		for (String a : axes)
			if (t.indexOf(a) < 0)
				p.add(path, "no axis \"" + a + "\" in the tensor's axes " + describe(t.axes()));
		if (!axes.isEmpty() && !axes.containsAll(List.of("x", "y", "z")))
			p.add(path, "VolSeg computes statistics over the whole volume: list x, y and z (and channel for "
					+ "statistics over all channels together), got " + axes);
	}

	private static void checkReferences(List<TensorDescriptor> inputs, TensorDescriptor out, String path, Problems p) {
		for (int i = 0; i < out.axes().size(); i++) {
			if (!(out.axes().get(i).size() instanceof AxisSize.Reference r))
				continue;
			TensorDescriptor ref = null;
			for (TensorDescriptor in : inputs)
				if (in.id().equals(r.tensorId()))
					ref = in;
			if (ref == null)
				p.add(path + ".axes[" + i + "].size.tensor_id", "no input with id \"" + r.tensorId() + "\"");
			else if (ref.indexOf(r.axisId()) < 0)
				p.add(path + ".axes[" + i + "].size.axis_id", "input \"" + r.tensorId() + "\" has no axis \""
						+ r.axisId() + "\"");
		}
	}

	private static void checkSource(String source, Problems p) {
		String path = "weights.tensorflow_saved_model_bundle.source";
		if (source.contains("://")) {
			p.expected(path, "a folder inside the package (downloads are not supported)", source);
			return;
		}
		if (source.indexOf('\0') >= 0) {
			p.expected(path, "a folder inside the package (a path without NUL characters)", source.replace("\0", "\\0"));
			return;
		}
		Path s;
		try {
			s = Path.of(source).normalize();
		} catch (java.nio.file.InvalidPathException e) {
			p.expected(path, "a folder inside the package (a valid relative path: " + e.getReason() + ")", source);
			return;
		}
		if (s.isAbsolute() || s.startsWith("..") || source.startsWith("/") || source.startsWith("\\"))
			p.expected(path, "a folder inside the package, relative to rdf.yaml", source);
	}

	private static void checkConfig(VolSegConfig c, List<TensorDescriptor> inputs, List<TensorDescriptor> outputs,
			Problems p) {
		String path = "config.volseg";
		if (inputs != null && !inputs.isEmpty() && c.patchSize().size() == 3) {
			TensorDescriptor in = inputs.get(0);
			for (int k = 0; k < 3; k++) {
				String id = "xyz".substring(k, k + 1);
				int ai = in.indexOf(id);
				if (ai < 0)
					continue;
				AxisSize size = in.axes().get(ai).size();
				if (!size.admits(c.patchSize().get(k)))
					p.add(path + ".patch_size[" + k + "]", c.patchSize().get(k) + " does not fit inputs[0].axes[" + ai
							+ "].size (" + size + ")");
			}
		}
		if (outputs != null && !outputs.isEmpty()) {
			int channels = outputs.get(0).channels();
			if (c.classes().size() != channels)
				p.add(path + ".classes", "expected one class per output channel (" + channels + " in outputs[0]), got "
						+ c.classes().size());
		}
		Set<Integer> labels = new HashSet<>();
		for (int i = 0; i < c.classes().size(); i++) {
			SegmentationClass cl = c.classes().get(i);
			if (!labels.add(cl.label()))
				p.add(path + ".classes[" + i + "].label", "label " + cl.label() + " is used twice");
			if (cl.label() > 65535)
				p.expected(path + ".classes[" + i + "].label", "a label in 0..65535", cl.label());
		}
	}
}
