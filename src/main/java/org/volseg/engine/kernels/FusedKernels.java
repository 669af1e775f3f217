package org.volseg.engine.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.volseg.InvalidParameterException;

/**
 * VolSeg's fused CPU kernels: TensorFlow ops that do in one pass over memory what takes
 * TensorFlow's own ops several. Their C source ({@code volseg_kernels.c}, next to this class) is
 * compiled on first use with the machine's C compiler and TensorFlow's C kernel API, kept in
 * {@code ~/.volseg/kernels/} and loaded into TensorFlow.
 *
 * <p>The ops ({@link Fusion}), each with an attribute {@code threads}, the threads it uses:</p>
 * <ul>
 * <li>{@code VolsegDepthwiseConv3dGelu(input, filter, bias)}: input {@code [n, d0, d1, d2, C]}
 * channels last, filter {@code [3, 3, 3, C]} (cross-correlation, zero padding 1), bias {@code [C]};
 * output {@code h (1 + erf h)} with {@code h} the depthwise convolution plus bias, same shape as the
 * input. {@code h (1 + erf h)} is {@code sqrt 2 GELU(sqrt 2 h)}; SegFormer3D's Mix-FFN folds the two
 * factors into its weights. erf's absolute error is at most 1.5e-7.</li>
 * <li>{@code VolsegAttention(query, key, value)}: {@code [b, h, n, d]}, {@code [b, h, m, d]},
 * {@code [b, h, m, e]}; output {@code softmax(query key^T) value}, {@code [b, h, n, e]}, the softmax
 * over the m keys (scale the keys or queries beforehand). The n x m logits are never written to
 * memory: eight query rows at a time go through logits, softmax and weighted sum in the cache.</li>
 * <li>{@code VolsegConv3d(input, filter, bias, stride, padding)}: a strided 3D convolution (PyTorch's
 * {@code Conv3d(Cin, Cout, k, stride, padding)}, the same on every axis) for few input channels:
 * input {@code [n, d0, d1, d2, Cin]}, filter {@code [k, k, k, Cin, Cout]} (k up to 8), bias
 * {@code [Cout]}, stride and padding int32 scalars; output {@code [n, o0, o1, o2, Cout]},
 * {@code o = floor((d + 2 padding - k) / stride) + 1}. Eight output voxels by 32 output channels at
 * a time, from the input rows copied with their zero padding; for SegFormer3D's first patch
 * embedding (4 channels, 7^3 kernel, stride 4) it replaces a padding, a space-to-depth transposition
 * and a convolution of 1.5 times the multiply-adds.</li>
 * <li>{@code VolsegResizeSumReluLinear(fine, coarse1, coarse2, coarse3, weight, bias)}: fine
 * {@code [n, D0, D1, D2, C]}, each coarse input {@code [n, d0, d1, d2, C]} of its own size, weight
 * {@code [C, K]}, bias {@code [K]}; output {@code [n, D0, D1, D2, K]} =
 * {@code relu(fine + sum of the coarse inputs resized) weight + bias}, the resize trilinear to
 * {@code (D0, D1, D2)} as {@link org.volseg.nets.blocks.TrilinearResize} (PyTorch's
 * {@code align_corners=False}). SegFormer3D's decoder head, one output row at a time in the cache:
 * TensorFlow's ops write five {@code D0 D1 D2 C} volumes (three resized, their sum, its ReLU).</li>
 * <li>{@code VolsegLayerNorm(input, gamma, beta, epsilon)}: input {@code [..., C]}, gamma and beta
 * {@code [C]}, epsilon a float scalar; output {@code (x - mean) / sqrt(var + epsilon) gamma + beta}
 * per row of C, the input's shape (PyTorch's {@code LayerNorm}, biased variance). One pass over
 * memory whether the weights are constants or variables (TensorFlow fuses its LayerNorm only for
 * constants).</li>
 * </ul>
 * <p>All equal TensorFlow's ops up to float rounding (about 1e-6 of the output's scale).</p>
 *
 * <p>Graph forms. A graph that will be exported ({@link org.tensorflow.SavedModelBundle}) keeps
 * TensorFlow's ops, so that a model package runs anywhere, and marks the subgraph
 * ({@link #marked}); {@link FusedKernelRewrite} puts the fused op in its place
 * when the package is loaded on a CPU where the kernels are {@link #available()}. A graph that runs
 * in the building process may use the op directly ({@link #fused}).</p>
 *
 * <p>Where they run: Linux with a C compiler ({@code cc}, {@code gcc} or {@code clang} on the PATH,
 * or named by {@code $CC} or {@code -Dvolseg.cc}). Elsewhere, or with {@code -D}{@value #PROPERTY}
 * {@code =portable}, {@link #available()} is false and networks run TensorFlow's ops; {@link #status()}
 * says which and why. Thread-safe; the library is compiled and loaded at most once per JVM.</p>
 */
