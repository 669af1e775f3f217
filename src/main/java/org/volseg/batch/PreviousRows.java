package org.volseg.batch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What earlier runs wrote in the summaries of an output folder ({@code summary.csv} and every
 * {@code summary-shard-K-of-N.csv}): for each row identity (input, series, output), the row
 * written last (by its {@code finished} time). Not thread-safe.
 */
final class PreviousRows {

	private final Map<String, SummaryRow> latest = new HashMap<>();
	private final Map<String, List<SummaryRow>> byInput = new HashMap<>();
	private final Map<String, SummaryRow> byOutput = new HashMap<>();

	/** Reads the summaries in a folder; unreadable files are passed over (they are only a cache). */
	static PreviousRows read(Path outputFolder, SummaryCsv layout) {
		PreviousRows p = new PreviousRows();
		if (!Files.isDirectory(outputFolder))
			return p;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(outputFolder)) {
			for (Path f : files) {
				String name = f.getFileName().toString();
				if (!(name.equals("summary.csv") || name.startsWith("summary-shard-") && name.endsWith(".csv")))
					continue;
				try {
					for (SummaryRow r : layout.read(f))
						p.add(r);
				} catch (IOException ignored) {
					// a summary that cannot be read is only a lost cache
				}
			}
		} catch (IOException ignored) {
			// as above
		}
		for (SummaryRow r : p.latest.values()) {
			p.byInput.computeIfAbsent(r.input(), k -> new ArrayList<>()).add(r);
			if (!r.output().isEmpty())
				p.byOutput.merge(r.output(), r, (a, b) -> a.finished().compareTo(b.finished()) >= 0 ? a : b);
		}
		for (List<SummaryRow> rows : p.byInput.values())
			rows.sort(Comparator.comparing(SummaryRow::series).thenComparing(SummaryRow::output));
		return p;
	}

	private void add(SummaryRow r) {
		String id = r.input() + '\u0000' + r.series() + '\u0000' + r.output();
		latest.merge(id, r, (a, b) -> a.finished().compareTo(b.finished()) >= 0 ? a : b);
	}

	/** The last rows written for an input (several for a DICOM folder), or an empty list. */
	List<SummaryRow> forInput(String input) {
		return byInput.getOrDefault(input, List.of());
	}

	/** The last row written for an output file, or null. */
	SummaryRow forOutput(String output) {
		return byOutput.get(output);
	}
}
