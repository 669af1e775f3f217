package org.volseg.batch;

import java.nio.file.Path;
import java.util.List;

/**
 * What a batch run did.
 *
 * @param rows the rows this run finished, in order
 * @param inputs inputs this run had to go through (its shard's share)
 * @param inputsVisited inputs it went through (fewer if stopped)
 * @param stopped true if it was stopped (see {@link BatchCancellation}) before the last input
 * @param summary the summary file
 */
public record BatchReport(List<SummaryRow> rows, int inputs, int inputsVisited, boolean stopped, Path summary) {

	public BatchReport {
		rows = List.copyOf(rows);
	}

	public long done() {
		return count(BatchStatus.DONE);
	}

	public long skipped() {
		return count(BatchStatus.SKIPPED);
	}

	public long failed() {
		return count(BatchStatus.FAILED);
	}

	private long count(BatchStatus status) {
		return rows.stream().filter(r -> r.status() == status).count();
	}
}
