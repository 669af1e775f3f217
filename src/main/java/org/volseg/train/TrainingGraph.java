package org.volseg.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.volseg.InvalidParameterException;
import org.volseg.nets.FloatTensor;
import org.volseg.nets.Layers;
import org.volseg.nets.Network;
import org.volseg.nets.ParameterSource;
import org.volseg.nets.StateDict;

/**
 * A network's training graph: forward pass with its parameters as TensorFlow variables, the
 * Dice + cross-entropy loss, the gradients and Adam updates. Owns (and closes) its {@link Graph}
 * and {@link Session}.
 *
 * <p>Layouts: images {@code [batch, x, y, z, channel]} and labels {@code [batch, x, y, z]} row-major
 * (the last index fastest), patches of the fixed size given at build time; logits
 * {@code [batch, x, y, z, classes]}.</p>
 *
 * <p>Loss: mean voxel-wise softmax cross-entropy plus {@code 1 - mean soft Dice} over the
 * foreground classes (1..K-1), Dice computed over the whole batch (nnU-Net's "batch Dice") with
 * smoothing 1e-5. Optimiser: Adam (beta1 0.9, beta2 0.999, eps 1e-8) with an optional decoupled
 * weight decay (AdamW, applied to weights of rank 2 and more only); the learning rate is given per
 * step. Batch-norm running statistics ({@code running_mean}, {@code running_var}) are frozen: the
 * networks' batch norms run in eval mode, as an affine map.</p>
 *
 * <p>Not thread-safe.</p>
 */
final class TrainingGraph implements AutoCloseable {

	static final float BETA1 = 0.9f;
	static final float BETA2 = 0.999f;
	static final float EPSILON = 1e-8f;
	static final float DICE_SMOOTH = 1e-5f;

	private final Network network;
	private final int[] patch;
	private final Graph graph;
	private final Session session;
	private final Placeholder<TFloat32> images;
	private final Placeholder<TInt32> labels;
	private final Placeholder<TFloat32> learningRate;
	private final Placeholder<TFloat32> beta1Power;
	private final Placeholder<TFloat32> beta2Power;
	private final Operand<TFloat32> logits;
	private final Operand<TFloat32> loss;
	private final Operand<TFloat32> crossEntropy;
	private final Operand<TFloat32> diceLoss;
	private final List<Op> updates = new ArrayList<>();
	private final List<Layers.VariableParameter> parameters;
	private final List<String> trainedKeys = new ArrayList<>();
	private long step;

	private TrainingGraph(Network network, int[] patch, Graph graph, Session session, Builder b) {
		this.network = network;
		this.patch = patch.clone();
		this.graph = graph;
		this.session = session;
		this.images = b.images;
		this.labels = b.labels;
		this.learningRate = b.lr;
		this.beta1Power = b.b1p;
		this.beta2Power = b.b2p;
		this.logits = b.logits;
		this.loss = b.loss;
		this.crossEntropy = b.ce;
		this.diceLoss = b.dice;
		this.updates.addAll(b.updates);
		this.parameters = b.parameters;
		this.trainedKeys.addAll(b.trainedKeys);
	}

	/** Graph parts collected while building. */
	private static final class Builder {
		Placeholder<TFloat32> images;
		Placeholder<TInt32> labels;
		Placeholder<TFloat32> lr;
		Placeholder<TFloat32> b1p;
		Placeholder<TFloat32> b2p;
		Operand<TFloat32> logits;
		Operand<TFloat32> loss;
		Operand<TFloat32> ce;
		Operand<TFloat32> dice;
		List<Op> updates = new ArrayList<>();
		List<Layers.VariableParameter> parameters;
		List<String> trainedKeys = new ArrayList<>();
		List<Op> slotInits = new ArrayList<>();
	}

