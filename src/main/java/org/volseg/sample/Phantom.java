package org.volseg.sample;

import org.volseg.volume.Volume;

/**
 * One generated case: a CT image in Hounsfield units and its label image ({@link PhantomLabels}) on
 * the same grid and geometry.
 *
 * @param image HU values (x, y, z)
 * @param labels label values 0 to 6 as floats, same dimensions and geometry as {@code image}
 * @param seed the seed that reproduces this case
 * @param description one line with the seed and the main random parameters
 */
public record Phantom(Volume image, Volume labels, long seed, String description) {
}
