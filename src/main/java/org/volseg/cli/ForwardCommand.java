package org.volseg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.runtime.Device;
import org.volseg.engine.Engine;
import org.volseg.runtime.EngineOptions;
import org.volseg.model.ModelPackage;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.StateDict;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code volseg forward}: runs a model package's raw network once on a PyTorch-layout tensor
 * {@code [batch, channel, d0, d1, d2]} and writes its output in the same layout, to compare a
 * conversion with Python.
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
		description = { "Run a model package's network on a [batch, channel, d0, d1, d2] tensor from a safetensors or torch.save "
				+ "file and write the raw output (logits) as 'output', [batch, class, d0, d1, d2], as safetensors.",
				"No preprocessing, tiling or activation: the network alone, to check a conversion against PyTorch." })
public final class ForwardCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package folder (or .zip).")
	Path model;

	@Option(names = "--input", required = true, paramLabel = "FILE",
			description = "File holding the input tensor: safetensors, or torch.save of a dict of tensors (.pt).")
	Path input;

	@Option(names = "--tensor", defaultValue = "input", paramLabel = "NAME",
			description = "Name of the input tensor in --input (default ${DEFAULT-VALUE}).")
	String tensor;

	@Option(names = "--output", required = true, paramLabel = "Y.safetensors", description = "File to write (tensor 'output').")
	Path output;

	@Option(names = "--trust-model", description = "Run the model even if its graph holds operations outside VolSeg's"
			+ " allow-list (file, network or Python operations): only for models from authors you trust.")
	boolean trustModel;

	@Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|gpu|auto",
			description = "Where to run (default ${DEFAULT-VALUE}: the GPU if there is one).")
	String device;

	@Override
	public Integer call() {
		EngineOptions options = EngineOptions.defaults().withDevice(Device.parse(device, "--device")).withTrustModel(trustModel);
		if (Files.exists(input) && org.volseg.util.SameFile.as(input, output)) {
			throw InvalidParameterException.of("--output", output, "another file than --input (inputs are never overwritten)");
		}
		StateDict file = StateDict.readTensors(input);
		FloatTensor x = file.get(tensor);
		if (x == null) {
			throw InvalidParameterException.of("--tensor", tensor, "a tensor of " + input + " (it holds "
					+ String.join(", ", file.tensors().keySet()) + ")");
		}
		if (x.rank() != 5 || x.dim(0) < 1) {
			throw InvalidParameterException.of("--tensor " + tensor, Arrays.toString(x.shape()),
					"a 5-D tensor [batch, channel, d0, d1, d2]");
		}
		FloatTensor y;
		try (ModelPackage pkg = ModelPackage.open(model); Engine engine = Engine.load(pkg, options)) {
			if (x.dim(1) != engine.inputChannels()) {
				throw InvalidParameterException.of("--tensor " + tensor, Arrays.toString(x.shape()),
						engine.inputChannels() + " channels (axis 1), as " + model + " declares");
			}
			int batch = (int) x.dim(0);
			int[] size = { (int) x.dim(2), (int) x.dim(3), (int) x.dim(4) };
			float[] out = engine.predict(x.permute(0, 2, 3, 4, 1).data(), batch, size);
			y = new FloatTensor(new long[] { batch, size[0], size[1], size[2], engine.outputChannels() }, out).permute(0, 4, 1, 2, 3);
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		metadata.put("model", model.toString());
		metadata.put("input", input + ":" + tensor);
		metadata.put("layout", "output is [batch, channel, d0, d1, d2] (PyTorch NCDHW order), raw network output");
		SafeTensors.write(output, Map.of("output", y), metadata);
		spec.commandLine().getOut().println("wrote " + output + " output " + Arrays.toString(y.shape()));
		return 0;
	}
}
