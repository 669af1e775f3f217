package org.volseg.model;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.volseg.tiling.BlendMode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code rdf.yaml} into a {@link ModelDescriptor}, with SnakeYAML's safe constructor only (no
 * arbitrary classes), and validates it. Every problem is collected and reported at once in one
 * {@link ModelPackageException}, each naming its field, for example
 * {@code inputs[0].axes[2].size: expected a positive integer, got -3}.
 *
 * <p>Unknown keys are ignored (bioimage.io fields VolSeg does not use: {@code cite}, {@code covers},
 * {@code test_tensor}, ...). Stateless and thread-safe.</p>
 */
public final class DescriptorReader {

	/** Largest {@code rdf.yaml} accepted, in characters (a descriptor is a few kilobytes). */
	private static final int MAX_CHARS = 4 * 1024 * 1024;
	/** Most values (maps, lists, scalars) a descriptor may hold once its aliases are expanded. */
	static final int MAX_NODES = 200_000;

	private DescriptorReader() {
	}

	/**
	 * Reads and validates a descriptor file.
	 *
	 * @throws ModelPackageException if the file is missing, unreadable, not YAML, not a mapping, or
	 *         invalid (with every problem)
	 */
	public static ModelDescriptor read(Path rdfYaml) {
		return read(rdfYaml, rdfYaml.toString());
	}

	/**
	 * Reads and validates a descriptor file, naming it {@code shownAs} in every error (for an
	 * unpacked archive: the archive the user gave, not the temporary folder).
	 */
	public static ModelDescriptor read(Path rdfYaml, String shownAs) {
		String text;
		try {
			text = Files.readString(rdfYaml, StandardCharsets.UTF_8);
		} catch (NoSuchFileException e) {
			throw new ModelPackageException(shownAs, List.of("file not found: a model package needs an "
					+ "rdf.yaml at its root (see docs/model-format.md)"));
		} catch (IOException e) {
			throw new ModelPackageException(shownAs, "cannot read: " + e.getMessage(), e);
		}
		return parse(text, shownAs);
	}

	/**
	 * Parses and validates descriptor text.
	 *
	 * @param source shown in error messages (the file name)
	 */
	public static ModelDescriptor parse(String yamlText, String source) {
		Parsed previous = lastParsed;
		if (previous != null && previous.text.equals(yamlText) && previous.source.equals(source))
			return previous.descriptor;
		ModelDescriptor d = parseAgain(yamlText, source);
		lastParsed = new Parsed(yamlText, source, d);
		return d;
	}

	/**
	 * The last descriptor {@link #parse} made, with its text and source. The command line reads a
	 * package's descriptor to prepare the scan while the model loads, then the load reads it again: the
	 * second read gives the same (deeply immutable) object, so that checking that the scan was prepared
	 * for the loaded model is a comparison of references. A record's first {@code equals} in a JVM
	 * costs 50-80 ms (method handles built for every record type inside); docs/benchmarks.md.
	 */
	private record Parsed(String text, String source, ModelDescriptor descriptor) {}

	private static volatile Parsed lastParsed;

	private static ModelDescriptor parseAgain(String yamlText, String source) {
		Object root = load(yamlText, source);
		if (!(root instanceof Map<?, ?> map))
			throw new ModelPackageException(source, List.of("expected a YAML mapping (key: value lines) at the top "
					+ "level, got " + (root == null ? "an empty document" : Problems.describe(root))));
		Problems problems = new Problems();
		ModelDescriptor d = new Parser(problems).descriptor(map);
		if (!problems.isEmpty())
			throw new ModelPackageException(source, problems.list());
		return d;
	}

	private static Object load(String text, String source) {
		if (text.length() > MAX_CHARS)
			throw new ModelPackageException(source, List.of("file too large for a model descriptor ("
					+ text.length() + " characters)"));
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setMaxAliasesForCollections(50);
		options.setAllowRecursiveKeys(false);
		Yaml yaml = new Yaml(new SafeYamlConstructor(options));
		Object root;
		try (Reader r = new StringReader(text)) {
			root = yaml.load(r);
		} catch (YAMLException e) {
			throw new ModelPackageException(source, "not valid YAML: " + e.getMessage().replace('\n', ' '), e);
		} catch (IOException e) {
			throw new ModelPackageException(source, "cannot read: " + e.getMessage(), e);
		}
		// aliases may make a value contain itself, or a few lines expand into millions of nodes
		String tooBig = YamlValues.treeProblem(root, MAX_NODES);
		if (tooBig != null)
			throw new ModelPackageException(source, List.of(tooBig + "; a model descriptor is a small tree: write the"
					+ " values out instead of nesting aliases (&name / *name)"));
		return root;
	}

