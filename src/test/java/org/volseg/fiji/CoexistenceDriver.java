package org.volseg.fiji;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.log.LogService;
import org.scijava.module.ModuleService;
import org.scijava.plugin.PluginService;
import org.volseg.runtime.EngineRuntimes;

/**
 * The program {@link FijiCoexistenceIT} runs in a JVM whose class path holds ImageJ 1, TensorFlow
 * 1.15's Java API (as Fiji's TensorFlow update site installs it for CSBDeep and StarDist) and
 * VolSeg's Fiji jars: TensorFlow 1.15 code (a graph, a session, {@code Tensor.create}), then VolSeg's
 * macro API and its Segment Volume command through SciJava, then TensorFlow 1.15 code again.
 * Writes one line per step to {@code report.txt} in the output folder.
 *
 * <p>Arguments: output folder, model package folder, scan file. The TensorFlow 1.15 calls go
 * through reflection only because this class is compiled against VolSeg's TensorFlow Java.</p>
 */
public final class CoexistenceDriver {

	private CoexistenceDriver() {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of(args[0]);
		Path model = Path.of(args[1]);
		Path scan = Path.of(args[2]);
		List<String> report = new ArrayList<>();
		report.add("tf1-before " + tf1Squares());
		report.add("macro " + Macros.segment(scan.toString(), model.toString(),
				out.resolve("macro_labels.nii.gz").toString(), "device=cpu"));
		report.add("engine-tensorflow " + EngineRuntimes.get().tensorflowVersion());
		// Every setting given, so none comes from SciJava's remembered values of earlier runs.
		try (Context context = new Context(CommandService.class, ModuleService.class, PluginService.class,
				LogService.class)) {
			CommandInfo info = context.service(CommandService.class).getCommand(SegmentVolumeCommand.class);
			org.scijava.module.Module module = context.service(ModuleService.class).run(info, true, "input_file",
					scan.toFile(), "model_path", model.resolve("rdf.yaml").toFile(), "device", "cpu", "roi", "", "overlap", "", "blend", "model", "batch", 1, "display", "filled", "opacity", 40,
					"output_file",
					new File(out.resolve("command_labels.nii.gz").toString()), "show_results", false).get();
			SegmentVolumeCommand command = (SegmentVolumeCommand) (module instanceof CommandModule cm ? cm.getCommand() : module);
			report.add("command " + (command.error() == null ? "ok" : command.error()));
		}
		report.add("tf1-after " + tf1Squares());
		Files.write(out.resolve("report.txt"), report);
		System.exit(0);
	}

	/**
	 * TensorFlow 1.15's Java API as CSBDeep uses it: {@code Tensor.create}, a graph with a constant and
	 * a square, a session run, {@code copyTo}. Returns the version and the squares of 1, 2, 3.
	 */
	static String tf1Squares() throws Exception {
		ClassLoader l = CoexistenceDriver.class.getClassLoader();
		Class<?> tensorFlow = l.loadClass("org.tensorflow.TensorFlow");
		Class<?> graphType = l.loadClass("org.tensorflow.Graph");
		Class<?> tensorType = l.loadClass("org.tensorflow.Tensor");
		Class<?> dataType = l.loadClass("org.tensorflow.DataType");
		Class<?> outputType = l.loadClass("org.tensorflow.Output");
		Class<?> sessionType = l.loadClass("org.tensorflow.Session");
		String version = (String) tensorFlow.getMethod("version").invoke(null);
		try (AutoCloseable graph = (AutoCloseable) graphType.getConstructor().newInstance();
				AutoCloseable input = (AutoCloseable) tensorType.getMethod("create", Object.class).invoke(null,
						(Object) new float[] { 1, 2, 3 })) {
			Method opBuilder = graphType.getMethod("opBuilder", String.class, String.class);
			Object b = opBuilder.invoke(graph, "Const", "x");
			Class<?> builderType = b.getClass();
			builderType.getMethod("setAttr", String.class, tensorType).invoke(b, "value", input);
			builderType.getMethod("setAttr", String.class, dataType).invoke(b, "dtype", dataType.getField("FLOAT").get(null));
			Object x = builderType.getMethod("build").invoke(b);
			Object sq = opBuilder.invoke(graph, "Square", "y");
			builderType.getMethod("addInput", outputType).invoke(sq, x.getClass().getMethod("output", int.class).invoke(x, 0));
			builderType.getMethod("build").invoke(sq);
			try (AutoCloseable session = (AutoCloseable) sessionType.getConstructor(graphType).newInstance(graph)) {
				Object runner = sessionType.getMethod("runner").invoke(session);
				runner.getClass().getMethod("fetch", String.class).invoke(runner, "y");
				List<?> results = (List<?>) runner.getClass().getMethod("run").invoke(runner);
				try (AutoCloseable y = (AutoCloseable) results.get(0)) {
					float[] values = new float[3];
					tensorType.getMethod("copyTo", Object.class).invoke(y, values);
					return version + " " + Arrays.toString(values);
				}
			}
		}
	}
}
