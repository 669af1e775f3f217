package org.volseg.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.volseg.model.Preprocessing;

/**
 * Everything a training run needs. A plain mutable holder filled by the CLI or by code; the
 * defaults are the ones listed on each field. {@link Trainer#run} reads it once at the start.
 */
public final class TrainingOptions {

	/** Architecture registry name ({@link org.volseg.nets.Architectures#names()}); ignored with {@link #initModel}. */
	public String architecture;
	/** The architecture's keyword arguments; those that follow from the data and patch are set by {@link org.volseg.nets.Architecture#withDataShape}. */
	public Map<String, Object> networkConfig;
	/** A model package to start from (its network, weights, classes and preprocessing), or null. */
	public Path initModel;
	/** A checkpoint to start from (a state_dict: torch.save file or safetensors), or null. */
	public Path initWeights;
	/** Key of the state dict inside {@link #initWeights} (see {@code StateDict.read(Path, String)}), or null: automatic. */
	public String checkpointKey;

	public Path images;
	public Path labels;
	/** Output folder: checkpoints, the model package ({@code model/}) and {@code training-report.json}. */
	public Path out;

	public int epochs = 20;
	/** Optimiser steps per epoch. */
	public int stepsPerEpoch = 100;
	/** (x, y, z) patch size on the model grid. */
	public int[] patch = { 96, 96, 32 };
	public int batch = 2;
	/** Peak learning rate. */
	public double learningRate = 3e-4;
	/** Fraction of all steps spent in linear warm-up. */
	public double warmupFraction = 0.05;
	/** Final learning rate as a fraction of the peak (cosine decay). */
	public double minLearningRateFraction = 0.02;
	/** AdamW decoupled weight decay (0: Adam). */
	public double weightDecay = 1e-5;
	/** Fraction of cases held out for validation (at least one when there are two or more cases). */
	public double valFraction = 0.2;
	public long seed = 0;
	/** Probability that a patch is centred on a foreground voxel (nnU-Net: 1/3). */
	public double foregroundFraction = 1.0 / 3;
	public Augmentation augmentation = new Augmentation(new boolean[3], false, 0.05, 0.03);

	/** Number of classes including background; 0 = the largest label found + 1. */
	public int classes;
	/** Class names by label value; missing ones become {@code classN}. */
	public List<String> classNames = new ArrayList<>();
	/** Target spacing (mm) of the model grid, or null to keep each scan's spacing. */
	public double[] targetSpacingMm;
	/** Orientation code of the model grid (for example {@code LPS}), or null to keep each scan's axes. */
	public String targetOrientation;
	/** Intensity steps of the model (for CT: clip then scale_linear). */
	public List<Preprocessing> preprocessing = new ArrayList<>();

	/** Name of the exported model (rdf.yaml {@code name}). */
	public String modelName = "volseg-model";
	/** Extra description line recorded in the model (for example the training command). */
	public String command;
	/** Sliding-window batch during validation. */
	public int validationBatch = 2;
	/** TensorFlow threads per op (0: all cores). */
	public int threads;
	/** Validate every this many epochs (the last epoch is always validated). */
	public int validateEvery = 1;
	/** Polled before every step: true stops the training with a {@link org.volseg.CancelledException} (no package written). */
	public java.util.function.BooleanSupplier cancel = () -> false;
	/** Told (steps done, steps in all) after every step, on the training thread. */
	public java.util.function.BiConsumer<Long, Long> progress = (done, all) -> { };
}
