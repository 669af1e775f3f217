package org.volseg.bundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.volseg.model.MonaiOptions;
import org.volseg.model.OutputActivation;
import org.volseg.model.Preprocessing;

/**
 * Turns a bundle's {@code inference} config and {@code metadata.json} into a {@link BundlePlan}.
 * Reads {@code network_def}, {@code preprocessing} (a {@code Compose} of {@code LoadImaged},
 * {@code EnsureChannelFirstd}, {@code EnsureTyped}, {@code Orientationd}, {@code Spacingd},
 * {@code ScaleIntensityRanged}, {@code NormalizeIntensityd}, {@code ScaleIntensityd}, {@code CropForegroundd}),
 * {@code inferer} ({@code SlidingWindowInferer}) and {@code postprocessing} ({@code Activationsd},
 * {@code Invertd}, {@code AsDiscreted}, BraTS's region {@code Lambdad}, {@code SaveImaged}).
 * Every other transform or argument that changes the result becomes one line of
 * {@link BundlePlan#problems()}; nothing is refused here, the caller decides (see
 * {@link BundleImporter}). Stateless.
 */
final class BundleTranslator {

	/** MONAI class names (last dotted part) -> VolSeg architecture names. */
	private static final Map<String, String> ARCHITECTURES = Map.of("SwinUNETR", "swinunetr", "SegResNet", "segresnet",
			"UNet", "unet", "Unet", "unet", "UNETR", "unetr");

	/** Keys of a {@code _target_} entry that are ConfigParser's, not the constructor's. */
	private static final Set<String> SPECIAL_KEYS = Set.of("_target_", "_requires_", "_disabled_", "_desc_", "_mode_");

	private BundleTranslator() {
	}

