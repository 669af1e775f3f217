package org.volseg.model;

import java.util.List;

import org.volseg.VolSegException;

/**
 * A model package (its folder, {@code .zip} or {@code rdf.yaml}) cannot be used. Holds every problem
 * found, each naming the field or file it concerns, so a user can fix them all in one pass.
 */
public class ModelPackageException extends VolSegException {

	private static final long serialVersionUID = 1L;

	private final String source;
	private final List<String> problems;

	/**
	 * @param source the package, zip or descriptor file the problems were found in (as shown to the user)
	 * @param problems one line per problem, for example
	 *        {@code inputs[0].axes[2].size: expected a positive integer, got -3}; at least one
	 */
	public ModelPackageException(String source, List<String> problems) {
		super(format(source, problems));
		this.source = source;
		this.problems = List.copyOf(problems);
	}

	/** One problem with a cause (an I/O or YAML error). */
	public ModelPackageException(String source, String problem, Throwable cause) {
		super(format(source, List.of(problem)), cause);
		this.source = source;
		this.problems = List.of(problem);
	}

	/** The package, zip or file the problems concern. */
	public String source() {
		return source;
	}

	/** Every problem found, in the order found; never empty. */
	public List<String> problems() {
		return problems;
	}

	private static String format(String source, List<String> problems) {
		if (problems.size() == 1)
			return source + ": " + problems.get(0);
		StringBuilder sb = new StringBuilder(source).append(": ").append(problems.size()).append(" problems:");
		for (String p : problems)
			sb.append(System.lineSeparator()).append("  - ").append(p);
		return sb.toString();
	}
}
