package org.volseg.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values as RFC 4180 writes them: fields holding a comma, a double quote, a
 * carriage return or a line feed (or starting or ending with a space) are quoted, with double
 * quotes doubled. Parsing accepts the same, plus LF or CRLF line ends. Stateless.
 */
final class Csv {

	private Csv() {
	}

	/** One field, quoted if needed. */
	static String quote(String field) {
		if (field == null)
			return "";
		boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
				|| field.indexOf('\r') >= 0 || !field.equals(field.strip());
		return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
	}

	/** One record, with a trailing line feed. */
	static String line(List<String> fields) {
		StringBuilder b = new StringBuilder();
		for (int i = 0; i < fields.size(); i++)
			b.append(i == 0 ? "" : ",").append(quote(fields.get(i)));
		return b.append('\n').toString();
	}

	/** A parsed record and the (1-based) line it starts on. */
	record Record(int line, List<String> fields) {
	}

	/**
	 * Splits text into records of fields.
	 *
	 * @throws IllegalArgumentException for a quoted field that never ends, or text after a closing
	 *         quote; the message names the line
	 */
	static List<Record> parse(String text) {
		List<Record> records = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		int line = 1, recordLine = 1;
		int i = 0, n = text.length();
		if (n > 0 && text.charAt(0) == '\uFEFF')
			i = 1; // byte order mark of spreadsheet exports
		boolean any = false;
		while (i < n) {
			char c = text.charAt(i);
			if (c == '"' && field.length() == 0) {
				int start = line;
				i++;
				while (true) {
					if (i >= n)
						throw new IllegalArgumentException("line " + start + ": a quoted field is not closed");
					char q = text.charAt(i);
					if (q == '"') {
						if (i + 1 < n && text.charAt(i + 1) == '"') {
							field.append('"');
							i += 2;
							continue;
						}
						i++;
						break;
					}
					if (q == '\n')
						line++;
					field.append(q);
					i++;
				}
				any = true;
				if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r')
					throw new IllegalArgumentException("line " + line + ": unexpected text after a closing quote");
				continue;
			}
			if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
				any = true;
				i++;
			} else if (c == '\r' || c == '\n') {
				if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n')
					i++;
				i++;
				if (any || field.length() > 0) {
					fields.add(field.toString());
					records.add(new Record(recordLine, List.copyOf(fields)));
				}
				fields.clear();
				field.setLength(0);
				any = false;
				line++;
				recordLine = line;
			} else {
				field.append(c);
				any = true;
				i++;
			}
		}
		if (any || field.length() > 0) {
			fields.add(field.toString());
			records.add(new Record(recordLine, List.copyOf(fields)));
		}
		return records;
	}
}
