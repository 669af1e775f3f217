package org.volseg.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.volseg.VolSegException;
import org.volseg.util.AtomicFiles;
import org.volseg.model.SegmentationClass;

/**
 * The layout of a batch's {@code summary.csv}: the columns {@code input, output, status, error,
 * seconds, device, series, finished}, then two per class of the model except the background
 * (label 0): {@code NAME_voxels} and {@code NAME_ml} (NAME: the class name from the model's
 * descriptor; {@code label<L>} if it has none; {@code NAME_<L>} if two classes share a name).
 * Numbers use a dot as decimal separator; fields are quoted as RFC 4180 says. Immutable.
 */
public final class SummaryCsv {

	/** Appended after the label columns (issue 16): what made each output, so a rerun can tell. */
	private static final List<String> RECORD = List.of("model", "settings");
	private static final List<String> FIXED = List.of("input", "output", "status", "error", "seconds", "device", "series",
			"finished");

	/** Label -> column name stem, in class order. */
	private final Map<Integer, String> labelColumns;

	/** @param classes the model's classes (its descriptor's {@code config.volseg.classes}) */
	public SummaryCsv(List<SegmentationClass> classes) {
		Map<Integer, String> columns = new LinkedHashMap<>();
		Set<String> used = new HashSet<>(FIXED);
		for (SegmentationClass c : classes) {
			if (c.label() == 0 || columns.containsKey(c.label()))
				continue;
			String name = c.name() == null || c.name().isBlank() ? "label" + c.label() : c.name().strip();
			if (used.contains(name + "_voxels"))
				name = name + "_" + c.label();
			used.add(name + "_voxels");
			columns.put(c.label(), name);
		}
		this.labelColumns = Collections.unmodifiableMap(columns);
	}

	/** The labels that have columns, in column order. */
	public List<Integer> labels() {
		return List.copyOf(labelColumns.keySet());
	}

	/** Every column name, in order. */
	public List<String> header() {
		List<String> h = new ArrayList<>(FIXED);
		for (String name : labelColumns.values()) {
			h.add(name + "_voxels");
			h.add(name + "_ml");
		}
		h.addAll(RECORD);
		return h;
	}

	/** The whole file: the header, then the rows in order. */
	public String render(List<SummaryRow> rows) {
		StringBuilder b = new StringBuilder(Csv.line(header()));
		for (SummaryRow r : rows) {
			List<String> f = new ArrayList<>();
			f.add(r.input());
			f.add(r.output());
			f.add(r.status().id());
			f.add(r.error().replace("\r", " ").replace("\n", " "));
			f.add(Double.isNaN(r.seconds()) ? "" : String.format(Locale.ROOT, "%.3f", r.seconds()));
			f.add(r.device());
			f.add(r.series());
			f.add(r.finished());
			for (int label : labelColumns.keySet()) {
				LabelVolume v = r.labels() == null ? null : r.labels().getOrDefault(label, new LabelVolume(0, 0));
				f.add(v == null ? "" : Long.toString(v.voxels()));
				f.add(v == null ? "" : String.format(Locale.ROOT, "%.6f", v.millilitres()));
			}
			f.add(r.model());
			f.add(r.settings());
			b.append(Csv.line(f));
		}
		return b.toString();
	}

	/** Writes the file atomically (a temporary file in the same folder, then a rename). */
	public void write(Path file, List<SummaryRow> rows) {
		try {
			AtomicFiles.writeString(file, render(rows));
		} catch (IOException e) {
			throw new VolSegException(file + ": cannot write the batch summary (" + e.getMessage()
					+ "); check the output folder is writable", e);
		}
	}

	/**
	 * Reads a summary written by any VolSeg batch run. Label counts are kept only for this layout's
	 * label columns; a row lacking any of them has null {@link SummaryRow#labels()}. Lines that
	 * cannot be parsed are left out.
	 *
	 * @throws IOException if the file cannot be read
	 */
	public List<SummaryRow> read(Path file) throws IOException {
		List<Csv.Record> records;
		try {
			records = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
		} catch (IllegalArgumentException e) {
			return List.of();
		}
		if (records.isEmpty())
			return List.of();
		List<String> header = records.get(0).fields();
		Map<String, Integer> at = new LinkedHashMap<>();
		for (int i = 0; i < header.size(); i++)
			at.put(header.get(i), i);
		for (String name : List.of("input", "output", "status"))
			if (!at.containsKey(name))
				return List.of();
		List<SummaryRow> rows = new ArrayList<>();
		for (Csv.Record r : records.subList(1, records.size())) {
			List<String> f = r.fields();
			BatchStatus status = BatchStatus.ofId(field(f, at, "status"));
			if (status == null)
				continue;
			Map<Integer, LabelVolume> labels = new LinkedHashMap<>();
			try {
				for (Map.Entry<Integer, String> c : labelColumns.entrySet()) {
					String voxels = field(f, at, c.getValue() + "_voxels"), ml = field(f, at, c.getValue() + "_ml");
					if (voxels.isEmpty() || ml.isEmpty()) {
						labels = null;
						break;
					}
					labels.put(c.getKey(), new LabelVolume(Long.parseLong(voxels), Double.parseDouble(ml)));
				}
			} catch (NumberFormatException e) {
				labels = null;
			}
			double seconds;
			try {
				String s = field(f, at, "seconds");
				seconds = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
			} catch (NumberFormatException e) {
				seconds = Double.NaN;
			}
			rows.add(new SummaryRow(field(f, at, "input"), field(f, at, "series"), field(f, at, "output"), status,
					field(f, at, "error"), seconds, field(f, at, "device"), field(f, at, "finished"), labels,
					field(f, at, "model"), field(f, at, "settings")));
		}
		return rows;
	}

	private static String field(List<String> fields, Map<String, Integer> at, String name) {
		Integer i = at.get(name);
		return i == null || i >= fields.size() ? "" : fields.get(i);
	}
}
