package org.volseg.model;

import java.util.List;

/**
 * One axis of a model input or output (bioimage.io 0.5 {@code axes[i]}).
 *
 * @param type batch, channel or space
 * @param id the axis id: {@code batch}, {@code channel}, or {@code x}/{@code y}/{@code z} for space axes
 * @param size how many elements the axis holds; for channel axes a {@link AxisSize.Fixed} equal to
 *        the number of {@code channelNames}
 * @param channelNames the channel names (channel axes only, else empty)
 * @param unit the physical unit of a space axis ({@code millimeter}), or {@code null}
 */
public record Axis(AxisType type, String id, AxisSize size, List<String> channelNames, String unit) {

	public Axis {
		channelNames = List.copyOf(channelNames);
	}

	/** A batch axis of any size. */
	public static Axis batch() {
		return new Axis(AxisType.BATCH, "batch", new AxisSize.Any(), List.of(), null);
	}

	/** A channel axis with the given channel names (its size is their number). */
	public static Axis channel(List<String> names) {
		return new Axis(AxisType.CHANNEL, "channel", new AxisSize.Fixed(names.size()), names, null);
	}

	/** A space axis ({@code x}, {@code y} or {@code z}) in millimetres. */
	public static Axis space(String id, AxisSize size) {
		return new Axis(AxisType.SPACE, id, size, List.of(), "millimeter");
	}
}