	/** Structural parsing: types and presence of fields. Returns null parts where fields are broken. */
	private static final class Parser {
		private final Problems p;

		Parser(Problems p) {
			this.p = p;
		}

		ModelDescriptor descriptor(Map<?, ?> m) {
			String format = string(m, "format_version", "format_version", true);
			if (format != null && !format.startsWith("0.5"))
				p.expected("format_version", "a bioimage.io 0.5 version such as \"0.5.4\"", format);
			String type = string(m, "type", "type", false);
			if (type != null && !type.equals("model"))
				p.expected("type", "\"model\"", type);
			String name = string(m, "name", "name", true);
			String description = string(m, "description", "description", false);
			List<Author> authors = authors(m.get("authors"));
			String license = string(m, "license", "license", true);
			List<TensorDescriptor> inputs = tensors(m.get("inputs"), "inputs", true);
			List<TensorDescriptor> outputs = tensors(m.get("outputs"), "outputs", false);
			SavedModelWeights weights = weights(m.get("weights"));
			VolSegConfig config = config(m.get("config"));
			DescriptorValidator.checkParts(inputs, outputs, weights, config, p);
			if (name == null || authors == null || license == null || inputs == null || outputs == null
					|| weights == null || config == null || !p.isEmpty())
				return null;
			return new ModelDescriptor(format, name, description == null ? "" : description, authors, license,
					inputs, outputs, weights, config);
		}

		// ---- scalars

		String string(Map<?, ?> m, String key, String path, boolean required) {
			Object v = m.get(key);
			if (v == null) {
				if (required)
					p.add(path, "missing (required)");
				return null;
			}
			if (v instanceof Map || v instanceof List) {
				p.expected(path, "a text value", v);
				return null;
			}
			String s = String.valueOf(v).trim();
			if (required && s.isEmpty()) {
				p.add(path, "is empty");
				return null;
			}
			return s;
		}

		Integer integer(Object v, String path, int min, String expectation) {
			long value;
			if (v instanceof Integer || v instanceof Long)
				value = ((Number) v).longValue();
			else if (v instanceof java.math.BigInteger b)
				value = b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
			else {
				p.expected(path, expectation, v);
				return null;
			}
			if (value < min || value > Integer.MAX_VALUE) {
				p.expected(path, expectation, v);
				return null;
			}
			return (int) value;
		}

		Double number(Object v, String path, String expectation) {
			if (v instanceof Number n && !(v instanceof java.math.BigInteger)) {
				double d = n.doubleValue();
				if (Double.isFinite(d))
					return d;
			}
			p.expected(path, expectation, v);
			return null;
		}

		/** Absent: three times {@code dflt}; an integer: three times it; else exactly three integers. */
		List<Integer> perAxisInts(Object v, int dflt, String path) {
			if (v == null)
				return List.of(dflt, dflt, dflt);
			List<?> l = v instanceof List<?> list ? list : List.of(v, v, v);
			List<Integer> out = new ArrayList<>();
			for (Object o : l) {
				if (!(o instanceof Integer || o instanceof Long) || l.size() != 3) {
					p.expected(path, "an integer or three integers (x, y, z)", v);
					return null;
				}
				out.add(((Number) o).intValue());
			}
			return out;
		}

		/** An optional true/false kwarg ({@code false} when absent), or {@code null} after reporting a bad value. */
		Boolean flag(Map<?, ?> kw, String key, String kwargsPath) {
			Object v = kw.get(key);
			if (v == null)
				return Boolean.FALSE;
			if (v instanceof Boolean b)
				return b;
			p.expected(kwargsPath + "." + key, "true or false", v);
			return null;
		}

		Double optionalNumber(Map<?, ?> m, String key, String path, double dflt) {
			Object v = m.get(key);
			return v == null ? Double.valueOf(dflt) : number(v, path, "a number");
		}

