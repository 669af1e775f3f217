package org.volseg.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.bundle.BundleImporter;
import org.volseg.bundle.BundlePlan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code volseg import-bundle BUNDLE_DIR|BUNDLE.zip --out DIR [--name N] [--force] [--checkpoint-key K]}:
 * imports a MONAI model-zoo bundle as a VolSeg model package (see {@link BundleImporter}).
 */
@Command(name = "import-bundle", mixinStandardHelpOptions = true,
		description = { "Import a MONAI bundle (a folder or zip with configs/inference.json or .yaml, configs/metadata.json, "
				+ "models/model.pt) as a VolSeg model package: network, preprocessing, sliding window and postprocessing "
				+ "as the bundle's inference config says. segment, batch and Fiji also take a bundle directly." })
public final class ImportBundleCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "BUNDLE_DIR|BUNDLE.zip", description = "The bundle folder or zip.")
	Path bundle;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "The model package folder to create.")
	Path out;

	@Option(names = "--name", paramLabel = "N", description = "Model name (default: the bundle's metadata name).")
	String name;

	@Option(names = "--force", description = "Import even if the bundle asks for transforms VolSeg does not run "
			+ "(each becomes a warning; results may differ from MONAI's).")
	boolean force;

	@Option(names = "--checkpoint-key", paramLabel = "K",
			description = "The state dict's key in a training checkpoint (default: found automatically: model, state_dict, network, ...).")
	String checkpointKey;

	@Option(names = "--replace", description = "Replace an existing package folder.")
	boolean replace;

	@Override
	public Integer call() throws IOException {
		if (Files.exists(out) && !replace)
			throw InvalidParameterException.of("--out", out,
					"a folder that does not exist yet (choose another or pass --replace)");
		BundlePlan plan = BundleImporter.importBundle(bundle, out, new BundleImporter.Options(name, force, checkpointKey, replace),
				line -> spec.commandLine().getErr().println(line),
				w -> spec.commandLine().getErr().println("volseg: warning: " + w));
		spec.commandLine().getOut().println("wrote " + out + " (" + plan.architecture() + ", " + plan.classNames().size()
				+ " classes: " + String.join(", ", plan.classNames()) + ")");
		return 0;
	}
}