	/**
	 * @param config the inference config
	 * @param metadata {@code metadata.json} (may be empty)
	 * @param fallbackName the name when metadata has none (the bundle folder's name)
	 * @throws BundleException naming the id when the network cannot be built at all (no
	 *         network_def, an architecture VolSeg does not have, an expression it does not evaluate)
	 */
	public static BundlePlan translate(BundleConfig config, Map<String, Object> metadata, String fallbackName) {
		List<String> problems = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		String monaiVersion = metadata.get("monai_version") == null ? null : String.valueOf(metadata.get("monai_version"));

		// network
		String netId = config.has("network_def") ? "network_def" : "network";
		Object net = config.resolve(netId);
		if (!(net instanceof Map<?, ?> netMap) || !(netMap.get("_target_") instanceof String target))
			throw new BundleException(config.source() + ": '" + netId + "' is not a {\"_target_\": ...} network definition");
		String cls = target.substring(target.lastIndexOf('.') + 1);
		String architecture = ARCHITECTURES.get(cls);
		if (architecture == null)
			throw new BundleException(config.source() + ": " + netId + "#_target_ is " + target
					+ ", a network VolSeg does not build (it builds " + String.join(", ", new java.util.TreeSet<>(ARCHITECTURES.keySet()))
					+ "); see docs/models.md for the model zoo's bundles that import");
		Map<String, Object> kwargs = new LinkedHashMap<>();
		for (Map.Entry<?, ?> e : netMap.entrySet())
			if (!SPECIAL_KEYS.contains(String.valueOf(e.getKey())))
				kwargs.put(String.valueOf(e.getKey()), e.getValue());
		if (architecture.equals("swinunetr") && monaiVersion != null) {
			kwargs.put("patch_merging_order", patchMergingOrder(monaiVersion));
			notes.add("SwinUNETR patch merging order " + kwargs.get("patch_merging_order") + " (metadata monai_version "
					+ monaiVersion + ")");
		}

		// metadata: channel and class names
		List<String> inputNames = channelDef(metadata, "inputs", "image");
		List<String> classNames = channelDef(metadata, "outputs", "pred");

		// preprocessing
		String orientation = null;
		double[] spacing = null;
		List<Preprocessing> steps = new ArrayList<>();
		List<Object> pre = transforms(config, "preprocessing");
		for (int i = 0; i < pre.size(); i++) {
			String id = "preprocessing#transforms#" + i;
			// a select_fn is Python (a lambda): listed, never evaluated
			if (config.raw(id) instanceof Map<?, ?> rm && "CropForegroundd".equals(simpleName(String.valueOf(rm.get("_target_"))))
					&& rm.get("select_fn") != null) {
				problems.add(id + ": CropForegroundd select_fn " + rm.get("select_fn") + " (VolSeg selects x > 0, MONAI's default)");
				continue;
			}
			Map<String, Object> t = transform(config, id);
			String name = targetName(t);
			unknownArguments(t, id, name, problems);
			switch (name) {
				case "LoadImaged":
					if (t.get("reader") != null)
						notes.add(id + ": LoadImaged reader " + t.get("reader") + ": VolSeg reads NIfTI and DICOM itself");
					break;
				case "EnsureChannelFirstd":
				case "EnsureTyped":
				case "ToTensord":
				case "AddChanneld":
					break;
				case "Orientationd":
					orientation = String.valueOf(t.get("axcodes"));
					if (!orientation.matches("[RLAPSI]{3}"))
						problems.add(id + ": Orientationd axcodes " + t.get("axcodes") + " is not a three-letter code");
					break;
				case "Spacingd": {
					spacing = doubles(t.get("pixdim"), 3);
					if (spacing == null)
						problems.add(id + ": Spacingd pixdim " + t.get("pixdim") + " is not three positive numbers");
					Object mode = first(t.get("mode"));
					if (mode != null && !mode.equals("bilinear"))
						problems.add(id + ": Spacingd mode " + mode + " (VolSeg resamples images trilinearly: bilinear)");
					Object pad = first(t.get("padding_mode"));
					if (pad != null && !pad.equals("border"))
						problems.add(id + ": Spacingd padding_mode " + pad + " (VolSeg pads at the border)");
					for (String k : List.of("diagonal", "scale_extent", "recompute_affine", "min_pixdim", "max_pixdim"))
						if (t.get(k) != null && !Boolean.FALSE.equals(t.get(k)))
							problems.add(id + ": Spacingd " + k + " " + t.get(k) + " (VolSeg supports the defaults)");
					break;
				}
				case "ScaleIntensityRanged": {
					double aMin = num(t, "a_min", id), aMax = num(t, "a_max", id);
					if (t.get("b_min") == null || t.get("b_max") == null) {
						problems.add(id + ": ScaleIntensityRanged without b_min/b_max");
						break;
					}
					steps.add(new Preprocessing.ScaleIntensityRange(aMin, aMax, num(t, "b_min", id), num(t, "b_max", id),
							Boolean.TRUE.equals(t.get("clip"))));
					break;
				}
				case "NormalizeIntensityd": {
					if (t.get("subtrahend") != null || t.get("divisor") != null) {
						problems.add(id + ": NormalizeIntensityd with subtrahend/divisor");
						break;
					}
					steps.add(new Preprocessing.NormalizeIntensity(Boolean.TRUE.equals(t.get("nonzero")),
							Boolean.TRUE.equals(t.get("channel_wise"))));
					break;
				}
				case "ScaleIntensityd": {
					if (t.get("factor") != null && t.get("minv") == null && t.get("maxv") == null) {
						problems.add(id + ": ScaleIntensityd with factor (VolSeg scales to minv..maxv)");
						break;
					}
					if (t.containsKey("minv") != t.containsKey("maxv") || (t.containsKey("minv") && (t.get("minv") == null
							|| t.get("maxv") == null))) {
						problems.add(id + ": ScaleIntensityd minv " + t.get("minv") + ", maxv " + t.get("maxv") + " (VolSeg scales to two given numbers)");
						break;
					}
					double minv = t.containsKey("minv") ? num(t, "minv", id) : 0, maxv = t.containsKey("maxv") ? num(t, "maxv", id) : 1;
					steps.add(new Preprocessing.ScaleIntensity(minv, maxv, Boolean.TRUE.equals(t.get("channel_wise"))));
					break;
				}
				case "CropForegroundd": {
					Preprocessing.CropForeground crop = cropForeground(t, id, monaiVersion, problems, notes);
					if (crop != null) {
						if (steps.stream().anyMatch(x -> x instanceof Preprocessing.CropForeground))
							problems.add(id + ": a second CropForegroundd (VolSeg crops once)");
						else
							steps.add(crop);
					}
					break;
				}
				default:
					problems.add(id + ": " + name + " (a preprocessing transform VolSeg does not run)");
			}
		}

		// inferer
		Map<String, Object> inf = transform(config, "inferer");
		String inferer = targetName(inf);
		int[] roi = null;
		int swBatch = 1;
		double overlap = 0.25, sigmaScale = 0.125;
		boolean gaussian = false;
		String padding = null;
		if (!inferer.equals("SlidingWindowInferer")) {
			problems.add("inferer: " + inferer + " (VolSeg runs SlidingWindowInferer)");
		} else {
			double[] r = doubles(inf.get("roi_size"), 3);
			if (r == null)
				throw new BundleException(config.source() + ": inferer#roi_size " + inf.get("roi_size") + " is not three positive sizes");
			roi = new int[] { (int) r[0], (int) r[1], (int) r[2] };
			if (inf.get("sw_batch_size") != null)
				swBatch = (int) num(inf, "sw_batch_size", "inferer");
			if (inf.get("overlap") != null)
				overlap = num(inf, "overlap", "inferer");
			Object mode = inf.get("mode");
			if (mode != null && !mode.equals("constant") && !mode.equals("gaussian"))
				problems.add("inferer: SlidingWindowInferer mode " + mode + " (VolSeg blends constant or gaussian)");
			gaussian = "gaussian".equals(mode);
			if (inf.get("sigma_scale") != null)
				sigmaScale = num(inf, "sigma_scale", "inferer");
			Object pad = inf.get("padding_mode");
			if (pad != null && !pad.equals("constant") && !pad.equals("replicate"))
				problems.add("inferer: SlidingWindowInferer padding_mode " + pad + " (VolSeg pads constant or replicate)");
			padding = "replicate".equals(pad) ? "edge" : null;
			if (inf.get("cval") != null && ((Number) inf.get("cval")).doubleValue() != 0)
				problems.add("inferer: SlidingWindowInferer cval " + inf.get("cval") + " (VolSeg pads with 0)");
		}

		// postprocessing
		OutputActivation activation = OutputActivation.NONE;
		MonaiOptions.Invert invert = MonaiOptions.Invert.LABELS;
		Double threshold = null;
		List<MonaiOptions.RegionLabel> regions = new ArrayList<>();
		boolean discrete = false;
		List<Object> post = transforms(config, "postprocessing");
		for (int i = 0; i < post.size(); i++) {
			String id = "postprocessing#transforms#" + i;
			Object raw = config.raw(id);
			// a Lambdad's func is matched as text, never evaluated
			if (raw instanceof Map<?, ?> rm && "Lambdad".equals(simpleName(String.valueOf(rm.get("_target_"))))) {
				List<MonaiOptions.RegionLabel> r = regionLabels(String.valueOf(rm.get("func")));
				if (r == null)
					problems.add(id + ": Lambdad " + rm.get("func") + " (VolSeg knows only BraTS's region-to-label torch.where chain)");
				else
					regions = r;
				continue;
			}
			Map<String, Object> t = transform(config, id);
			String name = targetName(t);
			switch (name) {
				case "Activationsd":
					if (Boolean.TRUE.equals(t.get("softmax")))
						activation = OutputActivation.SOFTMAX;
					else if (Boolean.TRUE.equals(t.get("sigmoid")))
						activation = OutputActivation.SIGMOID;
					else if (t.get("other") != null)
						problems.add(id + ": Activationsd other " + t.get("other"));
					break;
				case "Invertd":
					// MONAI's default nearest_interp is true: outputs go back by nearest neighbour
					if (!discrete && Boolean.FALSE.equals(t.get("nearest_interp")))
						invert = MonaiOptions.Invert.PROBABILITIES;
					break;
				case "AsDiscreted":
					discrete = true;
					if (Boolean.TRUE.equals(t.get("argmax"))) {
						if (activation == OutputActivation.SIGMOID)
							problems.add(id + ": AsDiscreted argmax after a sigmoid");
					} else if (t.get("threshold") != null) {
						threshold = num(t, "threshold", id);
						if (activation != OutputActivation.SIGMOID)
							problems.add(id + ": AsDiscreted threshold without Activationsd sigmoid before it");
					} else
						problems.add(id + ": AsDiscreted without argmax or threshold");
					if (t.get("to_onehot") != null)
						problems.add(id + ": AsDiscreted to_onehot " + t.get("to_onehot") + " (VolSeg writes one label map)");
					break;
				case "SaveImaged":
				case "EnsureTyped":
				case "CopyItemsd":
					break;
				default:
					problems.add(id + ": " + name + " (a postprocessing transform VolSeg does not run)");
			}
		}
		if (!discrete)
			problems.add("postprocessing: no AsDiscreted; VolSeg writes labels (argmax, or sigmoid threshold)");
		if (activation == OutputActivation.NONE && !discrete)
			activation = OutputActivation.SOFTMAX;

		String name = metadata.get("name") instanceof String s && !s.isBlank() ? s : fallbackName;
		String description = metadata.get("description") instanceof String s ? s : "";
		MonaiOptions monai = new MonaiOptions(monaiVersion, invert, threshold, regions, padding);
		return new BundlePlan(name, description, architecture, kwargs, inputNames, classNames, orientation, spacing, steps,
				roi, swBatch, overlap, gaussian, sigmaScale, activation, monai, problems, notes);
	}

