package org.volseg.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.volseg.io.VolumeIO;
import org.volseg.pipeline.SegmentationListener;
import org.volseg.pipeline.SegmentationSettings;
import org.volseg.pipeline.Segmenter;
import org.volseg.runtime.EngineOptions;
import org.volseg.volume.Volume;

/**
 * Issue 14's acceptance: ImageJ 1, TensorFlow 1.15's four jars (CSBDeep's and StarDist's) and
 * VolSeg's Fiji jars on one class path, in both orders, one JVM per order: TensorFlow 1.15 code
 * runs before and after VolSeg, and VolSeg's macro API and its Segment Volume command (through a
 * SciJava {@code Context}) give the labels VolSeg gives on a flat class path in this JVM, voxel for
 * voxel. See {@link CoexistenceDriver}.
 */
class FijiCoexistenceIT {

	static final Path MODEL = Path.of("sample-volumes/models/volseg-phantom-unetr").toAbsolutePath();
	static final Path SCAN = Path.of("sample-volumes/case000_image.nii.gz").toAbsolutePath();

	@TempDir
	static Path tmp;

	static Volume reference;

	@BeforeAll
	static void referenceLabels() throws Exception {
		Path out = tmp.resolve("reference_labels.nii.gz");
		try (Segmenter s = Segmenter.load(MODEL, EngineOptions.cpu())) {
			s.segment(SCAN, SegmentationSettings.builder().labelsOutput(out).build(), new SegmentationListener() {
			}, () -> false);
		}
		reference = VolumeIO.read(out).volume();
	}

	@Test
	void tensorflow115JarsFirst() throws Exception {
		List<String> cp = new ArrayList<>(FijiLayout.fijiOwnJars());
		cp.addAll(FijiLayout.tensorflow115Jars());
		cp.addAll(FijiLayout.volsegJars());
		check(cp, tmp.resolve("tf115-first"));
	}

	@Test
	void volsegJarsFirst() throws Exception {
		List<String> cp = new ArrayList<>(FijiLayout.fijiOwnJars());
		cp.addAll(0, FijiLayout.volsegJars());
		cp.addAll(FijiLayout.tensorflow115Jars());
		check(cp, tmp.resolve("volseg-first"));
	}

	static float[] values(Volume v) {
		float[] a = new float[(int) net.imglib2.util.Intervals.numElements(v.voxels())];
		int i = 0;
		for (net.imglib2.type.numeric.real.FloatType t : net.imglib2.view.Views.flatIterable(v.voxels()))
			a[i++] = t.get();
		return a;
	}

	private static void check(List<String> classPath, Path out) throws Exception {
		assertEquals(4, FijiLayout.tensorflow115Jars().size(), FijiLayout.tensorflow115Jars().toString());
		assertTrue(classPath.stream().noneMatch(j -> j.contains("tensorflow-core") || j.contains("protobuf-java-4")),
				"VolSeg's TensorFlow must not be on the class path: " + classPath);
		Files.createDirectories(out);
		List<String> cp = new ArrayList<>(classPath);
		cp.add(Path.of("target/test-classes").toAbsolutePath().toString());
		ProcessBuilder pb = new ProcessBuilder(FijiLayout.java(), "-Djava.awt.headless=true", "-Xmx2g", "-cp",
				String.join(File.pathSeparator, cp), CoexistenceDriver.class.getName(), out.toString(), MODEL.toString(),
				SCAN.toString());
		pb.redirectErrorStream(true);
		pb.redirectOutput(out.resolve("jvm.log").toFile());
		pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
		Process p = pb.start();
		assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out");
		String log = Files.readString(out.resolve("jvm.log"));
		assertEquals(0, p.exitValue(), log);
		List<String> report = Files.readAllLines(out.resolve("report.txt"));
		assertEquals("tf1-before 1.15.0 [1.0, 4.0, 9.0]", report.get(0), log);
		assertEquals("macro " + out.resolve("macro_labels.nii.gz"), report.get(1), log);
		assertTrue(report.get(2).matches("engine-tensorflow 2\\.\\d+\\.\\d+"), report.get(2));
		assertEquals("command ok", report.get(3), log);
		assertEquals("tf1-after 1.15.0 [1.0, 4.0, 9.0]", report.get(4), log);
		for (String f : List.of("macro_labels.nii.gz", "command_labels.nii.gz")) {
			Volume labels = VolumeIO.read(out.resolve(f)).volume();
			assertArrayEquals(reference.dimensions(), labels.dimensions(), f);
			assertArrayEquals(values(reference), values(labels), f + " differs from the labels of a flat class path");
		}
	}
}