	/**
	 * Builds the training graph and initialises the parameters (from {@code params}) and the Adam
	 * moments (zeros).
	 *
	 * @param patch (x, y, z) size of the training patches; must be a size the network runs on with
	 *        an output of the same size
	 * @param weightDecay decoupled weight decay per unit learning rate (AdamW); 0 for plain Adam
	 * @throws InvalidParameterException if the network does not run on that patch size
	 * @throws org.volseg.nets.WeightImportException if the parameters do not fit the network
	 */
	public static TrainingGraph build(Network network, ParameterSource params, int[] patch, double weightDecay) {
		return build(network, params, patch, weightDecay, 0);
	}

	/**
	 * As {@link #build(Network, ParameterSource, int[], double)}, with the number of threads
	 * TensorFlow uses inside one op ({@code threads} {@code 0}: TensorFlow's default, all cores).
	 */
	public static TrainingGraph build(Network network, ParameterSource params, int[] patch, double weightDecay, int threads) {
		Conv3dGradients.register();
		long[] spatial = { patch[0], patch[1], patch[2] };
		long[] out = network.outputSpatialShape(spatial);
		if (!Arrays.equals(out, spatial)) {
			throw InvalidParameterException.of("--patch", patch[0] + "," + patch[1] + "," + patch[2],
					"a patch size on which " + network.architecture() + " gives an output of the same size (it gives "
							+ Arrays.toString(out) + ")");
		}
		Graph graph = new Graph();
		Session session = null;
		try {
			Ops tf = Ops.create(graph);
			Builder b = new Builder();
			int k = network.outputChannels();
			b.images = tf.withName("input").placeholder(TFloat32.class,
					Placeholder.shape(Shape.of(-1, patch[0], patch[1], patch[2], network.inputChannels())));
			b.labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, patch[0], patch[1], patch[2])));
			b.lr = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			b.b1p = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			b.b2p = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
			Layers layers = new Layers(tf, params, Layers.WeightStorage.VARIABLES, Layers.Purpose.TRAINING);
			b.logits = tf.withName("output").identity(network.build(layers, b.images));
			params.finish();
			b.parameters = List.copyOf(layers.variables());
			buildLoss(tf, b, k);
			buildAdam(tf, b, weightDecay);
			org.tensorflow.proto.ConfigProto.Builder config = org.tensorflow.proto.ConfigProto.newBuilder();
			if (threads > 0) config.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(Math.min(2, threads));
			session = new Session(graph, config.build());
			layers.initializeVariables(session);
			Session.Runner init = session.runner();
			for (Op op : b.slotInits) init.addTarget(op);
			init.run();
			return new TrainingGraph(network, patch, graph, session, b);
		} catch (RuntimeException | Error ex) {
			if (session != null) session.close();
			graph.close();
			throw ex;
		}
	}

	private static void buildLoss(Ops tf, Builder b, int k) {
		Operand<TFloat32> flatLogits = tf.reshape(b.logits, tf.constant(new long[] { -1, k }));
		Operand<TFloat32> oneHot = tf.oneHot(tf.reshape(b.labels, tf.constant(new long[] { -1 })), tf.constant(k),
				tf.constant(1f), tf.constant(0f));
		Operand<TFloat32> perVoxel = tf.nn.softmaxCrossEntropyWithLogits(flatLogits, oneHot).loss();
		b.ce = tf.math.mean(perVoxel, tf.constant(0));
		Operand<TFloat32> prob = tf.nn.softmax(flatLogits);
		Operand<TInt32> voxels = tf.constant(0);
		Operand<TFloat32> intersection = tf.reduceSum(tf.math.mul(prob, oneHot), voxels);
		Operand<TFloat32> sums = tf.math.add(tf.reduceSum(prob, voxels), tf.reduceSum(oneHot, voxels));
		Operand<TFloat32> dicePerClass = tf.math.div(tf.math.add(tf.math.mul(tf.constant(2f), intersection), tf.constant(DICE_SMOOTH)),
				tf.math.add(sums, tf.constant(DICE_SMOOTH)));
		Operand<TFloat32> foreground = k > 1 ? tf.slice(dicePerClass, tf.constant(new int[] { 1 }), tf.constant(new int[] { k - 1 }))
				: dicePerClass;
		b.dice = tf.math.sub(tf.constant(1f), tf.math.mean(foreground, tf.constant(0), Mean.keepDims(false)));
		b.loss = tf.withName("loss").math.add(b.ce, b.dice);
	}

	private static void buildAdam(Ops tf, Builder b, double weightDecay) {
		List<Layers.VariableParameter> trained = new ArrayList<>();
		for (Layers.VariableParameter p : b.parameters) {
			if (!isFrozen(p.key())) trained.add(p);
		}
		List<Operand<?>> xs = new ArrayList<>();
		for (Layers.VariableParameter p : trained) xs.add(p.variable());
		Output<?>[] grads = tf.gradients(b.loss, xs).dy().toArray(new Output<?>[0]);
		Operand<TFloat32> beta1 = tf.constant(BETA1);
		Operand<TFloat32> beta2 = tf.constant(BETA2);
		Operand<TFloat32> eps = tf.constant(EPSILON);
		for (int i = 0; i < trained.size(); i++) {
			Layers.VariableParameter p = trained.get(i);
			if (grads[i] == null) continue;
			Variable<TFloat32> v = p.variable();
			Shape shape = v.shape();
			Variable<TFloat32> m1 = tf.withName(opName(p.key()) + "_adam_m").variable(shape, TFloat32.class);
			Variable<TFloat32> m2 = tf.withName(opName(p.key()) + "_adam_v").variable(shape, TFloat32.class);
			b.slotInits.add(tf.assign(m1, tf.zeros(tf.constant(shape), TFloat32.class)));
			b.slotInits.add(tf.assign(m2, tf.zeros(tf.constant(shape), TFloat32.class)));
			@SuppressWarnings("unchecked")
			Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
			if (weightDecay > 0 && shape.numDimensions() >= 2) {
				// AdamW: the decay var -= lr * wd * var is applied after Adam's update, outside the moments
				// (decoupled); it reads var in the same run, before or after the Adam update, which
				// differs by a term of order lr^2 * wd.
				Operand<TFloat32> decay = tf.math.mul(tf.math.mul(b.lr, tf.constant((float) weightDecay)), v);
				Op adam = tf.train.applyAdam(v, m1, m2, b.b1p, b.b2p, b.lr, beta1, beta2, eps, g);
				b.updates.add(tf.withControlDependencies(List.of(adam)).assignSub(v, decay));
			} else {
				b.updates.add(tf.train.applyAdam(v, m1, m2, b.b1p, b.b2p, b.lr, beta1, beta2, eps, g));
			}
			b.trainedKeys.add(p.key());
		}
	}

	/** Batch-norm running statistics stay fixed. */
	static boolean isFrozen(String key) {
		return key.endsWith(".running_mean") || key.endsWith(".running_var") || key.endsWith(".num_batches_tracked");
	}

	private static String opName(String key) {
		return key.replaceAll("[^A-Za-z0-9_.\\-]", "_");
	}

	/** Loss terms of one step. */
	public record StepLoss(double total, double crossEntropy, double dice) {
	}

	/**
	 * One optimiser step on a batch.
	 *
	 * @param imageBatch {@code batch * x * y * z * channels} floats, layout as the class says
	 * @param labelBatch {@code batch * x * y * z} class indices in {@code [0, classes)}

	 * @param rate this step's learning rate
	 * @return the loss before the update
	 */
	public StepLoss step(float[] imageBatch, int[] labelBatch, int batch, double rate) {
		step++;
		float b1p = (float) Math.pow(BETA1, step);
		float b2p = (float) Math.pow(BETA2, step);
		try (TFloat32 x = imageTensor(imageBatch, batch);
				TInt32 y = TInt32.tensorOf(Shape.of(batch, patch[0], patch[1], patch[2]), DataBuffers.of(labelBatch, true, false));
				TFloat32 lr = TFloat32.scalarOf((float) rate);
				TFloat32 p1 = TFloat32.scalarOf(b1p);
				TFloat32 p2 = TFloat32.scalarOf(b2p)) {
			Session.Runner r = session.runner().feed(images, x).feed(labels, y).feed(learningRate, lr).feed(beta1Power, p1)
					.feed(beta2Power, p2).fetch(loss).fetch(crossEntropy).fetch(diceLoss);
			for (Op u : updates) r.addTarget(u);
			try (Result res = r.run()) {
				return new StepLoss(scalar(res, 0), scalar(res, 1), scalar(res, 2));
			}
		}
	}

	/** The loss on a batch without updating anything. */
	public StepLoss evaluate(float[] imageBatch, int[] labelBatch, int batch) {
		try (TFloat32 x = imageTensor(imageBatch, batch);
				TInt32 y = TInt32.tensorOf(Shape.of(batch, patch[0], patch[1], patch[2]), DataBuffers.of(labelBatch, true, false));
				Result res = session.runner().feed(images, x).feed(labels, y).fetch(loss).fetch(crossEntropy).fetch(diceLoss).run()) {
			return new StepLoss(scalar(res, 0), scalar(res, 1), scalar(res, 2));
		}
	}

	/** Logits {@code [batch, x, y, z, classes]} for a batch of patches. */
	public float[] predict(float[] imageBatch, int batch) {
		try (TFloat32 x = imageTensor(imageBatch, batch); Result res = session.runner().feed(images, x).fetch(logits).run()) {
			TFloat32 out = (TFloat32) res.get(0);
			float[] data = new float[Math.toIntExact(out.size())];
			out.copyTo(DataBuffers.of(data, false, false));
			return data;
		}
	}

	/** The current parameters in the reference (PyTorch) layout, by state_dict key, frozen ones included. */
	public StateDict stateDict() {
		Map<String, FloatTensor> tensors = new LinkedHashMap<>();
		for (Layers.VariableParameter p : parameters) {
			try (Result res = session.runner().fetch(p.variable()).run()) {
				TFloat32 t = (TFloat32) res.get(0);
				float[] data = new float[Math.toIntExact(t.size())];
				t.copyTo(DataBuffers.of(data, false, false));
				tensors.put(p.key(), p.toTorchLayout(new FloatTensor(t.shape().asArray(), data)));
			}
		}
		return new StateDict(tensors, "training step " + step);
	}

	/** The network's parameters as variables, in creation order. */
	public List<Layers.VariableParameter> variables() {
		return parameters;
	}

	/** Sets a variable to a value of its own (TensorFlow-layout) shape; the Adam moments are not touched. */
	void assign(Layers.VariableParameter p, org.tensorflow.Tensor value) {
		String name = Layers.opName(p.key());
		session.runner().feed(name + "_value", value).addTarget(name + "_assign").run();
	}

	private TFloat32 imageTensor(float[] data, int batch) {
		long expected = (long) batch * patch[0] * patch[1] * patch[2] * network.inputChannels();
		if (batch < 1 || data.length != expected) {
			throw new IllegalArgumentException("image batch has " + data.length + " floats, expected " + expected);
		}
		return TFloat32.tensorOf(Shape.of(batch, patch[0], patch[1], patch[2], network.inputChannels()),
				DataBuffers.of(data, true, false));
	}

	private static double scalar(Result res, int i) {
		return ((TFloat32) res.get(i)).getFloat();
	}

	/** Number of optimiser steps taken. */
	public long steps() {
		return step;
	}

	/** Keys of the parameters the optimiser updates. */
	public List<String> trainedKeys() {
		return List.copyOf(trainedKeys);
	}

	/** Number of trained scalar parameters. */
	public long trainedParameterCount() {
		long n = 0;
		for (Layers.VariableParameter p : parameters) {
			if (trainedKeys.contains(p.key())) n += FloatTensor.elementCount(p.torchShape());
		}
		return n;
	}

	public Network network() {
		return network;
	}

	public int[] patchSize() {
		return patch.clone();
	}

	@Override
	public void close() {
		session.close();
		graph.close();
	}
}
