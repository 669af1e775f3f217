package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import net.imglib2.RandomAccess;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgFactory;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.img.planar.PlanarImgFactory;
import net.imglib2.type.numeric.real.FloatType;

/** Slices land at the same voxels whatever the image's storage (one array, planes, cells). */
class VoxelWriterTest {

	/** A fake decoder: stored value = 1000 * frame + 10 * sample + pixel index. */
	private static FrameDecoder decoder(int rows, int cols, int samples) {
		DicomDataset ds = new DicomDataset(false);
		ds.put(Tags.ROWS, new DicomDataset.Element("IS", Integer.toString(rows).getBytes(), null));
		ds.put(Tags.COLUMNS, new DicomDataset.Element("IS", Integer.toString(cols).getBytes(), null));
		ds.put(Tags.BITS_ALLOCATED, new DicomDataset.Element("IS", "16".getBytes(), null));
		ds.put(Tags.SAMPLES_PER_PIXEL, new DicomDataset.Element("IS", Integer.toString(samples).getBytes(), null));
		ds.put(Tags.NUMBER_OF_FRAMES, new DicomDataset.Element("IS", "3".getBytes(), null));
		PixelFormat f = PixelFormat.of(Path.of("fake"), ds);
		return new FrameDecoder() {
			@Override
			public PixelFormat format() {
				return f;
			}

			@Override
			public void decodeFrame(int frame, double[] out) {
				for (int p = 0; p < rows * cols; p++)
					for (int s = 0; s < samples; s++)
						out[p * samples + s] = 1000 * frame + 10 * s + p;
			}
		};
	}

	@ParameterizedTest
	@ValueSource(strings = { "array", "planar", "cell" })
	void slicesLandAtTheirVoxels(String storage) {
		for (int samples : new int[] { 1, 3 }) {
			int w = 5, h = 4, d = 3;
			long[] dims = samples == 1 ? new long[] { w, h, d } : new long[] { w, h, d, samples };
			Img<FloatType> img = storage.equals("array") ? new ArrayImgFactory<>(new FloatType()).create(dims)
					: storage.equals("planar") ? new PlanarImgFactory<>(new FloatType()).create(dims)
							: new CellImgFactory<>(new FloatType(), 2).create(dims);
			DicomFolderReader.VoxelWriter writer = new DicomFolderReader.VoxelWriter(img, w, h, d, samples);
			FrameDecoder decoder = decoder(h, w, samples);
			for (int z = 0; z < d; z++)
				writer.write(z, decoder, d - 1 - z, 2, -5, false);
			RandomAccess<FloatType> ra = img.randomAccess();
			for (int z = 0; z < d; z++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++)
						for (int c = 0; c < samples; c++) {
							if (samples == 1)
								ra.setPosition(new long[] { x, y, z });
							else
								ra.setPosition(new long[] { x, y, z, c });
							double stored = 1000 * (d - 1 - z) + 10 * c + (y * w + x);
							assertEquals(stored * 2 - 5, ra.get().get(), 0, storage + " " + samples + " at " + x + "," + y + "," + z);
						}
		}
	}
}