	/** Arguments of a transform that change nothing VolSeg computes (keys, meta data, dtype float32). */
	private static final Set<String> COMMON_ARGUMENTS = Set.of("_target_", "_requires_", "_disabled_", "_desc_", "_mode_", "keys",
			"allow_missing_keys", "meta_keys", "meta_key_postfix", "lazy", "dtype");

	/** Arguments, beyond {@link #COMMON_ARGUMENTS}, that VolSeg reads for each intensity and crop transform. */
	private static final Map<String, Set<String>> KNOWN_ARGUMENTS = Map.of(
			"ScaleIntensityRanged", Set.of("a_min", "a_max", "b_min", "b_max", "clip"),
			"NormalizeIntensityd", Set.of("nonzero", "channel_wise", "subtrahend", "divisor"),
			"ScaleIntensityd", Set.of("minv", "maxv", "factor", "channel_wise"),
			"CropForegroundd", Set.of("source_key", "select_fn", "channel_indices", "margin", "allow_smaller", "k_divisible",
					"mode", "value", "start_coord_key", "end_coord_key"));

	/**
	 * Lists arguments of the intensity and crop transforms that VolSeg would otherwise ignore silently
	 * (a {@code dtype} other than float32 included).
	 */
	private static void unknownArguments(Map<String, Object> t, String id, String name, List<String> problems) {
		Set<String> known = KNOWN_ARGUMENTS.get(name);
		if (known == null)
			return;
		for (Map.Entry<String, Object> e : t.entrySet()) {
			String k = e.getKey();
			if (k.equals("dtype") && e.getValue() != null && !String.valueOf(e.getValue()).matches("(numpy\\.|np\\.|torch\\.)?float32"))
				problems.add(id + ": " + name + " dtype " + e.getValue() + " (VolSeg computes in float32)");
			else if (!COMMON_ARGUMENTS.contains(k) && !known.contains(k))
				problems.add(id + ": " + name + " " + k + " " + e.getValue() + " (an argument VolSeg does not apply)");
		}
	}

