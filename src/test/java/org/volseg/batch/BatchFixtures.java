package org.volseg.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.volseg.io.dicom.DicomSeriesWriter;
import org.volseg.io.nifti.NiftiWriter;
import org.volseg.model.ModelDescriptor;
import org.volseg.model.OutputActivation;
import org.volseg.pipeline.Segmenter;
import org.volseg.runtime.PatchPredictor;
import org.volseg.volume.Geometry;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Scans and a plain-Java model for batch tests. The model labels a voxel 1 ("ball") where its value
 * is above {@link #THRESHOLD}; the scans hold value x at voxel (x, y, z), so a scan of width W,
 * height H and depth D has (W - 6) * H * D voxels of label 1.
 */
final class BatchFixtures {

	static final float THRESHOLD = 5.5f;

	private BatchFixtures() {
	}

	/** Two classes: logits (0, v - threshold). Thread-safe (stateless). */
	static final class Threshold implements PatchPredictor {
		@Override
		public int inputChannels() {
			return 1;
		}

		@Override
		public int outputChannels() {
			return 2;
		}

		@Override
		public float[] predict(float[] patches, int batch, int[] size) {
			int voxels = batch * size[0] * size[1] * size[2];
			float[] out = new float[voxels * 2];
			for (int i = 0; i < voxels; i++)
				out[2 * i + 1] = patches[i] - THRESHOLD;
			return out;
		}
	}

	static ModelDescriptor descriptor() {
		return ModelDescriptor.builder().name("batch test threshold").description("test").inputChannels(1)
				.patchSize(8, 8, 8).outputActivation(OutputActivation.SOFTMAX).addClass(0, "background", 0, 0, 0)
				.addClass(1, "ball, big", 255, 0, 0).build();
	}

	static Segmenter segmenter() {
		return Segmenter.of(descriptor(), new Threshold(), "test-device");
	}

	/** Voxel value x, spacing (sx, 1, 1) mm. */
	static Volume ramp(int w, int h, int d, double sx) {
		Volume v = Volume.allocate(Geometry.ofSpacing(sx, 1, 1), w, h, d);
		Cursor<FloatType> c = Views.flatIterable(v.voxels()).localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(c.getIntPosition(0));
		}
		return v;
	}

	/** Foreground voxels of {@link #ramp}. */
	static long foreground(int w, int h, int d) {
		return (long) (w - 6) * h * d;
	}

	static Path nifti(Path file, int w, int h, int d) throws IOException {
		Files.createDirectories(file.getParent());
		NiftiWriter.writeFloat32(ramp(w, h, d, 1), file);
		return file;
	}

	/** A .nii file cut in the middle of its voxel data. */
	static Path truncatedNifti(Path file) throws IOException {
		nifti(file, 10, 10, 10);
		byte[] all = Files.readAllBytes(file);
		Files.write(file, java.util.Arrays.copyOf(all, 352 + 1000));
		return file;
	}

	/** Two DICOM series (SeriesNumber 3: 12x10x6, 5: 14x8x5) in one folder. */
	static Path dicomFolder(Path folder, Path scratch) throws IOException {
		Files.createDirectories(folder);
		write(ramp(12, 10, 6, 1), 3, scratch.resolve("s3"), folder, "A");
		write(ramp(14, 8, 5, 1), 5, scratch.resolve("s5"), folder, "B");
		return folder;
	}

	private static void write(Volume v, int number, Path tmp, Path folder, String prefix) throws IOException {
		List<Path> files = new DicomSeriesWriter().seriesNumber(number).write(v, tmp);
		for (Path f : files)
			Files.move(f, folder.resolve(prefix + f.getFileName()));
	}

	/** A folder holding one corrupt DICOM file (the test resource MR_truncated.dcm). */
	static Path corruptDicomFolder(Path folder) throws IOException {
		Files.createDirectories(folder);
		try (InputStream in = BatchFixtures.class.getResourceAsStream("/dicom/MR_truncated.dcm")) {
			Files.copy(in, folder.resolve("IM0001"));
		}
		return folder;
	}

	/** Summary rows of a file, keyed by output name relative to {@code out} (or by input for rows without output). */
	static Map<String, SummaryRow> rowsByOutput(Path summary, Path out) throws IOException {
		Map<String, SummaryRow> m = new java.util.TreeMap<>();
		for (SummaryRow r : new SummaryCsv(descriptor().volseg().classes()).read(summary))
			m.put(r.output().isEmpty() ? "input:" + Path.of(r.input()).getFileName()
					: out.relativize(Path.of(r.output())).toString(), r);
		return m;
	}
}
