package org.volseg.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.volseg.InvalidParameterException;

/**
 * One of {@code count} deterministic partitions of a batch's inputs, numbered from 1: after the
 * inputs are sorted (see {@link BatchInputs}), the input at 0-based position {@code p} belongs to
 * shard {@code p mod count + 1} (round robin, so shards get equal shares to within one input).
 * Every process of a cluster job that sees the same input list therefore takes a disjoint share,
 * and together they cover every input exactly once, with no coordination. Immutable.
 *
 * @param index K, from 1 to {@code count}
 * @param count N, at least 1
 */
public record Shard(int index, int count) {

	/** The whole batch (shard 1 of 1). */
	public static final Shard ALL = new Shard(1, 1);

	private static final Pattern FORM = Pattern.compile("\\s*(-?\\d{1,9})\\s*/\\s*(-?\\d{1,9})\\s*");

	/** @throws InvalidParameterException naming {@code --shard} unless 1 &lt;= index &lt;= count */
	public Shard {
		if (count < 1 || index < 1 || index > count)
			throw invalid(index + "/" + count);
	}

	/**
	 * Parses {@code K/N}.
	 *
	 * @throws InvalidParameterException naming {@code --shard} for anything else
	 */
	public static Shard parse(String text) {
		Matcher m = text == null ? null : FORM.matcher(text);
		if (m == null || !m.matches())
			throw invalid(text);
		return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
	}

	private static InvalidParameterException invalid(Object value) {
		return InvalidParameterException.of("--shard", value, "K/N with 1 <= K <= N, for example 2/8 (a SLURM array "
				+ "--array=1-N gives ${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}; for --array=0-(N-1) use "
				+ "$((SLURM_ARRAY_TASK_ID + 1))/${SLURM_ARRAY_TASK_COUNT}; a task resubmitted alone, --array=K, has "
				+ "SLURM_ARRAY_TASK_COUNT=1: give N itself, as docs/slurm/volseg-array.sh does with VOLSEG_SHARDS)");
	}

	/** True if the input at this 0-based position of the sorted list belongs to this shard. */
	public boolean includes(int position) {
		return position % count == index - 1;
	}

	/** This shard's share of a sorted list, in order. */
	public <T> List<T> select(List<T> sorted) {
		List<T> mine = new ArrayList<>();
		for (int p = 0; p < sorted.size(); p++)
			if (includes(p))
				mine.add(sorted.get(p));
		return mine;
	}

	/** True for shard 1 of 1. */
	public boolean isAll() {
		return count == 1;
	}

	/** {@code summary.csv} for the whole batch, {@code summary-shard-K-of-N.csv} for a shard. */
	public String summaryFileName() {
		return isAll() ? "summary.csv" : "summary-shard-" + index + "-of-" + count + ".csv";
	}

	@Override
	public String toString() {
		return index + "/" + count;
	}
}
