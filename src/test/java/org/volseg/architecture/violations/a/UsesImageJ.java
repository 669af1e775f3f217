package org.volseg.architecture.violations.a;

import org.volseg.architecture.violations.b.CallsBack;

/** Breaks three rules on purpose, for {@code ArchitectureTest}: ImageJ outside fiji, a cycle a -> b -> a. */
public final class UsesImageJ {
	public ij.ImagePlus image;
	public CallsBack partner;
}
