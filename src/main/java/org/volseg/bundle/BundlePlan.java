package org.volseg.bundle;

import java.util.List;
import java.util.Map;

import org.volseg.model.MonaiOptions;
import org.volseg.model.OutputActivation;
import org.volseg.model.Preprocessing;

/**
 * What a MONAI bundle's inference config asks for, in VolSeg's terms: the network, the grid and
 * intensity preprocessing, the sliding window and the postprocessing. Made by
 * {@link BundleTranslator}; immutable.
 *
 * @param name the bundle's name ({@code metadata.json} {@code name}, else the folder name)
 * @param description from {@code metadata.json}
 * @param architecture VolSeg's architecture name ({@code swinunetr}, {@code segresnet}, {@code unet}, ...)
 * @param kwargs the network's keyword arguments as the bundle gives them (VolSeg-only arguments
 *        such as SwinUNETR's {@code patch_merging_order} added)
 * @param inputChannelNames one per input channel ({@code metadata.json} inputs.image.channel_def)
 * @param classNames one per output channel ({@code metadata.json} outputs.pred.channel_def)
 * @param orientation Orientationd's axcodes, or {@code null}
 * @param spacingMm Spacingd's pixdim (x, y, z), or {@code null}
 * @param preprocessing the intensity steps, in order, one per MONAI intensity transform (each with its own
 *        statistics region)
 * @param roi SlidingWindowInferer roi_size (x, y, z)
 * @param swBatchSize windows per network call
 * @param overlap window overlap
 * @param gaussian whether windows are blended with a gaussian (else constant)
 * @param sigmaScale gaussian sigma as a fraction of the window
 * @param activation softmax, sigmoid or none
 * @param monai postprocessing details recorded in the package
 * @param problems what the config asks that VolSeg cannot do, one line each naming the config id
 *        and transform; an import refuses them unless forced
 * @param notes things accepted but worth saying (ignored keys, readers)
 */
public record BundlePlan(String name, String description, String architecture, Map<String, Object> kwargs,
		List<String> inputChannelNames, List<String> classNames, String orientation, double[] spacingMm,
		List<Preprocessing> preprocessing, int[] roi, int swBatchSize,
		double overlap, boolean gaussian, double sigmaScale, OutputActivation activation, MonaiOptions monai,
		List<String> problems, List<String> notes) {

	public BundlePlan {
		inputChannelNames = List.copyOf(inputChannelNames);
		classNames = List.copyOf(classNames);
		preprocessing = List.copyOf(preprocessing);
		problems = List.copyOf(problems);
		notes = List.copyOf(notes);
	}
}
