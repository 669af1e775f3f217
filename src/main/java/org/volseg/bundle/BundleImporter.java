package org.volseg.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.volseg.VolSegException;
import org.volseg.engine.ModelPackageWriter;
import org.volseg.tiling.BlendMode;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.MonaiOptions;
import org.volseg.model.NetworkSpec;
import org.volseg.model.Preprocessing;
import org.volseg.nets.Architectures;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkExport;
import org.volseg.nets.NetworkGraph;
import org.volseg.nets.ParameterShapes;
import org.volseg.nets.StateDict;
import org.volseg.nets.StateDictParameters;

/**
 * Imports a MONAI bundle (folder or zip) as a VolSeg model package: translates the inference
 * config ({@link BundleTranslator}), refuses at once, as one list, everything it asks that VolSeg
 * cannot do (or, forced, reports each as a warning), builds the network from {@code network_def}
 * through the {@link Architectures} registry, loads {@code models/model.pt} strictly (every key and
 * shape) and writes the package atomically with {@link ModelPackageWriter}. Stateless.
 */
public final class BundleImporter {

	private BundleImporter() {
	}

	/**
	 * @param name the model's name, or {@code null} for the bundle's ({@code metadata.json} name)
	 * @param force turn the list of unsupported transforms into warnings
	 * @param checkpointKey the state dict's key in a training checkpoint, or {@code null} to find it
	 * @param replace replace an existing package at the target
	 */
	public record Options(String name, boolean force, String checkpointKey, boolean replace) {
		/** Defaults: the bundle's name, not forced, automatic checkpoint key, no replacing. */
		public static Options defaults() {
			return new Options(null, false, null, false);
		}
	}

	/**
	 * A bundle's config checked without its weights: the plan and the network built from it.
	 *
	 * @param plan what the config asks for
	 * @param network the configured network (as it will be built, SwinUNETR's patch merging order included)
	 */
	public record Checked(BundlePlan plan, Network network) {
		/** The network's parameter keys and shapes (PyTorch layout), from a graph built without weights. */
		public Map<String, long[]> parameterShapes() {
			return ParameterShapes.of(network).shapes();
		}
	}

	/**
	 * Checks a bundle's configs without weights: translates them and builds the network.
	 *
	 * @param warnings receives the unsupported items when forced, and notes
	 * @throws BundleException listing what VolSeg cannot do (unless forced), or naming the config id
	 *         that cannot be read
	 */
	public static Checked check(BundleSource source, boolean force, Consumer<String> warnings) {
		BundlePlan plan = BundleTranslator.translate(source.inferenceConfig(), source.metadata(), source.folderName());
		if (!plan.problems().isEmpty()) {
			if (!force)
				throw new BundleException(source.given() + ": the bundle asks for " + plan.problems().size()
						+ " thing(s) VolSeg cannot do:\n  - " + String.join("\n  - ", plan.problems())
						+ "\nimport with --force to go on without them (each becomes a warning; results may differ from MONAI's)");
			for (String p : plan.problems())
				warnings.accept("not supported, ignored (--force): " + p);
		}
		for (String n : plan.notes())
			warnings.accept(n);
		return new Checked(plan, network(plan, source));
	}

	/** The network of a plan, its window size being the inferer's roi_size where the network needs a fixed size. */
	static Network network(BundlePlan plan, BundleSource source) {
		Map<String, Object> kwargs = new LinkedHashMap<>(plan.kwargs());
		Network network;
		try {
			network = Architectures.byName(plan.architecture()).configure(kwargs);
			if (plan.roi() != null && !network.acceptsOtherSpatialShapes()
					&& !Arrays.equals(network.inputSpatialShape(), toLong(plan.roi())) && kwargs.containsKey("img_size")) {
				kwargs.put("img_size", List.of(plan.roi()[0], plan.roi()[1], plan.roi()[2]));
				network = Architectures.byName(plan.architecture()).configure(kwargs);
			}
		} catch (VolSegException ex) {
			throw new BundleException(source.given() + ": configs network_def: " + ex.getMessage(), ex);
		}
		return network;
	}

