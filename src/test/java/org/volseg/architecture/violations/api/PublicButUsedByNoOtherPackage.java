package org.volseg.architecture.violations.api;

/** Breaks the public-API rule on purpose: public, not documented, named by no other package. */
public final class PublicButUsedByNoOtherPackage {

	/** Used only here, so it could be package-private. */
	static int answer() {
		return 42;
	}
}
