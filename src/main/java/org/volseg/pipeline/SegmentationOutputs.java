package org.volseg.pipeline;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.volseg.model.ModelDescriptor;
import org.volseg.volume.Volume;

/**
 * What a segmentation hands its {@link OutputSink}s, all on the input scan's grid.
 *
 * <p>Large logits and probabilities are views of temporary files ({@link org.volseg.volume.FloatFile},
 * see {@code FloatOutputs}): read-only, read plane by plane on demand, and valid only during
 * {@link OutputSink#write}; a sink that needs them afterwards copies what it needs.</p>
 *
 * @param labels the label map (x, y, z)
 * @param logits blended raw outputs (x, y, z, class), or null unless a sink asked for them
 * @param probabilities class probabilities (x, y, z, class), or null unless a sink asked for them
 * @param scan the input scan as read (not preprocessed), or null unless a sink asked for it
 * @param source the input file or folder, or null for an in-memory volume
 * @param series the DICOM series segmented, a SeriesNumber or SeriesInstanceUID (null: the main series of
 *        {@code source})
 * @param model the model's descriptor (class names, colours, codes; its name)
 * @param warnings where a sink reports what the user should know (the segmentation listener)
 */
public record SegmentationOutputs(Volume labels, Volume logits, Volume probabilities, Volume scan, Path source,
		String series, ModelDescriptor model, Consumer<String> warnings) {}
