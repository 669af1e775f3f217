package org.volseg.engine;

import java.util.List;

import org.volseg.model.Axis;
import org.volseg.model.TensorDescriptor;

/**
 * Maps between VolSeg's patch layout {@code [batch, x, y, z, channel]} and the axis order a model
 * declares (for example {@code [batch, channel, z, y, x]}). Immutable.
 */
final class AxisOrder {

	/** VolSeg's layout, by axis id. */
	static final List<String> STANDARD = List.of("batch", "x", "y", "z", "channel");

	/** {@code toModel[i]}: which standard axis is the model's axis i. */
	private final int[] toModel;

	private AxisOrder(int[] toModel) {
		this.toModel = toModel;
	}

	/** The order of a validated descriptor tensor (one batch, channel, x, y, z axis each). */
	static AxisOrder of(TensorDescriptor t) {
		int[] perm = new int[t.axes().size()];
		for (int i = 0; i < perm.length; i++)
			perm[i] = standardIndex(t.axes().get(i));
		return new AxisOrder(perm);
	}

	private static int standardIndex(Axis a) {
		return switch (a.type()) {
			case BATCH -> 0;
			case CHANNEL -> 4;
			case SPACE -> 1 + "xyz".indexOf(a.id());
		};
	}

	boolean isStandard() {
		for (int i = 0; i < toModel.length; i++)
			if (toModel[i] != i)
				return false;
		return true;
	}

	/** The permutation that transposes a standard-layout tensor into the model's order. */
	int[] standardToModel() {
		return toModel.clone();
	}

	/** The permutation that transposes a model-order tensor into the standard layout. */
	int[] modelToStandard() {
		int[] inv = new int[toModel.length];
		for (int i = 0; i < toModel.length; i++)
			inv[toModel[i]] = i;
		return inv;
	}

	/** Dimensions in the model's order, given standard-layout dimensions. */
	long[] modelShape(long[] standard) {
		long[] m = new long[toModel.length];
		for (int i = 0; i < m.length; i++)
			m[i] = standard[toModel[i]];
		return m;
	}

	/** Standard-layout dimensions, given model-order dimensions. */
	long[] standardShape(long[] model) {
		long[] s = new long[toModel.length];
		for (int i = 0; i < s.length; i++)
			s[toModel[i]] = model[i];
		return s;
	}
}