public final class FusedKernels {

	/** The system property choosing the kernels: {@code fused} (the default: when available) or {@code portable}. */
	public static final String PROPERTY = "volseg.kernels";
	/** What a fused op replaces: the op's name, its mark's name scope and its inputs' names. */
	public enum Fusion {
		/** The depthwise 3x3x3 convolution, bias and {@code h (1 + erf h)}. */
		DEPTHWISE_CONV3D_GELU("VolsegDepthwiseConv3dGelu", "input", "filter", "bias"),
		/** {@code softmax(query key^T) value}. */
		ATTENTION("VolsegAttention", "query", "key", "value"),
		/**
		 * A strided 3D convolution with bias: the same kernel (1 to {@link #CONV3D_MAX_KERNEL}),
		 * stride and padding (below the kernel) on every axis.
		 */
		CONV3D("VolsegConv3d", "input", "filter", "bias", "stride", "padding"),
		/** Trilinear resize of three coarse volumes to a fine one's size, their sum, ReLU and a linear map. */
		RESIZE_SUM_RELU_LINEAR("VolsegResizeSumReluLinear", "fine", "coarse1", "coarse2", "coarse3", "weight", "bias"),
		/** LayerNorm over the last axis. */
		LAYER_NORM("VolsegLayerNorm", "input", "gamma", "beta", "epsilon");

		private final String op;
		private final List<String> inputs;

		Fusion(String op, String... inputs) {
			this.op = op;
			this.inputs = List.of(inputs);
		}

		/** The TensorFlow op's name. */
		public String op() {
			return op;
		}

		/**
		 * The name scope that marks the portable form: {@value #MARK_PREFIX} and the op's name after
		 * "Volseg", holding Identity ops named by {@link #inputs()} in front of the portable ops and
		 * {@code output} after them.
		 */
		public String mark() {
			return MARK_PREFIX + op.substring("Volseg".length());
		}

		/** The op's inputs, in order. */
		public List<String> inputs() {
			return inputs;
		}
	}

	/** The start of every mark's name scope. */
	public static final String MARK_PREFIX = "VolsegFusable_";
	/** The most threads one fused op may use. */
	public static final int MAX_THREADS = 256;

	/** The largest kernel {@link Fusion#CONV3D} takes along each axis. */
	public static final int CONV3D_MAX_KERNEL = 8;

	private static final Logger LOG = Logger.getLogger(FusedKernels.class.getName());
	private static final String SOURCE = "volseg_kernels.c";

	private record State(boolean loaded, String status) {}

	private static State state; // guarded by FusedKernels.class

	private FusedKernels() {}

	/**
	 * Whether {@value #PROPERTY} allows the fused kernels.
	 *
	 * @throws InvalidParameterException when the property is neither {@code fused} nor {@code portable}
	 */
	public static boolean enabled() {
		String v = System.getProperty(PROPERTY, "fused").trim().toLowerCase(Locale.ROOT);
		if (!v.equals("fused") && !v.equals("portable"))
			throw InvalidParameterException.of("-D" + PROPERTY, System.getProperty(PROPERTY), "fused or portable");
		return v.equals("fused");
	}

	/**
	 * Whether the fused ops can be used in this JVM: enabled, compiled and loaded into TensorFlow.
	 * The first call compiles the library unless it is cached (about a second), and loads
	 * TensorFlow's native library if it is not loaded yet.
	 */
	public static boolean available() {
		return enabled() && load().loaded();
	}

	/** One line for logs and benchmark reports: which kernels run, and why. */
	public static String status() {
		if (!enabled())
			return "TensorFlow's ops (fused CPU kernels off: -D" + PROPERTY + "=portable)";
		return load().status();
	}

