package org.volseg.model;

import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * SnakeYAML's safe constructor, except that a scalar it cannot turn into the type its tag names
 * ({@code !!int abc}, {@code !!binary '%%%'}, {@code !!timestamp x}) is a {@link YAMLException}
 * with the position in the file, not the {@code NumberFormatException} or
 * {@code IllegalArgumentException} SnakeYAML lets through. Not thread-safe (one per load).
 */
final class SafeYamlConstructor extends SafeConstructor {

	SafeYamlConstructor(LoaderOptions options) {
		super(options);
		for (Tag tag : List.of(Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.BINARY, Tag.TIMESTAMP, Tag.NULL)) {
			Construct plain = yamlConstructors.get(tag);
			if (plain != null)
				yamlConstructors.put(tag, new Checked(plain, tag));
		}
	}

	private record Checked(Construct plain, Tag tag) implements Construct {

		@Override
		public Object construct(Node node) {
			try {
				return plain.construct(node);
			} catch (YAMLException e) {
				throw e;
			} catch (RuntimeException e) {
				String value = node instanceof ScalarNode s ? s.getValue() : node.getNodeId().toString();
				if (value.length() > 40)
					value = value.substring(0, 40) + "...";
				throw new YAMLException("'" + value + "' is not a valid " + tag.getValue() + " value ("
						+ e.getClass().getSimpleName() + ")" + node.getStartMark(), e);
			}
		}

		@Override
		public void construct2ndStep(Node node, Object object) {
			plain.construct2ndStep(node, object);
		}
	}
}
