package org.volseg.nets.segformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.NetworkGraph;

/**
 * One traced forward pass ({@code FULL_TRACE} step statistics): op time summed per op type, and the
 * slowest single nodes with their output shapes. Op times on the two cores overlap, so the sums can
 * exceed the wall time. For benchmarks only.
 */
final class OpProfile {

	private OpProfile() {}

	static void print(NetworkGraph g, FloatTensor x, int top) {
		RunOptions options = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
		try (TFloat32 in = TFloat32.tensorOf(Shape.of(x.shape()), DataBuffers.of(x.data(), true, false));
				Result r = g.session().runner().feed(g.input(), in).fetch(g.output()).setOptions(options).runAndFetchMetadata()) {
			Map<String, Double> byType = new TreeMap<>();
			List<NodeExecStats> nodes = new ArrayList<>();
			double total = 0;
			for (DeviceStepStats d : r.getMetadata().get().getStepStats().getDevStatsList()) {
				for (NodeExecStats n : d.getNodeStatsList()) {
					byType.merge(type(n), n.getAllEndRelMicros() / 1e6, Double::sum);
					total += n.getAllEndRelMicros() / 1e6;
					nodes.add(n);
				}
			}
			System.out.printf("op time per type (one traced pass, %.3f s in all):%n", total);
			byType.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(20)
					.forEach(e -> System.out.printf("  %-32s %.4f s%n", e.getKey(), e.getValue()));
			System.out.printf("slowest nodes:%n");
			nodes.sort((a, b) -> Long.compare(b.getAllEndRelMicros(), a.getAllEndRelMicros()));
			for (NodeExecStats n : nodes.subList(0, Math.min(top, nodes.size()))) {
				System.out.printf("  %.4f s  %-28s %-40s %s%n", n.getAllEndRelMicros() / 1e6, type(n), n.getNodeName(),
						shapes(n));
			}
		}
	}

	private static String type(NodeExecStats n) {
		String label = n.getTimelineLabel();
		return label.contains(" = ") ? label.replaceFirst("^.* = ([A-Za-z0-9_]+).*$", "$1") : n.getNodeName();
	}

	private static String shapes(NodeExecStats n) {
		StringBuilder b = new StringBuilder();
		n.getOutputList().forEach(o -> {
			List<Long> dims = new ArrayList<>();
			o.getTensorDescription().getShape().getDimList().forEach(d -> dims.add(d.getSize()));
			b.append(dims);
		});
		return b.toString();
	}
}
