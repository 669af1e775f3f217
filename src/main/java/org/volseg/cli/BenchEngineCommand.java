package org.volseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

import org.volseg.runtime.Device;
import org.volseg.engine.EngineBenchmark;
import org.volseg.runtime.EngineOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code volseg bench engine}: runs many patches through the engine and samples the process's
 * resident memory (VmRSS), to check that native memory stays flat. Hidden: a developer tool.
 */
@Command(name = "bench-engine", hidden = true, mixinStandardHelpOptions = true,
		description = "Run patches through the engine and sample resident memory (VmRSS).")
public final class BenchEngineCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--model", paramLabel = "PATH", description = "model package (default: a synthetic 3-layer conv3d network on 32^3 patches)")
	Path model;

	@Option(names = "--patches", defaultValue = "1000", description = "patches to run (default: ${DEFAULT-VALUE})")
	int patches;

	@Option(names = "--warmup", defaultValue = "20", description = "patches run before the first sample (default: ${DEFAULT-VALUE})")
	int warmup;

	@Option(names = "--batch", defaultValue = "1", description = "patches per batch (default: ${DEFAULT-VALUE})")
	int batch;

	@Option(names = "--sample-every", defaultValue = "100", description = "patches between memory samples (default: ${DEFAULT-VALUE})")
	int sampleEvery;

	@Option(names = "--device", defaultValue = "auto", description = "cpu, gpu or auto (default: ${DEFAULT-VALUE})")
	String device;

	@Option(names = "--intra-op-threads", defaultValue = "0", description = "0 = all cores")
	int intraOp;

	@Option(names = "--inter-op-threads", defaultValue = "0", description = "0 = all cores")
	int interOp;

	@Override
	public Integer call() throws IOException {
		PrintWriter out = spec.commandLine().getOut();
		EngineOptions options = new EngineOptions(Device.parse(device, "--device"), intraOp, interOp);
		out.println("patches  VmRSS_MiB  heap_committed_MiB  heap_used_MiB  outside_heap_MiB  seconds");
		EngineBenchmark.Report r = EngineBenchmark.run(model, patches, warmup, Math.max(1, batch),
				Math.max(1, sampleEvery), options, s -> {
					out.printf("%7d  %9.1f  %18.1f  %13.1f  %16.1f  %7.1f%n", s.patches(), s.residentKiB() / 1024.0,
							s.heapCommittedKiB() / 1024.0, s.heapUsedKiB() / 1024.0, s.outsideHeapKiB() / 1024.0,
							s.seconds());
					out.flush();
				});
		EngineBenchmark.Sample last = r.samples().get(r.samples().size() - 1);
		out.printf("model \"%s\", patch %s, batch %d, %s%n", r.model(), Arrays.toString(r.patchSize()), r.batch(),
				r.info().device().label() + " (" + r.info().deviceReason() + "), threads " + r.info().intraOpThreads()
						+ "/" + r.info().interOpThreads());
		out.printf("after warm-up, over %d patches: VmRSS %+.1f MiB (max %.1f MiB), outside the Java heap %+.1f MiB; "
				+ "%.1f patches/s%n", last.patches(), r.residentGrowthKiB() / 1024.0, r.residentMaxKiB() / 1024.0,
				r.outsideHeapGrowthKiB() / 1024.0, last.patches() / Math.max(1e-9, last.seconds()));
		out.flush();
		return 0;
	}
}