	/**
	 * {@code CropForegroundd} with the default {@code select_fn} ({@code x > 0}) on the image itself;
	 * {@code null} after adding a problem for what VolSeg does not do (another select_fn, channel
	 * indices, a source key other than the image, a padding mode other than constant 0).
	 * {@code allow_smaller} absent takes the default of the bundle's MONAI: true up to 1.4, false from
	 * 1.5 (and when the version is unknown).
	 */
	static Preprocessing.CropForeground cropForeground(Map<String, Object> t, String id, String monaiVersion,
			List<String> problems, List<String> notes) {
		List<String> bad = new ArrayList<>();
		Object keys = t.get("keys");
		List<?> keyList = keys instanceof List<?> l ? l : java.util.Collections.singletonList(keys);
		Object source = t.get("source_key");
		if (source == null || !keyList.contains(source))
			bad.add("source_key " + source + " (VolSeg crops to the image's own foreground)");
		if (t.get("select_fn") != null)
			bad.add("select_fn " + t.get("select_fn") + " (VolSeg selects x > 0, MONAI's default)");
		if (t.get("channel_indices") != null)
			bad.add("channel_indices " + t.get("channel_indices"));
		Object mode = first(t.get("mode"));
		if (mode != null && !mode.equals("constant"))
			bad.add("mode " + mode + " (VolSeg pads with constant 0)");
		if (t.get("value") != null && ((Number) t.get("value")).doubleValue() != 0)
			bad.add("value " + t.get("value") + " (VolSeg pads with 0)");
		List<Integer> margin = perAxis(t.get("margin"), 0), k = perAxis(t.get("k_divisible"), 1);
		if (margin == null || margin.stream().anyMatch(m -> m < 0))
			bad.add("margin " + t.get("margin") + " (one or three voxel counts >= 0)");
		if (k == null)
			bad.add("k_divisible " + t.get("k_divisible") + " (one or three integers)");
		if (!bad.isEmpty()) {
			for (String b : bad)
				problems.add(id + ": CropForegroundd " + b);
			return null;
		}
		boolean allowSmaller;
		if (t.get("allow_smaller") != null)
			allowSmaller = Boolean.TRUE.equals(t.get("allow_smaller"));
		else {
			allowSmaller = monaiVersion != null && patchMergingOrder(monaiVersion).equals("monai14");
			notes.add(id + ": CropForegroundd allow_smaller " + allowSmaller + " (MONAI "
					+ (monaiVersion == null ? "version unknown, taken as >= 1.5" : monaiVersion) + " default)");
		}
		return new Preprocessing.CropForeground(margin, k, allowSmaller);
	}