		/** A number or a list of numbers, as a list. */
		List<Double> numbers(Object v, String path) {
			if (v instanceof List<?> l) {
				if (l.isEmpty()) {
					p.add(path, "expected a number or a non-empty list of numbers, got an empty list");
					return null;
				}
				List<Double> out = new ArrayList<>();
				boolean ok = true;
				for (int i = 0; i < l.size(); i++) {
					Double d = number(l.get(i), path + "[" + i + "]", "a number");
					ok &= d != null;
					out.add(d);
				}
				return ok ? out : null;
			}
			Double d = number(v, path, "a number or a list of numbers");
			return d == null ? null : List.of(d);
		}

		List<String> strings(Object v, String path) {
			if (v == null)
				return List.of();
			if (!(v instanceof List<?> l)) {
				if (v instanceof String s)
					return List.of(s);
				p.expected(path, "a list of names", v);
				return null;
			}
			List<String> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				Object o = l.get(i);
				if (o == null || o instanceof Map || o instanceof List) {
					p.expected(path + "[" + i + "]", "a name", o);
					return null;
				}
				out.add(String.valueOf(o));
			}
			return out;
		}

		Map<?, ?> map(Object v, String path, boolean required) {
			if (v == null) {
				if (required)
					p.add(path, "missing (required)");
				return null;
			}
			if (v instanceof Map<?, ?> m)
				return m;
			p.expected(path, "a mapping", v);
			return null;
		}

		List<?> list(Object v, String path, boolean required) {
			if (v == null) {
				if (required)
					p.add(path, "missing (required)");
				return null;
			}
			if (v instanceof List<?> l)
				return l;
			p.expected(path, "a list", v);
			return null;
		}

		<E extends Enum<E>> E enumValue(Map<?, ?> m, String key, String path, Class<E> type, E dflt) {
			Object v = m.get(key);
			if (v == null)
				return dflt;
			String s = String.valueOf(v).trim().toUpperCase(Locale.ROOT);
			for (E e : type.getEnumConstants())
				if (e.name().equals(s))
					return e;
			StringBuilder allowed = new StringBuilder();
			for (E e : type.getEnumConstants())
				allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
			p.expected(path, "one of " + allowed, v);
			return null;
		}

		// ---- sections

