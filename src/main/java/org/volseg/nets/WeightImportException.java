package org.volseg.nets;

import java.util.List;

import org.volseg.VolSegException;

/**
 * A checkpoint does not fit the network built from its configuration: keys are missing, have
 * the wrong shape, or are not used by the network. The message lists all of them.
 */
public class WeightImportException extends VolSegException {

	private static final long serialVersionUID = 1L;

	/** Longest list shown per category in the message. */
	static final int MAX_LISTED = 100;

	private final List<String> missing;
	private final List<String> wrongShape;
	private final List<String> unexpected;

	/**
	 * @param source the weights' file or description
	 * @param network the network's name and configuration, as shown to the user
	 * @param missing keys the network needs that are absent, each as {@code "key [shape]"}
	 * @param wrongShape keys with another shape, each as {@code "key: expected [..], found [..]"}
	 * @param unexpected keys present but not used by the network
	 */
	public WeightImportException(String source, String network, List<String> missing, List<String> wrongShape,
			List<String> unexpected) {
		this(source, network, missing, wrongShape, unexpected, null);
	}

	/**
	 * As above, with a hint on what to do (for example a key prefix to strip), shown first.
	 *
	 * @param hint one sentence, or {@code null}
	 */
	public WeightImportException(String source, String network, List<String> missing, List<String> wrongShape,
			List<String> unexpected, String hint) {
		super(message(source, network, missing, wrongShape, unexpected, hint));
		this.missing = List.copyOf(missing);
		this.wrongShape = List.copyOf(wrongShape);
		this.unexpected = List.copyOf(unexpected);
	}

	/** Missing keys, each {@code "key [shape]"}. */
	public List<String> missing() {
		return missing;
	}

	/** Keys with the wrong shape, each {@code "key: expected [..], found [..]"}. */
	public List<String> wrongShape() {
		return wrongShape;
	}

	/** Keys the network does not use. */
	public List<String> unexpected() {
		return unexpected;
	}

	private static String message(String source, String network, List<String> missing, List<String> wrongShape,
			List<String> unexpected, String hint) {
		StringBuilder sb = new StringBuilder();
		sb.append(source).append(": the weights do not fit ").append(network).append('.');
		if (hint != null) sb.append(' ').append(hint);
		list(sb, "missing", missing);
		list(sb, "wrong shape", wrongShape);
		list(sb, "unexpected (not used by the network)", unexpected);
		if (!wrongShape.isEmpty() || !missing.isEmpty()) {
			sb.append("\nCheck that the configuration (--config, or __metadata__.config of the weights file) is the one"
					+ " the checkpoint was trained with, and that the file holds this architecture's state_dict.");
		} else {
			sb.append("\nThe file holds parameters this network does not have: is it the right architecture?");
		}
		return sb.toString();
	}

	private static void list(StringBuilder sb, String title, List<String> items) {
		if (items.isEmpty()) return;
		sb.append("\n").append(title).append(" (").append(items.size()).append("):");
		for (int i = 0; i < Math.min(items.size(), MAX_LISTED); i++) sb.append("\n  ").append(items.get(i));
		if (items.size() > MAX_LISTED) sb.append("\n  ... and ").append(items.size() - MAX_LISTED).append(" more");
	}
}
