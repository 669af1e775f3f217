package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.log.LogLevel;
import org.scijava.log.LogService;
import org.volseg.CancelledException;
import org.volseg.VolSegException;

import ij.IJ;

/** {@link CommandRun}: what every command does with errors, Esc, interrupts and SciJava's cancel. */
class CommandRunTest {

	static Context context;
	static LogService log;
	static StatusService status;
	static final List<String> logged = new ArrayList<>();

	@BeforeAll
	static void setUp() {
		System.setProperty("java.awt.headless", "true");
		context = new Context(LogService.class, StatusService.class);
		log = context.service(LogService.class);
		status = context.service(StatusService.class);
		log.addLogListener(m -> {
			synchronized (logged) {
				logged.add(LogLevel.prefix(m.level()) + " " + m.text());
			}
		});
	}

	@AfterAll
	static void tearDown() {
		IJ.resetEscape();
		context.dispose();
	}

	@BeforeEach
	void clear() {
		logged.clear();
		IJ.resetEscape();
	}

	@Test
	void aUserErrorIsLoggedAndReturnedOtherExceptionsPropagate() {
		assertNull(CommandRun.guarded(log, () -> { }));
		assertTrue(logged.isEmpty(), logged.toString());
		String error = CommandRun.guarded(log, () -> {
			throw new VolSegException("model: \"x\" is neither a path nor an installed model");
		});
		assertEquals("model: \"x\" is neither a path nor an installed model", error);
		assertEquals(List.of("ERROR VolSeg: model: \"x\" is neither a path nor an installed model"), logged);
		assertThrows(IllegalStateException.class, () -> CommandRun.guarded(log, () -> {
			throw new IllegalStateException("a bug, not the user's error");
		}));
	}

	@Test
	void escapePressedDuringTheWorkIsSeenAndClearedAfterwards() {
		IJ.setKeyDown(KeyEvent.VK_ESCAPE); // an old key press, before the run: not this run's
		AtomicBoolean before = new AtomicBoolean(true), after = new AtomicBoolean();
		String error = CommandRun.cancellable(log, status, "VolSeg: failed", () -> false, cancelled -> {
			before.set(cancelled.getAsBoolean());
			IJ.setKeyDown(KeyEvent.VK_ESCAPE);
			after.set(cancelled.getAsBoolean());
			throw new CancelledException("segmentation cancelled");
		});
		assertFalse(before.get(), "Esc is cleared when the run starts");
		assertTrue(after.get(), "Esc pressed during the run cancels it");
		assertEquals("segmentation cancelled", error);
		assertEquals(List.of("INFO VolSeg: segmentation cancelled"), logged, "a cancellation is not an error");
		assertFalse(IJ.escapePressed(), "Esc is cleared for the next run");
	}

	@Test
	void anInterruptOrTheCommandsCancelFlagCancels() {
		AtomicBoolean interrupted = new AtomicBoolean(), flagged = new AtomicBoolean(), idle = new AtomicBoolean(true);
		AtomicBoolean flag = new AtomicBoolean();
		assertNull(CommandRun.cancellable(log, status, "failed", flag::get, cancelled -> {
			idle.set(cancelled.getAsBoolean());
			Thread.currentThread().interrupt();
			interrupted.set(cancelled.getAsBoolean());
			Thread.interrupted();
			flag.set(true);
			flagged.set(cancelled.getAsBoolean());
		}));
		assertFalse(idle.get());
		assertTrue(interrupted.get());
		assertTrue(flagged.get());
	}

	@Test
	void anErrorInCancellableWorkIsReportedWithTheFailureStatus() throws InterruptedException {
		List<String> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
		Object subscriber = new Object() {
			@org.scijava.event.EventHandler
			public void onStatus(org.scijava.app.event.StatusEvent e) {
				statuses.add(e.getStatusMessage());
			}
		};
		Context withEvents = new Context(LogService.class, StatusService.class, org.scijava.event.EventService.class);
		try {
			withEvents.service(org.scijava.event.EventService.class).subscribe(subscriber);
			String error = CommandRun.cancellable(log, withEvents.service(StatusService.class), "VolSeg batch: failed",
					() -> false, cancelled -> {
						throw new VolSegException("give an input folder (or .csv list) and an output folder");
					});
			assertEquals("give an input folder (or .csv list) and an output folder", error);
			assertEquals(List.of("ERROR VolSeg: give an input folder (or .csv list) and an output folder"), logged);
			for (int i = 0; i < 250 && statuses.isEmpty(); i++)
				Thread.sleep(20); // StatusService publishes its events on another thread
			assertEquals(List.of("VolSeg batch: failed"), statuses);
		} finally {
			withEvents.dispose();
		}
	}
}
