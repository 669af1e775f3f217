package org.volseg.model;

import org.volseg.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes a {@link ModelDescriptor} as bioimage.io 0.5 {@code rdf.yaml} text that
 * {@link DescriptorReader} reads back to an equal descriptor. Stateless and thread-safe.
 */
public final class DescriptorWriter {

	private DescriptorWriter() {
	}

	/** The descriptor as YAML text (block style, keys in the documented order). */
	public static String toYaml(ModelDescriptor d) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setIndicatorIndent(0);
		options.setWidth(120);
		options.setSplitLines(false);
		Yaml yaml = new Yaml(new ScalarListsInFlowStyle(options), options);
		return "# bioimage.io model description, written by VolSeg (see docs/model-format.md)\n" + yaml.dump(toMap(d));
	}

	/**
	 * Writes {@code rdf.yaml} atomically (a temporary file next to it, then a move).
	 *
	 * @throws IOException if the file cannot be written
	 */
	public static void write(ModelDescriptor d, Path rdfYaml) throws IOException {
		AtomicFiles.writeString(rdfYaml, toYaml(d));
	}

	/** Writes lists of scalars on one line ({@code patch_size: [96, 96, 96]}), everything else as blocks. */
	private static final class ScalarListsInFlowStyle extends Representer {
		ScalarListsInFlowStyle(DumperOptions options) {
			super(options);
		}

		@Override
		protected Node representSequence(Tag tag, Iterable<?> sequence, DumperOptions.FlowStyle flowStyle) {
			boolean scalars = true;
			for (Object o : sequence)
				scalars &= o instanceof Number || o instanceof String || o instanceof Boolean;
			return super.representSequence(tag, sequence, scalars ? DumperOptions.FlowStyle.FLOW : flowStyle);
		}
	}

	/** The descriptor as plain maps and lists, in {@code rdf.yaml}'s structure. */
	public static Map<String, Object> toMap(ModelDescriptor d) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("format_version", d.formatVersion());
		m.put("type", "model");
		m.put("name", d.name());
		m.put("description", d.description());
		List<Object> authors = new ArrayList<>();
		for (Author a : d.authors()) {
			Map<String, Object> am = new LinkedHashMap<>();
			am.put("name", a.name());
			if (a.affiliation() != null)
				am.put("affiliation", a.affiliation());
			if (a.email() != null)
				am.put("email", a.email());
			authors.add(am);
		}
		m.put("authors", authors);
		m.put("license", d.license());
		m.put("inputs", tensors(d.inputs(), true));
		m.put("outputs", tensors(d.outputs(), false));
		Map<String, Object> tf = new LinkedHashMap<>();
		tf.put("source", d.weights().source());
		if (d.weights().tensorflowVersion() != null)
			tf.put("tensorflow_version", d.weights().tensorflowVersion());
		m.put("weights", Map.of("tensorflow_saved_model_bundle", tf));
		m.put("config", Map.of("volseg", config(d.volseg())));
		return m;
	}

	private static List<Object> tensors(List<TensorDescriptor> tensors, boolean inputs) {
		List<Object> out = new ArrayList<>();
		for (TensorDescriptor t : tensors) {
			Map<String, Object> m = new LinkedHashMap<>();
			m.put("id", t.id());
			if (!t.description().isEmpty())
				m.put("description", t.description());
			List<Object> axes = new ArrayList<>();
			for (Axis a : t.axes())
				axes.add(axis(a));
			m.put("axes", axes);
			m.put("data", Map.of("type", t.dataType()));
			if (inputs && !t.preprocessing().isEmpty()) {
				List<Object> steps = new ArrayList<>();
				for (Preprocessing p : t.preprocessing()) {
					Map<String, Object> s = new LinkedHashMap<>();
					s.put("id", p.id());
					s.put("kwargs", YamlValues.plainCopy(p.kwargs()));
					steps.add(s);
				}
				m.put("preprocessing", steps);
			}
			out.add(m);
		}
		return out;
	}

	private static Map<String, Object> axis(Axis a) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", a.type().yamlName());
		m.put("id", a.id());
		switch (a.type()) {
			case BATCH:
				if (a.size() instanceof AxisSize.Fixed f)
					m.put("size", f.value());
				break;
			case CHANNEL:
				m.put("channel_names", new ArrayList<>(a.channelNames()));
				break;
			case SPACE:
				m.put("size", size(a.size()));
				if (a.unit() != null)
					m.put("unit", a.unit());
				break;
		}
		return m;
	}

	private static Object size(AxisSize s) {
		if (s instanceof AxisSize.Fixed f)
			return f.value();
		Map<String, Object> m = new LinkedHashMap<>();
		if (s instanceof AxisSize.Parameterized p) {
			m.put("min", p.min());
			m.put("step", p.step());
		} else if (s instanceof AxisSize.Reference r) {
			m.put("tensor_id", r.tensorId());
			m.put("axis_id", r.axisId());
			if (r.offset() != 0)
				m.put("offset", r.offset());
		}
		return m;
	}

	private static Map<String, Object> config(VolSegConfig c) {
		Map<String, Object> m = new LinkedHashMap<>();
		if (c.targetSpacingMm() != null)
			m.put("target_spacing", new ArrayList<>(c.targetSpacingMm()));
		if (c.targetOrientation() != null)
			m.put("target_orientation", c.targetOrientation());
		m.put("patch_size", new ArrayList<>(c.patchSize()));
		m.put("overlap", c.overlap());
		m.put("blend_mode", c.blendMode().id());
		m.put("sigma_scale", c.sigmaScale());
		m.put("output_activation", c.outputActivation().yamlName());
		m.put("normalization_region", c.normalizationRegion().yamlName());
		if (!c.ttaAxes().isEmpty()) {
			m.put("tta", "flips");
			m.put("tta_axes", new ArrayList<>(c.ttaAxes()));
		}
		List<Object> classes = new ArrayList<>();
		for (SegmentationClass cl : c.classes()) {
			Map<String, Object> cm = new LinkedHashMap<>();
			cm.put("label", cl.label());
			cm.put("name", cl.name());
			cm.put("color", new ArrayList<>(List.of(cl.red(), cl.green(), cl.blue())));
			if (cl.snomed() != null) {
				Map<String, Object> code = new LinkedHashMap<>();
				code.put("code", cl.snomed().code());
				code.put("meaning", cl.snomed().meaning());
				if (!cl.snomed().categoryCode().equals(SnomedCode.ANATOMICAL_STRUCTURE_CODE)
						|| !cl.snomed().categoryMeaning().equals(SnomedCode.ANATOMICAL_STRUCTURE)) {
					Map<String, Object> category = new LinkedHashMap<>();
					category.put("code", cl.snomed().categoryCode());
					category.put("meaning", cl.snomed().categoryMeaning());
					code.put("category", category);
				}
				cm.put("snomed", code);
			}
			classes.add(cm);
		}
		m.put("classes", classes);
		if (c.network() != null) {
			Map<String, Object> n = new LinkedHashMap<>();
			n.put("architecture", c.network().architecture());
			n.put("config", YamlValues.plainCopy(c.network().config()));
			m.put("network", n);
		}
		if (c.monai() != null)
			m.put("monai", c.monai().toYaml());
		return m;
	}
}
