package org.volseg.model;

/**
 * An author of a model (bioimage.io {@code authors[i]}).
 *
 * @param name required
 * @param affiliation or {@code null}
 * @param email or {@code null}
 */
public record Author(String name, String affiliation, String email) {

	public Author(String name) {
		this(name, null, null);
	}
}
