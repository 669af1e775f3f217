package org.volseg.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class CsvTest {

	@Test
	void quotesOnlyWhatNeedsIt() {
		assertEquals("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",\n",
				Csv.line(List.of("plain", "a,b", "say \"hi\"", "two\nlines", " padded", "")));
	}

	@Test
	void parsesWhatItWritesAndCommonSpreadsheetExports() {
		List<String> fields = List.of("plain", "a,b", "say \"hi\"", "two\nlines", " padded", "");
		String text = Csv.line(fields) + Csv.line(List.of("x"));
		List<Csv.Record> records = Csv.parse(text);
		assertEquals(List.of(fields, List.of("x")), records.stream().map(Csv.Record::fields).collect(Collectors.toList()));
		assertEquals(1, records.get(0).line());
		assertEquals(3, records.get(1).line()); // the quoted line feed counts
		// BOM, CRLF, blank lines, no final line end
		assertEquals(List.of(List.of("input", "output"), List.of("a.nii", "b.nii")), Csv.parse("\uFEFFinput,output\r\n\r\na.nii,b.nii")
				.stream().map(Csv.Record::fields).collect(Collectors.toList()));
		assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"open,field\n"));
		assertThrows(IllegalArgumentException.class, () -> Csv.parse("\"a\"b,c\n"));
	}
}
