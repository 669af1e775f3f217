package org.volseg.model;

/**
 * The {@code weights.tensorflow_saved_model_bundle} entry of a package.
 *
 * @param source the SavedModel folder, relative to the package root (for example {@code saved_model})
 * @param tensorflowVersion the TensorFlow version that wrote it (for example {@code 2.18})
 */
public record SavedModelWeights(String source, String tensorflowVersion) {
}