	/** An integer or a list of 3 (MONAI also takes 1 for all axes), or {@code null} if neither. */
	private static List<Integer> perAxis(Object v, int dflt) {
		if (v == null)
			return List.of(dflt, dflt, dflt);
		List<?> l = v instanceof List<?> list ? (list.size() == 1 ? List.of(list.get(0), list.get(0), list.get(0)) : list)
				: List.of(v, v, v);
		if (l.size() != 3)
			return null;
		List<Integer> out = new ArrayList<>();
		for (Object o : l) {
			if (!(o instanceof Long || o instanceof Integer))
				return null;
			out.add(((Number) o).intValue());
		}
		return out;
	}

	/**
	 * SwinUNETR's patch merging order for a MONAI version: {@code monai14} up to 1.4.x (the order
	 * the model zoo's BTCV weights were trained with), {@code monai15} from 1.5.0.
	 */
	static String patchMergingOrder(String version) {
		Matcher m = Pattern.compile("^\\s*(\\d+)\\.(\\d+)").matcher(version);
		if (!m.find())
			throw new BundleException("metadata.json: monai_version '" + version + "' is not a version such as 1.4.0");
		int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
		return major < 1 || (major == 1 && minor <= 4) ? "monai14" : "monai15";
	}

	private static final Pattern WHERE = Pattern.compile("torch\\.where\\(\\s*x\\[\\[(\\d+)]]\\s*>\\s*0(?:\\.0*)?\\s*,\\s*(\\d+)\\s*,");