		List<Author> authors(Object v) {
			List<?> l = list(v, "authors", true);
			if (l == null)
				return null;
			if (l.isEmpty()) {
				p.add("authors", "expected at least one author");
				return null;
			}
			List<Author> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				String path = "authors[" + i + "]";
				Map<?, ?> a = map(l.get(i), path, true);
				if (a == null)
					continue;
				String name = string(a, "name", path + ".name", true);
				if (name != null)
					out.add(new Author(name, string(a, "affiliation", path + ".affiliation", false),
							string(a, "email", path + ".email", false)));
			}
			return out.size() == l.size() ? out : null;
		}

		List<TensorDescriptor> tensors(Object v, String path, boolean isInput) {
			List<?> l = list(v, path, true);
			if (l == null)
				return null;
			if (l.isEmpty()) {
				p.add(path, "expected at least one tensor");
				return null;
			}
			List<TensorDescriptor> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				TensorDescriptor t = tensor(l.get(i), path + "[" + i + "]", isInput);
				if (t != null)
					out.add(t);
			}
			return out.size() == l.size() ? out : null;
		}

		TensorDescriptor tensor(Object v, String path, boolean isInput) {
			Map<?, ?> m = map(v, path, true);
			if (m == null)
				return null;
			String id = string(m, "id", path + ".id", true);
			String description = string(m, "description", path + ".description", false);
			List<Axis> axes = axes(m.get("axes"), path + ".axes");
			String dataType = "float32";
			Map<?, ?> data = map(m.get("data"), path + ".data", false);
			if (data != null) {
				String t = string(data, "type", path + ".data.type", false);
				if (t != null)
					dataType = t;
			} else if (m.get("data_type") != null) {
				dataType = string(m, "data_type", path + ".data_type", false);
			}
			if (dataType != null && !dataType.equals("float32"))
				p.expected(path + ".data.type", "float32 (the only type VolSeg runs)", dataType);
			List<Preprocessing> pre = List.of();
			if (isInput)
				pre = preprocessing(m.get("preprocessing"), path + ".preprocessing");
			if (id == null || axes == null || pre == null)
				return null;
			return new TensorDescriptor(id, description == null ? "" : description, axes, dataType, pre);
		}

		List<Axis> axes(Object v, String path) {
			List<?> l = list(v, path, true);
			if (l == null)
				return null;
			List<Axis> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				Axis a = axis(l.get(i), path + "[" + i + "]");
				if (a != null)
					out.add(a);
			}
			return out.size() == l.size() ? out : null;
		}

		Axis axis(Object v, String path) {
			Map<?, ?> m = map(v, path, true);
			if (m == null)
				return null;
			Object typeValue = m.get("type");
			AxisType type = enumValue(m, "type", path + ".type", AxisType.class, null);
			if (type == null) {
				if (typeValue == null)
					p.add(path + ".type", "missing (required): one of batch, channel, space");
				return null;
			}
			String defaultId = switch (type) {
				case BATCH -> "batch";
				case CHANNEL -> "channel";
				case SPACE -> null;
			};
			String id = m.get("id") == null ? defaultId : string(m, "id", path + ".id", true);
			if (id == null) {
				if (m.get("id") == null)
					p.add(path + ".id", "missing (required for space axes): x, y or z");
				return null;
			}
			String unit = string(m, "unit", path + ".unit", false);
			switch (type) {
				case BATCH: {
					Object s = m.get("size");
					if (s == null)
						return new Axis(type, id, new AxisSize.Any(), List.of(), null);
					Integer n = integer(s, path + ".size", 1, "a positive integer or nothing");
					return n == null ? null : new Axis(type, id, new AxisSize.Fixed(n), List.of(), null);
				}
				case CHANNEL: {
					List<String> names = strings(m.get("channel_names"), path + ".channel_names");
					if (names == null)
						return null;
					Object s = m.get("size");
					if (s != null) {
						Integer n = integer(s, path + ".size", 1, "a positive integer");
						if (n == null)
							return null;
						if (!names.isEmpty() && names.size() != n) {
							p.add(path, "size " + n + " contradicts the " + names.size() + " channel_names");
							return null;
						}
						if (names.isEmpty()) {
							names = new ArrayList<>();
							for (int c = 0; c < n; c++)
								names.add("channel" + c);
						}
					}
					if (names.isEmpty()) {
						p.add(path + ".channel_names", "missing (required): one name per channel");
						return null;
					}
					return new Axis(type, id, new AxisSize.Fixed(names.size()), names, null);
				}
				default: {
					AxisSize size = spaceSize(m.get("size"), path + ".size");
					return size == null ? null : new Axis(type, id, size, List.of(), unit);
				}
			}
		}

		AxisSize spaceSize(Object v, String path) {
			if (v == null) {
				p.add(path, "missing (required): a positive integer, {min, step} or {tensor_id, axis_id}");
				return null;
			}
			if (v instanceof Map<?, ?> m) {
				if (m.containsKey("min")) {
					Integer min = integer(m.get("min"), path + ".min", 1, "a positive integer");
					Integer step = m.get("step") == null ? Integer.valueOf(0)
							: integer(m.get("step"), path + ".step", 0, "a non-negative integer");
					return min == null || step == null ? null : new AxisSize.Parameterized(min, step);
				}
				if (m.containsKey("axis_id")) {
					String tensor = string(m, "tensor_id", path + ".tensor_id", true);
					String axis = string(m, "axis_id", path + ".axis_id", true);
					Integer offset = m.get("offset") == null ? Integer.valueOf(0)
							: integer(m.get("offset"), path + ".offset", Integer.MIN_VALUE, "an integer");
					return tensor == null || axis == null || offset == null ? null
							: new AxisSize.Reference(tensor, axis, offset);
				}
				p.expected(path, "a positive integer, {min, step} or {tensor_id, axis_id}", v);
				return null;
			}
			Integer n = integer(v, path, 1, "a positive integer");
			return n == null ? null : new AxisSize.Fixed(n);
		}

		List<Preprocessing> preprocessing(Object v, String path) {
			List<?> l = list(v, path, false);
			if (l == null)
				return v == null ? List.of() : null;
			List<Preprocessing> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				Preprocessing step = step(l.get(i), path + "[" + i + "]");
				if (step != null)
					out.add(step);
			}
			return out.size() == l.size() ? out : null;
		}

		Preprocessing step(Object v, String path) {
			Map<?, ?> m = map(v, path, true);
			if (m == null)
				return null;
			// bioimage.io 0.5 uses "id", 0.4 used "name".
			String id = m.containsKey("id") ? string(m, "id", path + ".id", true) : string(m, "name", path + ".id", true);
			if (id == null)
				return null;
			Map<?, ?> kw = m.get("kwargs") == null ? Map.of() : map(m.get("kwargs"), path + ".kwargs", false);
			if (kw == null)
				return null;
			String kp = path + ".kwargs";
			switch (id) {
				case "clip": {
					Double min = kw.get("min") == null ? Double.valueOf(Double.NEGATIVE_INFINITY)
							: number(kw.get("min"), kp + ".min", "a number");
					Double max = kw.get("max") == null ? Double.valueOf(Double.POSITIVE_INFINITY)
							: number(kw.get("max"), kp + ".max", "a number");
					if (kw.get("min") == null && kw.get("max") == null)
						p.add(kp, "clip needs min, max or both");
					return min == null || max == null ? null : new Preprocessing.Clip(min, max);
				}
				case "scale_linear": {
					List<Double> gain = kw.get("gain") == null ? List.of(1.0) : numbers(kw.get("gain"), kp + ".gain");
					List<Double> offset = kw.get("offset") == null ? List.of(0.0)
							: numbers(kw.get("offset"), kp + ".offset");
					String axis = string(kw, "axis", kp + ".axis", false);
					if (axis == null && kw.get("axes") != null) {
						List<String> axes = strings(kw.get("axes"), kp + ".axes");
						axis = axes == null || axes.isEmpty() ? null : axes.get(0);
					}
					return gain == null || offset == null ? null : new Preprocessing.ScaleLinear(gain, offset, axis);
				}
				case "scale_range": {
					Preprocessing.Mode mode = enumValue(kw, "mode", kp + ".mode", Preprocessing.Mode.class,
							Preprocessing.Mode.PER_SAMPLE);
					if (mode == Preprocessing.Mode.FIXED) {
						p.expected(kp + ".mode", "per_sample or per_dataset", "fixed");
						mode = null;
					}
					List<String> axes = strings(kw.get("axes"), kp + ".axes");
					Double lo = optionalNumber(kw, "min_percentile", kp + ".min_percentile", 0);
					Double hi = optionalNumber(kw, "max_percentile", kp + ".max_percentile", 100);
					Double eps = optionalNumber(kw, "eps", kp + ".eps", 1e-6);
					return mode == null || axes == null || lo == null || hi == null || eps == null ? null
							: new Preprocessing.ScaleRange(mode, axes, lo, hi, eps);
				}
				case "zero_mean_unit_variance":
				case "fixed_zero_mean_unit_variance": {
					Preprocessing.Mode dflt = id.startsWith("fixed") || kw.containsKey("mean")
							? Preprocessing.Mode.FIXED : Preprocessing.Mode.PER_SAMPLE;
					Preprocessing.Mode mode = enumValue(kw, "mode", kp + ".mode", Preprocessing.Mode.class, dflt);
					List<String> axes = strings(kw.containsKey("axes") ? kw.get("axes") : null, kp + ".axes");
					Double eps = optionalNumber(kw, "eps", kp + ".eps", 1e-6);
					List<Double> mean = List.of();
					List<Double> std = List.of();
					if (mode == Preprocessing.Mode.FIXED) {
						mean = kw.get("mean") == null ? null : numbers(kw.get("mean"), kp + ".mean");
						std = kw.get("std") == null ? null : numbers(kw.get("std"), kp + ".std");
						if (kw.get("mean") == null)
							p.add(kp + ".mean", "missing (required with mode fixed)");
						if (kw.get("std") == null)
							p.add(kp + ".std", "missing (required with mode fixed)");
					}
					return mode == null || axes == null || eps == null || mean == null || std == null ? null
							: new Preprocessing.ZeroMeanUnitVariance(mode, axes, mean, std, eps);
				}
				case "monai_normalize_intensity": {
					Boolean nonzero = flag(kw, "nonzero", kp);
					Boolean channelWise = flag(kw, "channel_wise", kp);
					return nonzero == null || channelWise == null ? null
							: new Preprocessing.NormalizeIntensity(nonzero, channelWise);
				}
				case "monai_scale_intensity": {
					Double minv = optionalNumber(kw, "minv", kp + ".minv", 0);
					Double maxv = optionalNumber(kw, "maxv", kp + ".maxv", 1);
					Boolean channelWise = flag(kw, "channel_wise", kp);
					return minv == null || maxv == null || channelWise == null ? null
							: new Preprocessing.ScaleIntensity(minv, maxv, channelWise);
				}
				case "monai_scale_intensity_range": {
					Double[] r = new Double[4];
					String[] keys = { "a_min", "a_max", "b_min", "b_max" };
					for (int k = 0; k < 4; k++) {
						if (kw.get(keys[k]) == null)
							p.add(kp + "." + keys[k], "missing (required)");
						else
							r[k] = number(kw.get(keys[k]), kp + "." + keys[k], "a number");
					}
					Boolean clip = flag(kw, "clip", kp);
					return r[0] == null || r[1] == null || r[2] == null || r[3] == null || clip == null ? null
							: new Preprocessing.ScaleIntensityRange(r[0], r[1], r[2], r[3], clip);
				}
				case "monai_crop_foreground": {
					List<Integer> margin = perAxisInts(kw.get("margin"), 0, kp + ".margin");
					List<Integer> k = perAxisInts(kw.get("k_divisible"), 1, kp + ".k_divisible");
					Boolean allowSmaller = kw.get("allow_smaller") == null ? Boolean.TRUE : flag(kw, "allow_smaller", kp);
					if (margin != null && margin.stream().anyMatch(x -> x < 0)) {
						p.expected(kp + ".margin", "voxel counts >= 0", kw.get("margin"));
						margin = null;
					}
					return margin == null || k == null || allowSmaller == null ? null
							: new Preprocessing.CropForeground(margin, k, allowSmaller);
				}
				default:
					p.expected(path + ".id", "one of clip, scale_linear, scale_range, zero_mean_unit_variance, "
							+ "fixed_zero_mean_unit_variance, monai_normalize_intensity, monai_scale_intensity, "
							+ "monai_scale_intensity_range, monai_crop_foreground", id);
					return null;
			}
		}

		SavedModelWeights weights(Object v) {
			Map<?, ?> w = map(v, "weights", true);
			if (w == null)
				return null;
			Map<?, ?> tf = map(w.get("tensorflow_saved_model_bundle"), "weights.tensorflow_saved_model_bundle", false);
			if (tf == null) {
				if (w.get("tensorflow_saved_model_bundle") == null)
					p.add("weights.tensorflow_saved_model_bundle", "missing: VolSeg runs TensorFlow SavedModel "
							+ "weights only (found " + (w.isEmpty() ? "no weights" : String.join(", ", keys(w))) + ")");
				return null;
			}
			String source = string(tf, "source", "weights.tensorflow_saved_model_bundle.source", true);
			String version = string(tf, "tensorflow_version", "weights.tensorflow_saved_model_bundle.tensorflow_version",
					false);
			return source == null ? null : new SavedModelWeights(source, version);
		}

		private static List<String> keys(Map<?, ?> m) {
			List<String> keys = new ArrayList<>();
			for (Object k : m.keySet())
				keys.add(String.valueOf(k));
			return keys;
		}

		VolSegConfig config(Object v) {
			Map<?, ?> c = map(v, "config", true);
			if (c == null)
				return null;
			Map<?, ?> m = map(c.get("volseg"), "config.volseg", true);
			if (m == null)
				return null;
			String path = "config.volseg";
			boolean ok = true;

			List<Double> spacing = null;
			if (m.get("target_spacing") != null) {
				spacing = numbers(m.get("target_spacing"), path + ".target_spacing");
				if (spacing != null && (spacing.size() != 3 || spacing.stream().anyMatch(d -> !(d > 0)))) {
					p.expected(path + ".target_spacing", "three positive numbers (x, y, z in mm)", m.get("target_spacing"));
					spacing = null;
				}
				ok &= spacing != null;
			}
			String orientation = string(m, "target_orientation", path + ".target_orientation", false);
			if (orientation != null) {
				orientation = orientation.toUpperCase(Locale.ROOT);
				if (!isOrientationCode(orientation)) {
					p.expected(path + ".target_orientation", "a three-letter orientation code such as RAS or LPS "
							+ "(one of R/L, one of A/P, one of S/I)", m.get("target_orientation"));
					ok = false;
				}
			}
			List<Integer> patch = null;
			List<?> ps = list(m.get("patch_size"), path + ".patch_size", true);
			if (ps != null) {
				if (ps.size() != 3)
					p.add(path + ".patch_size", "expected three positive integers (x, y, z), got " + ps.size() + " values");
				else {
					patch = new ArrayList<>();
					for (int i = 0; i < 3; i++) {
						Integer n = integer(ps.get(i), path + ".patch_size[" + i + "]", 1, "a positive integer");
						if (n == null)
							patch = null;
						else if (patch != null)
							patch.add(n);
					}
				}
			}
			ok &= patch != null;
			Double overlap = optionalNumber(m, "overlap", path + ".overlap", 0.5);
			if (overlap != null && !(overlap >= 0 && overlap < 1)) {
				p.expected(path + ".overlap", "a number in [0, 1)", overlap);
				overlap = null;
			}
			ok &= overlap != null;
			BlendMode blend = enumValue(m, "blend_mode", path + ".blend_mode", BlendMode.class, BlendMode.GAUSSIAN);
			Double sigma = optionalNumber(m, "sigma_scale", path + ".sigma_scale", VolSegConfig.DEFAULT_SIGMA_SCALE);
			if (sigma != null && !(sigma > 0)) {
				p.expected(path + ".sigma_scale", "a positive number", sigma);
				sigma = null;
			}
			Object act = m.get("output_activation");
			OutputActivation activation = enumValue(m, "output_activation", path + ".output_activation",
					OutputActivation.class, null);
			if (act == null)
				p.add(path + ".output_activation", "missing (required): softmax, sigmoid or none");
			NormalizationRegion region = enumValue(m, "normalization_region", path + ".normalization_region",
					NormalizationRegion.class, NormalizationRegion.VOLUME);
			List<SegmentationClass> classes = classes(m.get("classes"), path + ".classes");
			NetworkSpec network = null;
			if (m.get("network") != null) {
				Map<?, ?> n = map(m.get("network"), path + ".network", false);
				if (n != null) {
					String arch = string(n, "architecture", path + ".network.architecture", true);
					Map<?, ?> cfg = n.get("config") == null ? Map.of() : map(n.get("config"), path + ".network.config", false);
					if (arch != null && cfg != null)
						network = new NetworkSpec(arch, YamlValues.deepUnmodifiable(cfg));
				}
				ok &= network != null;
			}
			MonaiOptions monai = null;
			if (m.get("monai") != null) {
				Map<?, ?> mo = map(m.get("monai"), path + ".monai", false);
				if (mo != null) {
					try {
						monai = MonaiOptions.fromYaml(mo, path + ".monai");
					} catch (ModelPackageException ex) {
						p.add(path + ".monai", ex.getMessage());
					}
				}
				ok &= monai != null;
			}
			List<String> ttaAxes = ttaAxes(m, path);
			if (!ok || blend == null || sigma == null || activation == null || region == null || classes == null
					|| ttaAxes == null)
				return null;
			return new VolSegConfig(spacing, orientation, patch, overlap, blend, sigma, activation, region, classes,
					network, monai, ttaAxes);
		}

		/** {@code tta} (none | flips) and {@code tta_axes} (a list of x, y, z; default all): the mirroring axes. */
		List<String> ttaAxes(Map<?, ?> m, String path) {
			Object mode = m.get("tta");
			if (mode == null || "none".equals(mode)) {
				if (m.get("tta_axes") != null)
					p.add(path + ".tta_axes", "given without tta: flips");
				return m.get("tta_axes") == null ? List.of() : null;
			}
			if (!"flips".equals(mode)) {
				p.expected(path + ".tta", "none or flips", mode);
				return null;
			}
			if (m.get("tta_axes") == null)
				return VolSegConfig.MIRROR_AXES;
			List<?> axes = list(m.get("tta_axes"), path + ".tta_axes", true);
			if (axes == null)
				return null;
			List<String> names = new ArrayList<>();
			for (Object a : axes) {
				if (!VolSegConfig.MIRROR_AXES.contains(a) || names.contains(a) ) {
					p.expected(path + ".tta_axes", "distinct axes among x, y, z", axes);
					return null;
				}
				names.add((String) a);
			}
			if (names.isEmpty()) {
				p.expected(path + ".tta_axes", "at least one of x, y, z", axes);
				return null;
			}
			return names;
		}

		List<SegmentationClass> classes(Object v, String path) {
			List<?> l = list(v, path, true);
			if (l == null)
				return null;
			if (l.isEmpty()) {
				p.add(path, "expected one class per output channel, got an empty list");
				return null;
			}
			List<SegmentationClass> out = new ArrayList<>();
			for (int i = 0; i < l.size(); i++) {
				String cp = path + "[" + i + "]";
				Map<?, ?> c = map(l.get(i), cp, true);
				if (c == null)
					continue;
				Integer label = c.get("label") == null ? null
						: integer(c.get("label"), cp + ".label", 0, "a non-negative integer");
				if (c.get("label") == null)
					p.add(cp + ".label", "missing (required): the value written in the label image");
				String name = string(c, "name", cp + ".name", true);
				int[] rgb = colour(c.get("color"), cp + ".color");
				boolean codeOk = c.get("snomed") == null;
				SnomedCode code = codeOk ? null : snomed(c.get("snomed"), cp + ".snomed");
				if (label != null && name != null && rgb != null && (codeOk || code != null))
					out.add(new SegmentationClass(label, name, rgb[0], rgb[1], rgb[2], code));
			}
			return out.size() == l.size() ? out : null;
		}

		/** {@code {code: "10200004", meaning: Liver[, category: {code: ..., meaning: ...}]}}; null (reported) if malformed. */
		SnomedCode snomed(Object v, String path) {
			Map<?, ?> m = map(v, path, true);
			if (m == null)
				return null;
			String code = conceptId(m, path);
			String meaning = string(m, "meaning", path + ".meaning", true);
			if (m.get("category") == null)
				return code == null || meaning == null ? null : SnomedCode.anatomy(code, meaning);
			Map<?, ?> cat = map(m.get("category"), path + ".category", true);
			if (cat == null)
				return null;
			String catCode = conceptId(cat, path + ".category");
			String catMeaning = string(cat, "meaning", path + ".category.meaning", true);
			return code == null || meaning == null || catCode == null || catMeaning == null ? null
					: new SnomedCode(code, meaning, catCode, catMeaning);
		}

		private String conceptId(Map<?, ?> m, String path) {
			String code = string(m, "code", path + ".code", true);
			if (code != null && !code.matches("\\d{6,18}")) {
				p.expected(path + ".code", "a SNOMED CT concept id (6 to 18 digits, e.g. \"10200004\" for Liver)", code);
				return null;
			}
			return code;
		}

		int[] colour(Object v, String path) {
			if (v == null) {
				p.add(path, "missing (required): [red, green, blue], each 0..255");
				return null;
			}
			if (!(v instanceof List<?> l) || l.size() != 3) {
				p.expected(path, "[red, green, blue], each 0..255", v);
				return null;
			}
			int[] rgb = new int[3];
			for (int i = 0; i < 3; i++) {
				Integer n = integer(l.get(i), path + "[" + i + "]", 0, "an integer in 0..255");
				if (n == null)
					return null;
				if (n > 255) {
					p.expected(path + "[" + i + "]", "an integer in 0..255", n);
					return null;
				}
				rgb[i] = n;
			}
			return rgb;
		}
	}

	/** Whether {@code code} is a 3-letter orientation code naming each anatomical axis once. */
	static boolean isOrientationCode(String code) {
		if (code.length() != 3)
			return false;
		String[] pairs = { "RL", "AP", "SI" };
		boolean[] seen = new boolean[3];
		for (char ch : code.toCharArray()) {
			int found = -1;
			for (int k = 0; k < 3; k++)
				if (pairs[k].indexOf(ch) >= 0)
					found = k;
			if (found < 0 || seen[found])
				return false;
			seen[found] = true;
		}
		return true;
	}
}
