package org.volseg.io.dicom;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Times reading a 512 x 512 x 400 CT series (written by {@link DicomSeriesWriter} on first use).
 * Not a unit test; run by hand:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.volseg.io.dicom.DicomReadBenchmark FOLDER [threads] [runs]}
 */
public final class DicomReadBenchmark {

	public static void main(String[] args) {
		Path folder = Path.of(args[0]);
		int threads = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
		int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
		if (!Files.isDirectory(folder)) {
			long t0 = System.nanoTime();
			Geometry g = Geometry.ofLps(new double[][] { { 0.7, 0, 0, -179.3 }, { 0, 0.7, 0, -200 }, { 0, 0, 1.25, -500 },
					{ 0, 0, 0, 1 } });
			Volume v = Volume.allocate(g, 512, 512, 400);
			Random r = new Random(1);
			for (FloatType t : Views.flatIterable(v.voxels()))
				t.set(r.nextInt(3000) - 1024);
			new DicomSeriesWriter().description("benchmark 512x512x400").write(v, folder);
			System.out.printf("wrote %s in %.2f s%n", folder, (System.nanoTime() - t0) / 1e9);
		}
		for (int run = 0; run < runs; run++) {
			long t0 = System.nanoTime();
			DicomFolderReader reader = new DicomFolderReader(new OwnDicomSource(), w -> System.out.println("warning: " + w),
					threads);
			java.util.List<DicomSeries> series = reader.scan(folder);
			long t1 = System.nanoTime();
			DicomSeriesVolume read = reader.read(DicomFolderReader.mainSeries(series));
			long t2 = System.nanoTime();
			System.out.printf("run %d: read %s with %d thread(s) in %.3f s (header scan %.3f s, pixels %.3f s)%n", run + 1,
					java.util.Arrays.toString(read.volume().dimensions()), threads, (t2 - t0) / 1e9, (t1 - t0) / 1e9,
					(t2 - t1) / 1e9);
		}
	}
}
