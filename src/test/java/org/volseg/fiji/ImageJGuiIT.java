package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.util.AtomicFiles;

/**
 * The real ImageJ 1.54 GUI under Xvfb: ImageJ starts with VolSeg's Fiji layout on its class path and
 * the example macros in its {@code plugins/VolSeg/} folder, a driver macro opens the sample scan
 * and runs {@code Plugins > VolSeg > Segment Open Image} (the menu command ImageJ made of
 * {@code Segment_Open_Image.ijm}); its dialog ("VolSeg: Segment Open Image", defaults: the demo
 * model, filled, opacity 40, which {@code Dialog.getNumber} hands over as {@code 40.0}) is really
 * shown, and this test clicks its OK button with xdotool (XTEST pointer events). The driver then reports the
 * overlay on the scan and whether the results table is open; a screenshot of the screen is kept
 * as {@code target/gui/segment-open-image.png}.
 *
 * <p>Needs Debian's {@code xvfb} and {@code xdotool} ({@code .ci/run} installs them) and
 * {@code import} (imagemagick) for the screenshot; skipped, with the reason, where they are missing.</p>
 */
class ImageJGuiIT {

	@TempDir
	Path tmp;

	@Test
	void segmentOpenImageThroughItsDialog() throws Exception {
		if (!onPath("Xvfb") || !onPath("xdotool"))
			System.out.println("ImageJGuiIT SKIPPED: no display can be made here (Debian's xvfb and xdotool are not installed)");
		assumeTrue(onPath("Xvfb") && onPath("xdotool"), "no display can be made here: Xvfb and xdotool are not installed");
		int display = freeDisplay();
		Process xvfb = new ProcessBuilder("Xvfb", ":" + display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp")
				.redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.log").toFile()).start();
		Process imagej = null;
		try {
			waitFor(() -> Files.exists(Path.of("/tmp/.X11-unix/X" + display)), 20, "Xvfb did not start");
			Path app = tmp.resolve("ImageJ");
			Files.createDirectories(app.resolve("plugins/VolSeg"));
			for (String m : List.of("Segment_Open_Image.ijm", "Segment_Folder.ijm"))
				Files.copy(FijiLayout.FIJI.resolve("plugins/VolSeg").resolve(m), app.resolve("plugins/VolSeg").resolve(m));
			Path models = tmp.resolve("models");
			AtomicFiles.copyFolder(FijiCoexistenceIT.MODEL, models.resolve("volseg-phantom-unetr"));
			Path report = tmp.resolve("report.txt");
			Path driver = tmp.resolve("driver.ijm");
			Files.writeString(driver, String.join("\n",
					"title = call('org.volseg.fiji.Macros.openNifti', '" + FijiCoexistenceIT.SCAN + "');",
					"scanId = getImageID();",
					"run('Segment Open Image');",
					"selectImage(scanId);",
					"File.saveString('images=' + nImages + '\\noverlay=' + Overlay.size + '\\nresults=' + isOpen('VolSeg Results')"
							+ " + '\\nlog=' + replace(getInfo('log'), '\\n', ' | ') + '\\n', '" + report + "');",
					""), StandardCharsets.UTF_8);
			List<String> cp = new ArrayList<>(FijiLayout.fijiOwnJars());
			cp.addAll(FijiLayout.volsegJars());
			ProcessBuilder pb = new ProcessBuilder(FijiLayout.java(), "-Xmx2g", "-Dplugins.dir=" + app,
					"-D" + ModelCatalog.USER_MODELS_PROPERTY + "=" + models, "-cp", String.join(File.pathSeparator, cp),
					"ij.ImageJ", "-macro", driver.toString());
			pb.environment().put("DISPLAY", ":" + display);
			pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
			pb.redirectErrorStream(true).redirectOutput(tmp.resolve("imagej.log").toFile());
			imagej = pb.start();
			Map<String, String> env = Map.of("DISPLAY", ":" + display);
			String window = waitForWindow(env, "VolSeg: Segment Open Image", 300);
			Thread.sleep(1500); // laid out and drawn
			Path shots = FijiLayout.TARGET.resolve("gui");
			Files.createDirectories(shots);
			screenshot(env, shots.resolve("segment-open-image-dialog.png"));
			// No window manager under Xvfb, so no keyboard focus to rely on: press the dialog's OK button
			// with the mouse, through XTEST (real pointer events; AWT ignores xdotool's synthetic
			// "--window" events). ImageJ puts OK at the bottom right corner of its dialogs.
			Map<String, String> geometry = new java.util.HashMap<>();
			for (String line : run(env, "xdotool", "getwindowgeometry", "--shell", window).split("\n"))
				if (line.contains("="))
					geometry.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).trim());
			int w = Integer.parseInt(geometry.get("WIDTH")), h = Integer.parseInt(geometry.get("HEIGHT"));
			run(env, "xdotool", "mousemove", "--window", window, Integer.toString(w - 37), Integer.toString(h - 21));
			run(env, "xdotool", "click", "1");
			waitFor(() -> run(env, "xdotool", "search", "--onlyvisible", "--name", "VolSeg: Segment Open Image").isBlank(), 30,
					"the dialog did not close when OK was clicked");
			waitFor(() -> Files.exists(report), 600, "no report from the driver macro; ImageJ's output: "
					+ Files.readString(tmp.resolve("imagej.log")));
			Thread.sleep(2000);
			screenshot(env, shots.resolve("segment-open-image.png"));
			Map<String, String> r = Files.readAllLines(report).stream().filter(l -> l.contains("="))
					.collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1), (a, b) -> a));
			assertEquals("1", r.get("results"), "the results table is not open; log: " + r.get("log"));
			assertTrue(Integer.parseInt(r.get("overlay")) > 10, "no overlay on the scan; log: " + r.get("log"));
			assertEquals("2", r.get("images"), "scan and label image expected; log: " + r.get("log"));
			assertTrue(!r.get("log").contains("Error"), r.get("log"));
		} finally {
			if (imagej != null)
				imagej.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			xvfb.destroy();
			xvfb.waitFor(10, TimeUnit.SECONDS);
		}
	}

	interface Check {
		boolean ok() throws Exception;
	}

	static void waitFor(Check check, int seconds, String failure) throws Exception {
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		while (!check.ok()) {
			if (System.nanoTime() > end)
				throw new AssertionError(failure);
			Thread.sleep(250);
		}
	}

	static String waitForWindow(Map<String, String> env, String title, int seconds) throws Exception {
		String[] id = new String[1];
		waitFor(() -> {
			String out = run(env, "xdotool", "search", "--onlyvisible", "--name", title);
			id[0] = out.isBlank() ? null : out.trim().split("\\s+")[0];
			return id[0] != null;
		}, seconds, "the dialog \"" + title + "\" did not appear");
		return id[0];
	}

	static void screenshot(Map<String, String> env, Path png) throws Exception {
		if (onPath("import"))
			run(env, "import", "-window", "root", png.toString());
		else
			System.out.println("ImageJGuiIT: no screenshot (imagemagick's import is not installed)");
	}

	static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		pb.environment().putAll(env);
		Process p = pb.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		p.waitFor(60, TimeUnit.SECONDS);
		return out;
	}

	static boolean onPath(String tool) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			if (Files.isExecutable(Path.of(dir, tool)))
				return true;
		return false;
	}

	static int freeDisplay() {
		for (int d = 90; d < 200; d++)
			if (!Files.exists(Path.of("/tmp/.X11-unix/X" + d)) && !Files.exists(Path.of("/tmp/.X" + d + "-lock")))
				return d;
		throw new AssertionError("no free X display number in 90..199");
	}
}