	/**
	 * Imports a bundle into a model package folder.
	 *
	 * @param bundle the bundle folder or zip
	 * @param packageDir the package folder to create
	 * @param progress receives one line per stage ("reading configs", "loading weights", ...)
	 * @param warnings receives each forced item and note
	 * @return the plan that was imported
	 * @throws BundleException for an unreadable or unsupported bundle (nothing is written)
	 * @throws org.volseg.nets.WeightImportException if model.pt does not fit the network
	 * @throws IOException if writing fails
	 */
	public static BundlePlan importBundle(Path bundle, Path packageDir, Options options, Consumer<String> progress,
			Consumer<String> warnings) throws IOException {
		try (BundleSource source = BundleSource.open(bundle)) {
			progress.accept("reading the bundle's configs");
			Checked checked = check(source, options.force(), warnings);
			BundlePlan plan = checked.plan();
			Network network = checked.network();
			String name = options.name() != null ? options.name() : plan.name();
			ModelDescriptor descriptor = descriptor(plan, network, name, source.given().getFileName().toString());
			progress.accept("loading weights " + source.root().relativize(source.weights()));
			StateDict weights = StateDict.read(source.weights(), options.checkpointKey());
			progress.accept("building " + network.describe());
			StateDictParameters params = new StateDictParameters(weights, network.describe(), network.unusedKeyPatterns());
			try (NetworkGraph g = NetworkGraph.build(network, params, Layers.WeightStorage.VARIABLES)) {
				progress.accept("writing " + packageDir);
				ModelPackageWriter.write(descriptor, g.session(), g.input(), g.output(), packageDir, options.replace());
			}
			return plan;
		}
	}

	/**
	 * The model package's descriptor for a plan: the window is the inferer's roi_size, grid and
	 * intensity steps as the bundle's preprocessing, classes named by {@code metadata.json}, and
	 * {@code config.volseg.monai} for the postprocessing.
	 */
	public static ModelDescriptor descriptor(BundlePlan plan, Network network, String name, String origin) {
		int[] roi = plan.roi() != null ? plan.roi() : toInt(network.inputSpatialShape());
		ModelDescriptor.Builder b = ModelDescriptor.builder().name(name)
				.description((plan.description().isBlank() ? "" : plan.description() + " ") + "(imported from the MONAI bundle "
						+ origin + ")")
				.patchSize(roi[0], roi[1], roi[2]).overlap(plan.overlap())
				.blendMode(plan.gaussian() ? BlendMode.GAUSSIAN : BlendMode.CONSTANT).sigmaScale(plan.sigmaScale())
				.outputActivation(plan.activation())
				.network(new NetworkSpec(network.architecture(), network.config())).monai(plan.monai());
		if (plan.inputChannelNames().size() == network.inputChannels())
			b.inputChannelNames(plan.inputChannelNames());
		else
			b.inputChannels(network.inputChannels());
		if (network.acceptsOtherSpatialShapes()) {
			int[] rule = NetworkExport.patchSizeRule(network);
			if (rule == null)
				throw new BundleException(name + ": " + network.describe() + " gives no output of its input's size");
			b.patchSizeRule(rule[0], rule[1]);
		}
		if (plan.spacingMm() != null)
			b.targetSpacingMm(plan.spacingMm()[0], plan.spacingMm()[1], plan.spacingMm()[2]);
		if (plan.orientation() != null)
			b.targetOrientation(plan.orientation());
		for (Preprocessing p : plan.preprocessing())
			b.preprocessing(p);
		Map<Integer, Integer> labelOfChannel = new LinkedHashMap<>();
		for (MonaiOptions.RegionLabel r : plan.monai().regionLabels())
			labelOfChannel.put(r.channel(), r.label());
		List<String> names = new ArrayList<>(plan.classNames());
		for (int c = 0; c < network.outputChannels(); c++) {
			String n = c < names.size() ? names.get(c) : c == 0 ? "background" : "class" + c;
			int label = labelOfChannel.getOrDefault(c, c);
			int[] rgb = NetworkExport.colour(label);
			b.addClass(label, n, rgb[0], rgb[1], rgb[2]);
		}
		return b.build();
	}

	private static long[] toLong(int[] a) {
		return Arrays.stream(a).asLongStream().toArray();
	}

	private static int[] toInt(long[] a) {
		return Arrays.stream(a).mapToInt(x -> (int) x).toArray();
	}
}
