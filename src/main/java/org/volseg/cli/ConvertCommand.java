package org.volseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.VolSegException;
import org.volseg.nets.Architecture;
import org.volseg.nets.Architectures;
import org.volseg.util.Json;
import org.volseg.nets.Network;
import org.volseg.nets.NetworkExport;
import org.volseg.nets.ParameterSource;
import org.volseg.nets.RandomParameters;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;
import org.volseg.nets.StateDictParameters;
import org.volseg.weights.WeightsFormat;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code volseg convert}: builds a network from its reference configuration and a PyTorch
 * state_dict (a torch.save checkpoint or safetensors, read by {@link StateDict#read(Path, String)}),
 * checks the weights strictly and writes a model package.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
		description = { "Convert PyTorch weights (a torch.save checkpoint .pt/.pth/.ckpt, or a state_dict saved as safetensors) "
				+ "of a network VolSeg builds (--arch) into a VolSeg model package (TensorFlow SavedModel + rdf.yaml).",
				"Without --config the configuration is read from a safetensors file's __metadata__.config "
						+ "(a torch.save checkpoint needs --config)." })
public final class ConvertCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--arch", required = true, paramLabel = "NAME", description = "Architecture: ${COMPLETION-CANDIDATES}.",
			completionCandidates = ArchitectureNames.class)
	String arch;

	@Option(names = "--config", paramLabel = "FILE|PRESET",
			description = "The reference constructor's keyword arguments: a JSON file, or a preset name "
					+ "(monai-unetr-btcv, monai-unetr-btcv-perceptron, segformer3d-brats, swin-unetr-btcv, spleen-ct, wholebody-ct, "
					+ "brats-mri; see docs/models.md).")
	String config;

	@ArgGroup(exclusive = true, multiplicity = "1")
	WeightsChoice weights;

	static final class WeightsChoice {
		@Option(names = "--weights", paramLabel = "FILE", description = "The state_dict: a torch.save checkpoint (.pt, .pth, "
				+ ".ckpt; a bare state dict or a training checkpoint holding one) or a safetensors file. The format is told by content.")
		Path file;

		@Option(names = "--random-weights", description = "Random initial weights instead (for benchmarks and tests).")
		boolean random;
	}

	@Option(names = "--seed", defaultValue = "0", description = "Seed of --random-weights (default ${DEFAULT-VALUE}).")
	long seed;

	@Option(names = "--checkpoint-key", paramLabel = "KEY",
			description = "Key of the state dict inside a training checkpoint (dots for nested keys: ema.model). Default: the "
					+ "file itself if it holds tensors, else the first of model, state_dict, network, net, model_state_dict. "
					+ "In a safetensors file: the keys starting with KEY.")
	String checkpointKey;

	@Option(names = "--key-prefix", paramLabel = "PREFIX",
			description = "Use only the keys starting with PREFIX (removed). Default: automatic ('model.' in VolSeg "
					+ "reference files that hold an 'input' tensor, 'module.' if every key has it, else none).")
	String keyPrefix;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "The model package folder to create.")
	Path out;

	@Option(names = "--name", paramLabel = "NAME", description = "Model name in rdf.yaml (default: the folder name).")
	String name;

	@Option(names = "--replace", description = "Replace an existing package folder.")
	boolean replace;

	@Override
	public Integer call() throws IOException {
		Architecture architecture = Architectures.byName(arch);
		boolean safetensors = weights.file != null && WeightsFormat.detect(weights.file) == WeightsFormat.SAFETENSORS;
		// a torch.save checkpoint is read whole here, before the --out check: its errors come first
		StateDict checkpoint = weights.file != null && !safetensors ? StateDict.read(weights.file, checkpointKey) : null;
		SafeTensors file = safetensors ? SafeTensors.read(weights.file) : null;
		if (file != null) checkArchitecture(architecture, file);
		if (Files.exists(out) && !replace) // at once, not after the conversion (the writer refuses it too)
			throw InvalidParameterException.of("--out", out,
					"a folder that does not exist yet (it holds a model package or other files; choose another or pass --replace)");
		Map<String, Object> kwargs = configuration(architecture, file);
		Network network = architecture.configure(kwargs);
		if (file != null && config != null) warnIfMetadataDiffers(architecture, network, file);
		ParameterSource params;
		StateDictParameters imported = null;
		String origin;
		if (weights.file != null) {
			StateDict sd = file != null
					? StateDict.of(file, keyPrefix != null || checkpointKey == null ? keyPrefix : checkpointKey + ".", weights.file.toString())
					: keyPrefix != null ? checkpoint.withPrefix(keyPrefix) : checkpoint;
			for (String note : sd.notes()) spec.commandLine().getErr().println("volseg: note: " + weights.file + ": " + note);
			imported = new StateDictParameters(sd, network.describe(), network.unusedKeyPatterns());
			params = imported;
			origin = "weights converted from " + weights.file.getFileName() + " (" + architecture.reference() + ")";
		} else {
			params = new RandomParameters(seed);
			origin = "random weights (seed " + seed + "), " + architecture.reference() + " architecture";
		}
		String modelName = name != null ? name : out.toAbsolutePath().normalize().getFileName().toString();
		NetworkExport.export(network, params, modelName, network.architecture() + ": " + origin, out, replace);
		if (imported != null) {
			spec.commandLine().getOut().printf("imported %d parameters; ignored %d keys the network does not use%s%n",
					imported.parameterCount(), imported.ignoredKeys().size(),
					imported.ignoredKeys().isEmpty() ? "" : " (" + String.join(", ", network.unusedKeyPatterns()) + ")");
		}
		spec.commandLine().getOut().println("wrote " + out + " (" + network.describe() + ")");
		return 0;
	}

	private Map<String, Object> configuration(Architecture architecture, SafeTensors file) {
		if (config != null) {
			return ConfigArgument.resolve(config, architecture.presets(), new ConfigArgument.Wording(false, "a JSON file or a preset of "
					+ architecture.name() + " (" + String.join(", ", architecture.presets().keySet()) + ")", config));
		}
		String where = file == null ? null : file.metadata().get("config");
		if (where == null) {
			throw InvalidParameterException.of("--config", "nothing", "a JSON file or preset name"
					+ (weights.file == null ? " (needed with --random-weights)" : file == null ? " (needed with a torch.save checkpoint, "
							+ "which records no configuration)" : " (" + weights.file + " has no __metadata__.config)"));
		}
		try {
			return Json.parseObject(where);
		} catch (Json.SyntaxException ex) {
			throw new VolSegException(weights.file + ": __metadata__.config is not a JSON object: " + ex.getMessage()
					+ "; give --config instead", ex);
		}
	}

	/**
	 * Some configuration differences leave every weight shape unchanged (num_heads, the order of
	 * img_size): when the weights file records its own configuration, say where --config differs.
	 */
	private void warnIfMetadataDiffers(Architecture architecture, Network network, SafeTensors file) {
		String recorded = file.metadata().get("config");
		if (recorded == null) return;
		Map<String, Object> theirs;
		try {
			theirs = architecture.configure(Json.parseObject(recorded)).config();
		} catch (Json.SyntaxException | VolSegException ex) {
			return;
		}
		java.util.List<String> differences = new java.util.ArrayList<>();
		for (Map.Entry<String, Object> e : network.config().entrySet()) {
			Object other = theirs.get(e.getKey());
			if (!Json.writeCompact(e.getValue()).equals(Json.writeCompact(other))) {
				differences.add(e.getKey() + ": " + Json.writeCompact(e.getValue()) + " (file: " + Json.writeCompact(other) + ")");
			}
		}
		if (!differences.isEmpty()) {
			spec.commandLine().getErr().println("volseg: warning: --config differs from " + weights.file
					+ " __metadata__.config in " + String.join(", ", differences));
		}
	}

	/** Refuses weights whose metadata names another architecture. */
	private void checkArchitecture(Architecture architecture, SafeTensors file) {
		String declared = file.metadata().get("architecture");
		if (declared == null) return;
		String a = declared.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
		if (!a.equals(architecture.name().replaceAll("[^a-z0-9]", ""))) {
			throw InvalidParameterException.of("--arch", arch, "the architecture " + weights.file + " declares in __metadata__ ("
					+ declared + ")");
		}
	}

	/** Completion candidates and help text for --arch. */
	static final class ArchitectureNames implements Iterable<String> {
		@Override
		public java.util.Iterator<String> iterator() {
			return Architectures.names().iterator();
		}
	}
}
