package org.volseg.model;

import java.util.List;
import java.util.Optional;

/**
 * One model input or output ({@code inputs[i]} / {@code outputs[i]}).
 *
 * @param id the tensor id; the name of the SavedModel signature's input or output
 * @param description free text, may be empty
 * @param axes in the order of the tensor's dimensions
 * @param dataType {@code float32} (the only type the engine runs)
 * @param preprocessing steps applied to an input before the network, in order (empty for outputs)
 */
public record TensorDescriptor(String id, String description, List<Axis> axes, String dataType,
		List<Preprocessing> preprocessing) {

	public TensorDescriptor {
		axes = List.copyOf(axes);
		preprocessing = List.copyOf(preprocessing);
	}

	/** The index of the first axis of the given type, or -1. */
	public int indexOf(AxisType type) {
		for (int i = 0; i < axes.size(); i++)
			if (axes.get(i).type() == type)
				return i;
		return -1;
	}

	/** The index of the axis with the given id, or -1. */
	public int indexOf(String axisId) {
		for (int i = 0; i < axes.size(); i++)
			if (axes.get(i).id().equals(axisId))
				return i;
		return -1;
	}

	/** The axis with the given id. */
	public Optional<Axis> axis(String axisId) {
		int i = indexOf(axisId);
		return i < 0 ? Optional.empty() : Optional.of(axes.get(i));
	}

	/** The number of channels (the fixed size of the channel axis), or 1 without a channel axis. */
	public int channels() {
		int c = indexOf(AxisType.CHANNEL);
		if (c < 0)
			return 1;
		AxisSize s = axes.get(c).size();
		return s instanceof AxisSize.Fixed f ? f.value() : axes.get(c).channelNames().size();
	}
}
