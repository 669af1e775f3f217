package org.volseg.model;

import java.util.Map;

/**
 * Which network a package holds, so that it can be rebuilt (for fine-tuning) or re-exported:
 * {@code config.volseg.network}.
 *
 * @param architecture for example {@code unetr} or {@code segformer3d}
 * @param config the constructor arguments of the network (as the reference implementation names
 *        them, for example MONAI's UNETR keyword arguments): strings, numbers, booleans, lists and
 *        maps; an unmodifiable deep copy
 */
public record NetworkSpec(String architecture, Map<String, Object> config) {

	public NetworkSpec {
		config = YamlValues.deepUnmodifiable(config);
	}
}