	/**
	 * A fused op, for graphs that run in this process.
	 *
	 * @param threads threads the op uses, 1 to {@value #MAX_THREADS} (the session's intra-op count)
	 * @param inputs the op's inputs, in the order of {@link Fusion#inputs()}
	 * @throws IllegalStateException if the kernels are not {@link #available()}
	 */
	public static Operand<TFloat32> fused(Ops tf, Fusion fusion, int threads, Operand<?>... inputs) {
		if (threads < 1 || threads > MAX_THREADS)
			throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS + ", got " + threads);
		checkInputs(fusion, inputs);
		if (!available())
			throw new IllegalStateException("fused CPU kernels are not available: " + status());
		org.tensorflow.OperationBuilder op = tf.scope().opBuilder(fusion.op(), fusion.op());
		for (Operand<?> in : inputs)
			op.addInput(in.asOutput());
		return op.setAttr("threads", (long) threads).build().output(0);
	}

	/** TensorFlow ops computing what a fused op computes. */
	@FunctionalInterface
	public interface PortableForm {
		/**
		 * The portable ops on the marked inputs.
		 *
		 * @param inputs the marked inputs, in the order of {@link Fusion#inputs()}
		 */
		Operand<TFloat32> build(Ops tf, List<Operand<?>> inputs);

		/** Input i of {@link #build}'s inputs as a float operand (the fusions' float inputs). */
		@SuppressWarnings("unchecked")
		static Operand<TFloat32> floatInput(List<Operand<?>> inputs, int i) {
			return (Operand<TFloat32>) inputs.get(i);
		}
	}

	/**
	 * The portable form inside the fusion's {@link Fusion#mark() mark}, which
	 * {@link FusedKernelRewrite} recognises: Identity ops named by the fusion's inputs in front of
	 * the portable ops and {@code output} after them (Identity ops cost nothing; inputs the portable
	 * form does not read, such as a stride the Java code knows, are left without consumers).
	 *
	 * @param inputs the op's inputs, in the order of {@link Fusion#inputs()}
	 */
	public static Operand<TFloat32> marked(Ops tf, Fusion fusion, PortableForm portable, Operand<?>... inputs) {
		checkInputs(fusion, inputs);
		Ops mark = tf.withSubScope(fusion.mark());
		List<Operand<?>> marked = new java.util.ArrayList<>();
		for (int i = 0; i < inputs.length; i++)
			marked.add(identity(mark.withName(fusion.inputs().get(i)), inputs[i]));
		return mark.withName("output").identity(portable.build(mark, marked));
	}

	private static <T extends org.tensorflow.types.family.TType> Operand<T> identity(Ops tf, Operand<T> input) {
		return tf.identity(input);
	}

	private static void checkInputs(Fusion fusion, Operand<?>[] inputs) {
		if (inputs.length != fusion.inputs().size())
			throw new IllegalArgumentException(fusion.op() + " takes " + fusion.inputs() + ", got " + inputs.length + " inputs");
	}

	private static synchronized State load() {
		if (state == null)
			state = compileAndLoad();
		return state;
	}

	private static State compileAndLoad() {
		if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"))
			return unavailable("built on Linux only");
		try {
			TensorFlow.version(); // loads TensorFlow's native library, whose path the kernels link to
			Path framework = loadedLibrary("libtensorflow_framework.so")
					.orElseThrow(() -> new KernelCompiler.CompileException("libtensorflow_framework.so is not loaded"));
			double[] compileSeconds = { Double.NaN };
			Path library = KernelCompiler.library(source(), framework, KernelCompiler.cacheFolder(),
					s -> compileSeconds[0] = s);
			TensorFlow.loadLibrary(library.toString());
			String how = Double.isNaN(compileSeconds[0]) ? "cached"
					: String.format(Locale.ROOT, "compiled in %.1f s", compileSeconds[0]);
			String status = "fused CPU kernels (" + library + ", " + how + ")";
			LOG.info(status);
			return new State(true, status);
		} catch (KernelCompiler.CompileException e) {
			return unavailable(e.getMessage());
		} catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
			return unavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
		}
	}

	private static State unavailable(String why) {
		LOG.warning("fused CPU kernels unavailable, TensorFlow's ops run instead: " + why);
		return new State(false, "TensorFlow's ops (fused CPU kernels unavailable: " + why + ")");
	}

	private static byte[] source() throws IOException {
		try (InputStream in = FusedKernels.class.getResourceAsStream(SOURCE)) {
			if (in == null)
				throw new IOException(SOURCE + " is missing from the class path");
			return in.readAllBytes();
		}
	}

	/** The file of a native library this process has mapped whose name starts with {@code prefix} ({@code /proc/self/maps}). */
	static Optional<Path> loadedLibrary(String prefix) {
		try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
			return maps.map(l -> l.indexOf('/') < 0 ? null : l.substring(l.indexOf('/')).trim())
					.filter(p -> p != null && Path.of(p).getFileName().toString().startsWith(prefix)).findFirst()
					.map(Path::of);
		} catch (IOException | RuntimeException e) {
			return Optional.empty();
		}
	}
}
