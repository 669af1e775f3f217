package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Random;

import org.junit.jupiter.api.Test;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Planes of stored integers ({@link StoredVoxels}, as the readers keep int8, uint8, int16 and uint16
 * scans) read in bulk hold the float view's values bit for bit, scaled and not, over the types' whole
 * ranges, for each channel of 4D voxels, as stored and reoriented.
 */
class PlaneReaderTest {

	private final Random random = new Random(7);

	@Test
	void storedIntegersReadInBulkEqualTheirFloatView() {
		long[] dims = { 13, 6, 5, 2 };
		assertSameAsFloatView(PlanarImgs.bytes(dims), dims);
		assertSameAsFloatView(PlanarImgs.unsignedBytes(dims), dims);
		assertSameAsFloatView(PlanarImgs.shorts(dims), dims);
		assertSameAsFloatView(PlanarImgs.unsignedShorts(dims), dims);
	}

	private <T extends RealType<T> & NativeType<T>> void assertSameAsFloatView(PlanarImg<T, ?> img, long[] dims) {
		T type = img.firstElement();
		Cursor<T> c = img.cursor();
		while (c.hasNext()) // the whole range, extremes included
			c.next().setReal(type.getMinValue() + Math.floor(random.nextDouble() * (type.getMaxValue() - type.getMinValue() + 1)));
		img.randomAccess().setPositionAndGet(0, 0, 0, 0).setReal(type.getMinValue());
		img.randomAccess().setPositionAndGet(1, 0, 0, 0).setReal(type.getMaxValue());
		for (boolean scaled : new boolean[] { false, true }) {
			StoredVoxels<T> voxels = StoredVoxels.of(img, scaled, 0.37, -1024.25);
			Volume volume = new Volume(voxels, Geometry.identity());
			for (Volume v : new Volume[] { volume, Reorient.to(volume, "SAR") }) // as stored, and flipped and permuted
				for (long channel = 0; channel < dims[3]; channel++) {
					RandomAccessibleInterval<FloatType> image = v.channel(channel);
					PlaneReader reader = PlaneReader.inBulk(image);
					assertNotNull(reader, "a bulk reader of " + type.getClass().getSimpleName());
					RandomAccess<FloatType> view = image.randomAccess(); // voxel by voxel through the converter
					long nx = image.dimension(0);
					float[] plane = new float[reader.planeVoxels()];
					for (long z = 0; z < image.dimension(2); z++) {
						(z % 2 == 0 ? reader : reader.independentCopy()).read(z, plane);
						for (int y = 0; y < image.dimension(1); y++)
							for (int x = 0; x < nx; x++) {
								float expected = view.setPositionAndGet(x, y, z).get(), got = plane[(int) (x + y * nx)];
								assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), type.getClass().getSimpleName()
										+ (scaled ? " scaled" : "") + " at " + x + "," + y + "," + z + "," + channel + ": " + expected
										+ " vs " + got);
							}
					}
				}
		}
	}
}
