package org.volseg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import org.volseg.engine.Engine;
import org.volseg.runtime.EngineOptions;
import org.volseg.engine.SavedModelInspector;
import org.volseg.model.Axis;
import org.volseg.model.Author;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.ModelInstaller;
import org.volseg.model.ModelPackage;
import org.volseg.model.ModelPackageException;
import org.volseg.model.Preprocessing;
import org.volseg.model.SegmentationClass;
import org.volseg.model.TensorDescriptor;
import org.volseg.model.VolSegConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg model info|validate|install PATH}: inspect, check and install model packages. */
@Command(name = "model", description = "Inspect and check model packages (folder, rdf.yaml or .zip).",
		mixinStandardHelpOptions = true, subcommands = { ModelCommand.Info.class, ModelCommand.Validate.class,
				ModelCommand.Install.class })
public final class ModelCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		spec.commandLine().usage(spec.commandLine().getErr());
		return 2;
	}

	/** Prints the descriptor and the SavedModel's signatures. */
	@Command(name = "info", mixinStandardHelpOptions = true,
			description = "Print a model package's descriptor and its SavedModel signatures.")
	static final class Info implements Callable<Integer> {
		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "PATH", description = "model package folder, its rdf.yaml, or a .zip")
		Path path;

		@Option(names = "--trust-model", description = "load a graph with operations outside VolSeg's allow-list "
				+ "(file, network or Python operations) to list its signatures: only for models from authors you trust")
		boolean trustModel;

		@Override
		public Integer call() {
			PrintWriter out = spec.commandLine().getOut();
			try (ModelPackage p = ModelPackage.open(path)) {
				printDescriptor(out, p.descriptor());
				out.println("SavedModel: " + p.descriptor().weights().source());
				for (SavedModelInspector.SignatureInfo s : SavedModelInspector.signatures(p.savedModelDir(), trustModel)) {
					out.println("  signature " + s.key());
					s.inputs().forEach((n, t) -> out.println("    input  " + n + ": " + t.dataType() + " " + shape(t.shape())));
					s.outputs().forEach((n, t) -> out.println("    output " + n + ": " + t.dataType() + " " + shape(t.shape())));
				}
			}
			out.flush();
			return 0;
		}
	}

	/** Checks a package: descriptor, files, and the signature against the descriptor. */
	@Command(name = "validate", mixinStandardHelpOptions = true,
			description = { "Check a model package: rdf.yaml, the SavedModel, and its serving signature against "
					+ "rdf.yaml. Exits 1 with every problem listed if it is not usable." })
	static final class Validate implements Callable<Integer> {
		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "PATH", description = "model package folder, its rdf.yaml, or a .zip")
		Path path;

		@Option(names = "--run", description = "also run one patch of zeros through the network and check the "
				+ "output's shape")
		boolean run;

		@Option(names = "--trust-model", description = "accept a graph with operations outside VolSeg's allow-list "
				+ "(file, network or Python operations): only for models from authors you trust")
		boolean trustModel;

		@Override
		public Integer call() {
			PrintWriter out = spec.commandLine().getOut();
			PrintWriter err = spec.commandLine().getErr();
			try (ModelPackage p = ModelPackage.open(path);
					Engine e = Engine.load(p, EngineOptions.cpu().withTrustModel(trustModel))) {
				if (run) {
					int[] patch = p.descriptor().volseg().patchSizeArray();
					e.predict(new float[patch[0] * patch[1] * patch[2] * e.inputChannels()], 1, patch);
				}
				out.println(path + ": valid model package \"" + p.descriptor().name() + "\""
						+ (run ? " (one patch run)" : ""));
				out.flush();
				return 0;
			} catch (ModelPackageException ex) {
				List<String> problems = ex.problems();
				err.println(ex.source() + ": not a usable model package, " + problems.size() + " problem"
						+ (problems.size() == 1 ? "" : "s") + ":");
				for (String s : problems)
					err.println("  - " + s);
				err.flush();
				return 1;
			}
		}
	}

	/** Validates a package (including its SavedModel) and copies it into a models folder. */
	@Command(name = "install", mixinStandardHelpOptions = true,
			description = "Validate a model package (folder or .zip) and copy it into a models folder, atomically.")
	static final class Install implements Callable<Integer> {
		@Spec
		CommandSpec spec;

		@Parameters(paramLabel = "PATH", description = "model package folder, its rdf.yaml, or a .zip")
		Path path;

		@Option(names = "--models-dir", required = true, paramLabel = "DIR",
				description = "the models folder; the package is installed in DIR/<model name>")
		Path modelsDir;

		@Option(names = "--replace", description = "replace an installed model of the same name")
		boolean replace;

		@Option(names = "--trust-model", description = "accept a graph with operations outside VolSeg's allow-list "
				+ "(file, network or Python operations): only for models from authors you trust")
		boolean trustModel;

		@Override
		public Integer call() {
			Path installed = ModelInstaller.install(path, modelsDir, replace, p -> Engine.verify(p, trustModel));
			spec.commandLine().getOut().println("installed " + installed);
			spec.commandLine().getOut().flush();
			return 0;
		}
	}

	static void printDescriptor(PrintWriter out, ModelDescriptor d) {
		out.println("name: " + d.name());
		if (!d.description().isEmpty())
			out.println("description: " + d.description());
		StringBuilder authors = new StringBuilder();
		for (Author a : d.authors())
			authors.append(authors.length() == 0 ? "" : "; ").append(a.name())
					.append(a.affiliation() == null ? "" : " (" + a.affiliation() + ")");
		out.println("authors: " + authors);
		out.println("license: " + d.license());
		out.println("format_version: " + d.formatVersion());
		printTensor(out, "input", d.input());
		printTensor(out, "output", d.output());
		VolSegConfig c = d.volseg();
		out.println("target spacing (mm): " + (c.targetSpacingMm() == null ? "the volume's own" : c.targetSpacingMm()));
		out.println("target orientation: " + (c.targetOrientation() == null ? "the volume's own" : c.targetOrientation()));
		out.println("patch size: " + c.patchSize() + ", overlap " + c.overlap() + ", blend " + c.blendMode().id()
				+ (c.blendMode() == org.volseg.tiling.BlendMode.GAUSSIAN ? " (sigma scale " + c.sigmaScale() + ")" : ""));
		out.println("output activation: " + c.outputActivation().yamlName() + ", normalization region: "
				+ c.normalizationRegion().yamlName());
		out.println("classes:");
		for (SegmentationClass cl : c.classes())
			out.printf("  %d %s rgb(%d, %d, %d)%n", cl.label(), cl.name(), cl.red(), cl.green(), cl.blue());
		if (c.network() != null)
			out.println("network: " + c.network().architecture() + " " + c.network().config());
	}

	private static void printTensor(PrintWriter out, String role, TensorDescriptor t) {
		StringBuilder axes = new StringBuilder();
		for (Axis a : t.axes())
			axes.append(axes.length() == 0 ? "" : ", ").append(a.id()).append('=').append(a.type().name().equals("CHANNEL")
					? a.channelNames().size() + " " + a.channelNames() : a.size().toString());
		out.println(role + " " + t.id() + ": " + t.dataType() + " [" + axes + "]");
		for (Preprocessing p : t.preprocessing())
			out.println("  preprocessing " + p.id() + " " + p.kwargs());
	}

	private static String shape(long[] s) {
		if (s == null)
			return "(unknown rank)";
		return Arrays.toString(Arrays.stream(s).mapToObj(v -> v < 0 ? "?" : Long.toString(v)).toArray());
	}
}
