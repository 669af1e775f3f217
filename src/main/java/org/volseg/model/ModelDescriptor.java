package org.volseg.model;

import java.util.ArrayList;
import java.util.List;

import org.volseg.tiling.BlendMode;

/**
 * A model package's {@code rdf.yaml}: the bioimage.io 0.5 subset VolSeg reads, plus the
 * {@code config.volseg} block. Immutable; build one with {@link #builder()} or read one with
 * {@link DescriptorReader}; write it with {@link DescriptorWriter}.
 *
 * <p>VolSeg runs the first input and the first output: {@link #input()} and {@link #output()}.</p>
 *
 * @param formatVersion bioimage.io format version, {@code 0.5.x}
 * @param name the model's name
 * @param description what it segments, from what kind of image
 * @param authors at least one
 * @param license an SPDX licence id, for example {@code Apache-2.0}
 * @param inputs at least one
 * @param outputs at least one
 * @param weights the SavedModel entry
 * @param volseg the {@code config.volseg} block
 */
public record ModelDescriptor(String formatVersion, String name, String description, List<Author> authors,
		String license, List<TensorDescriptor> inputs, List<TensorDescriptor> outputs, SavedModelWeights weights,
		VolSegConfig volseg) {

	/** The bioimage.io format version VolSeg writes. */
	public static final String FORMAT_VERSION = "0.5.4";

	public ModelDescriptor {
		authors = List.copyOf(authors);
		inputs = List.copyOf(inputs);
		outputs = List.copyOf(outputs);
	}

	/** The input VolSeg feeds. */
	public TensorDescriptor input() {
		return inputs.get(0);
	}

	/** The output VolSeg reads. */
	public TensorDescriptor output() {
		return outputs.get(0);
	}

	/** A builder for the common case: one 5D input and one 5D output, {@code [batch, x, y, z, channel]}. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Builds the descriptor of a 3D segmentation network with channels-last tensors
	 * {@code [batch, x, y, z, channel]}, input id {@code input} and output id {@code output} unless
	 * set. Required: {@link #name}, {@link #inputChannels}, {@link #classes}, {@link #patchSize}.
	 */
	public static final class Builder {
		private String name;
		private String description = "";
		private final List<Author> authors = new ArrayList<>();
		private String license = "Apache-2.0";
		private String inputId = "input";
		private String outputId = "output";
		private List<String> inputChannelNames;
		private final List<Preprocessing> preprocessing = new ArrayList<>();
		private String savedModelSource = "saved_model";
		private String tensorflowVersion = "2.18";
		private List<Double> targetSpacingMm;
		private String targetOrientation;
		private int[] patchSize;
		private double overlap = 0.5;
		private BlendMode blendMode = BlendMode.GAUSSIAN;
		private double sigmaScale = VolSegConfig.DEFAULT_SIGMA_SCALE;
		private OutputActivation activation = OutputActivation.SOFTMAX;
		private NormalizationRegion normalizationRegion = NormalizationRegion.VOLUME;
		private final List<SegmentationClass> classes = new ArrayList<>();
		private NetworkSpec network;
		private MonaiOptions monai;
		private List<String> ttaAxes = List.of();
		private boolean fixedPatchSize = true;
		private int sizeMin = 1;
		private int sizeStep = 1;

		private Builder() {
		}

		public Builder name(String name) { this.name = name; return this; }
		public Builder description(String description) { this.description = description; return this; }
		public Builder author(String name, String affiliation) { authors.add(new Author(name, affiliation, null)); return this; }
		public Builder license(String spdx) { this.license = spdx; return this; }
		public Builder inputId(String id) { this.inputId = id; return this; }
		public Builder outputId(String id) { this.outputId = id; return this; }

		/** Number of input channels; names them {@code channel0}, {@code channel1}, ... */
		public Builder inputChannels(int n) {
			List<String> names = new ArrayList<>();
			for (int i = 0; i < n; i++)
				names.add("channel" + i);
			this.inputChannelNames = names;
			return this;
		}

		/** Input channel names (modalities, for example {@code [CT]} or {@code [T1, T2, FLAIR]}). */
		public Builder inputChannelNames(List<String> names) { this.inputChannelNames = List.copyOf(names); return this; }
		public Builder preprocessing(Preprocessing step) { preprocessing.add(step); return this; }
		public Builder savedModelSource(String folder) { this.savedModelSource = folder; return this; }
		public Builder tensorflowVersion(String version) { this.tensorflowVersion = version; return this; }
		/** Target spacing (x, y, z) in mm. */
		public Builder targetSpacingMm(double x, double y, double z) { this.targetSpacingMm = List.of(x, y, z); return this; }
		public Builder targetOrientation(String code) { this.targetOrientation = code; return this; }
		/** Patch size (x, y, z) in voxels. */
		public Builder patchSize(int x, int y, int z) { this.patchSize = new int[] { x, y, z }; return this; }
		/**
		 * Whether the network only accepts exactly the patch size (default {@code true}); {@code false}
		 * declares space axes of any size, {@code {min: 1, step: 1}} (fully convolutional networks).
		 */
		public Builder fixedPatchSize(boolean fixed) { this.fixedPatchSize = fixed; return this; }
		/**
		 * Declares space axes of the sizes {@code min + n * step} (n &ge; 0), {@code {min, step}} in
		 * rdf.yaml: the network runs on any of them (implies {@code fixedPatchSize(false)}).
		 */
		public Builder patchSizeRule(int min, int step) {
			this.fixedPatchSize = false;
			this.sizeMin = min;
			this.sizeStep = step;
			return this;
		}
		public Builder overlap(double overlap) { this.overlap = overlap; return this; }
		public Builder blendMode(BlendMode mode) { this.blendMode = mode; return this; }
		public Builder sigmaScale(double sigmaScale) { this.sigmaScale = sigmaScale; return this; }
		public Builder outputActivation(OutputActivation activation) { this.activation = activation; return this; }
		public Builder normalizationRegion(NormalizationRegion region) { this.normalizationRegion = region; return this; }
		/** Adds the class of the next output channel. */
		public Builder addClass(int label, String name, int red, int green, int blue) {
			classes.add(new SegmentationClass(label, name, red, green, blue));
			return this;
		}
		/** Adds the class of the next output channel (with its SNOMED CT code, if any). */
		public Builder addClass(SegmentationClass c) {
			classes.add(java.util.Objects.requireNonNull(c, "class"));
			return this;
		}
		public Builder network(NetworkSpec network) { this.network = network; return this; }
		/** What a model imported from a MONAI bundle declares about its postprocessing. */
		public Builder monai(MonaiOptions monai) { this.monai = monai; return this; }

		/** @param axes default test-time mirroring axes ({@code x}, {@code y}, {@code z}); empty for none */
		public Builder ttaAxes(List<String> axes) { this.ttaAxes = List.copyOf(axes); return this; }

		/**
		 * @throws ModelPackageException listing every problem of the result (see
		 *         {@link DescriptorValidator})
		 */
		public ModelDescriptor build() {
			if (patchSize == null)
				throw new ModelPackageException("model descriptor", List.of("config.volseg.patch_size: not set"));
			List<Axis> inAxes = spatialAxes(inputChannelNames == null ? List.of() : inputChannelNames);
			List<String> classNames = new ArrayList<>();
			for (SegmentationClass c : classes)
				classNames.add(c.name());
			List<Axis> outAxes = new ArrayList<>();
			outAxes.add(Axis.batch());
			for (int i = 0; i < 3; i++)
				outAxes.add(Axis.space("xyz".substring(i, i + 1),
						new AxisSize.Reference(inputId, "xyz".substring(i, i + 1), 0)));
			outAxes.add(Axis.channel(classNames));
			List<Author> as = authors.isEmpty() ? List.of(new Author("VolSeg")) : authors;
			ModelDescriptor d = new ModelDescriptor(FORMAT_VERSION, name, description, as, license,
					List.of(new TensorDescriptor(inputId, "", inAxes, "float32", preprocessing)),
					List.of(new TensorDescriptor(outputId, "", outAxes, "float32", List.of())),
					new SavedModelWeights(savedModelSource, tensorflowVersion),
					new VolSegConfig(targetSpacingMm, targetOrientation,
							List.of(patchSize[0], patchSize[1], patchSize[2]), overlap, blendMode, sigmaScale,
							activation, normalizationRegion, classes, network, monai, ttaAxes));
			DescriptorValidator.requireValid(d, "model descriptor");
			return d;
		}

		private List<Axis> spatialAxes(List<String> channelNames) {
			List<Axis> axes = new ArrayList<>();
			axes.add(Axis.batch());
			for (int i = 0; i < 3; i++) {
				AxisSize size = fixedPatchSize ? new AxisSize.Fixed(patchSize[i]) : new AxisSize.Parameterized(sizeMin, sizeStep);
				axes.add(Axis.space("xyz".substring(i, i + 1), size));
			}
			axes.add(Axis.channel(channelNames));
			return axes;
		}
	}
}
