package org.volseg.nets.blocks;

import java.util.List;
import java.util.Map;

/**
 * The forms in which MONAI's layer factories ({@code monai.networks.layers.Act}, {@code Norm},
 * {@code split_args}) take a layer: a name ({@code "instance"}, {@code "PRELU"}), a pair
 * {@code [name, {arguments}]} (JSON for Python's tuple {@code ("group", {"num_groups": 8})}) or a
 * one-element {@code [name]}. The one place these forms are told apart; {@link MonaiNorm} and
 * {@link MonaiActivation} then read the name and arguments. Immutable.
 *
 * @param name the name as given (not case-folded)
 * @param args the arguments, empty if none were given
 */
record MonaiLayerArgument(String name, Map<?, ?> args) {

	/** The name and arguments of {@code value}, or null if it has none of the forms above (or is null). */
	static MonaiLayerArgument of(Object value) {
		if (value instanceof String s)
			return new MonaiLayerArgument(s, Map.of());
		if (value instanceof List<?> l && !l.isEmpty() && l.size() <= 2 && l.get(0) instanceof String name) {
			if (l.size() == 1)
				return new MonaiLayerArgument(name, Map.of());
			if (l.get(1) instanceof Map<?, ?> args)
				return new MonaiLayerArgument(name, args);
		}
		return null;
	}
}
