package org.volseg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.tiling.SlidingWindowProgress;

/** Progress on standard error: a bar redrawn in place on a terminal, sparse plain lines otherwise. */
class ProgressPrinterTest {

	private static String run(ProgressPrinter.Mode mode) {
		StringWriter text = new StringWriter();
		ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), mode);
		p.stage(SegmentationListener.Stage.INFERENCE);
		for (int done = 1; done <= 100; done++)
			p.windows(new SlidingWindowProgress(done, 100, done * 1_000_000_000L));
		p.stage(SegmentationListener.Stage.WRITING);
		p.done();
		return text.toString();
	}

	@Test
	void linesAreAtMostOnePerTenthPlusTheLast() {
		String out = run(ProgressPrinter.Mode.LINES);
		assertFalse(out.contains("\r"));
		long lines = out.lines().filter(l -> l.contains("windows,")).count();
		assertEquals(11, lines, out);
		assertTrue(out.contains("volseg: 1/100 windows, 1 s elapsed, 1.00 windows/s, ETA 99 s"), out);
		assertTrue(out.contains("volseg: 100/100 windows, 100 s elapsed, ETA 0 s"), out);
		assertTrue(out.contains("volseg: writing..."), out);
	}

	@Test
	void barIsRedrawnInPlaceAndEndsItsLine() {
		String out = run(ProgressPrinter.Mode.BAR);
		assertEquals(100, out.chars().filter(c -> c == '\r').count());
		assertTrue(out.contains("[##############################] 100% 100/100 windows"), out);
		assertTrue(out.matches("(?s).*100/100 windows, 100 s elapsed, ETA 0 s\\s*\nvolseg: writing\\.\\.\\.\n"), out);
	}

	@Test
	void etaLeavesOutTheSlowFirstBatchAndLongTimesReadAsHours() {
		StringWriter text = new StringWriter();
		ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), ProgressPrinter.Mode.BAR);
		long second = 1_000_000_000L;
		// the first window took 100 s (kernel preparation), every later one 2 s
		p.windows(new SlidingWindowProgress(1, 3001, 100 * second, 1, 100 * second));
		p.windows(new SlidingWindowProgress(2, 3001, 102 * second, 1, 100 * second));
		String out = text.toString();
		assertTrue(out.contains(" 1/3001 windows, 100 s elapsed, ETA ?"), out);
		// 2999 windows left at 0.5 windows/s = 5998 s, not the 150,000 s the first window suggests
		assertTrue(out.contains(" 2/3001 windows, 102 s elapsed, 0.500 windows/s, ETA 1 h 40 min"), out);
		assertEquals("3599 s", ProgressPrinter.duration(3599.4));
		assertEquals("2 h 05 min", ProgressPrinter.duration(7500));
	}

	@Test
	void noneIsSilentButWarningsStillShow() {
		StringWriter text = new StringWriter();
		ProgressPrinter p = new ProgressPrinter(new PrintWriter(text), ProgressPrinter.Mode.NONE);
		p.stage(SegmentationListener.Stage.READING);
		p.windows(new SlidingWindowProgress(1, 2, 1));
		p.warning("uneven slice spacing");
		assertEquals("volseg: warning: uneven slice spacing\n", text.toString().replace("\r\n", "\n"));
	}
}