	/**
	 * BraTS's {@code lambda x: torch.where(x[[2]] > 0, 4, torch.where(x[[0]] > 0, 1, torch.where(x[[1]] > 0, 2, 0)))}
	 * as (channel, label) in priority order; {@code null} if the text is not such a chain ending in 0.
	 */
	static List<MonaiOptions.RegionLabel> regionLabels(String func) {
		String f = func.strip();
		if (f.startsWith("$"))
			f = f.substring(1).strip();
		if (!f.matches("lambda\\s+x\\s*:.*"))
			return null;
		String body = f.substring(f.indexOf(':') + 1).replaceAll("\\s+", " ").strip();
		List<MonaiOptions.RegionLabel> out = new ArrayList<>();
		Matcher m = WHERE.matcher(body);
		int pos = 0;
		while (m.find(pos) && m.start() == pos) {
			out.add(new MonaiOptions.RegionLabel(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
			pos = m.end();
			while (pos < body.length() && body.charAt(pos) == ' ')
				pos++;
		}
		String rest = body.substring(pos).replace(" ", "");
		return !out.isEmpty() && rest.equals("0" + ")".repeat(out.size())) ? out : null;
	}

	private static List<Object> transforms(BundleConfig config, String id) {
		if (!config.has(id))
			return List.of();
		Object raw = config.raw(id);
		Object list = raw instanceof Map<?, ?> m ? m.get("transforms") : raw;
		if (raw instanceof Map<?, ?> m && !"Compose".equals(simpleName(String.valueOf(m.get("_target_")))))
			throw new BundleException(config.source() + ": '" + id + "' is a " + m.get("_target_") + ", not a Compose of transforms");
		if (list instanceof String s && s.startsWith("@"))
			list = config.resolve(s.substring(1));
		if (!(list instanceof List<?> l))
			throw new BundleException(config.source() + ": '" + id + "#transforms' is not a list of transforms");
		return new ArrayList<>(l);
	}

	/** A transform with its arguments resolved. */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> transform(BundleConfig config, String id) {
		Object t = config.resolve(id);
		if (!(t instanceof Map<?, ?>) || !(((Map<?, ?>) t).get("_target_") instanceof String))
			throw new BundleException(config.source() + ": '" + id + "' is not a {\"_target_\": ...} transform");
		return (Map<String, Object>) t;
	}

	private static String targetName(Map<String, Object> t) {
		return simpleName(String.valueOf(t.get("_target_")));
	}

	private static String simpleName(String target) {
		return target.substring(target.lastIndexOf('.') + 1);
	}

	private static List<String> channelDef(Map<String, Object> metadata, String side, String key) {
		try {
			Map<?, ?> ndf = (Map<?, ?>) metadata.get("network_data_format");
			Map<?, ?> t = (Map<?, ?>) ((Map<?, ?>) ndf.get(side)).get(key);
			Map<?, ?> def = (Map<?, ?>) t.get("channel_def");
			int n = t.get("num_channels") instanceof Number x ? x.intValue() : def.size();
			List<String> names = new ArrayList<>();
			for (int c = 0; c < n; c++) {
				Object v = def.get(String.valueOf(c));
				names.add(v == null ? (c == 0 && side.equals("outputs") ? "background" : "class" + c) : String.valueOf(v));
			}
			return names;
		} catch (RuntimeException ex) {
			return List.of();
		}
	}

	private static Object first(Object v) {
		return v instanceof List<?> l ? (l.isEmpty() ? null : l.get(0)) : v;
	}

	private static double num(Map<String, Object> t, String key, String id) {
		Object v = t.get(key);
		if (!(v instanceof Number n))
			throw new BundleException("'" + id + "#" + key + "' is " + v + ", not a number");
		return n.doubleValue();
	}

	private static double[] doubles(Object v, int n) {
		if (v instanceof Number x)
			v = java.util.Collections.nCopies(n, x);
		if (!(v instanceof List<?> l) || l.size() != n)
			return null;
		double[] out = new double[n];
		for (int i = 0; i < n; i++) {
			if (!(l.get(i) instanceof Number x) || !(x.doubleValue() > 0))
				return null;
			out[i] = x.doubleValue();
		}
		return out;
	}

	static String lower(String s) {
		return s.toLowerCase(Locale.ROOT);
	}
}
