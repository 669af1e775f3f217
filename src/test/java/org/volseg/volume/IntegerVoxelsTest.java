package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/** The byte planes behind a label map kept as bytes: the image's own storage, only where it is that. */
class IntegerVoxelsTest {

	@Test
	void unsignedBytesAreTheImagesOwnPlanesInFlatOrder() {
		IntegerVoxels<?> labels = IntegerVoxels.allocateUnsignedBytes(5, 4, 3, 2);
		List<byte[]> planes = IntegerVoxels.unsignedBytesInFlatOrder(labels);
		assertEquals(3 * 2, planes.size(), "one per xy plane, z then channel");
		planes.get(4)[3 + 5 * 2] = (byte) 200; // x 3, y 2, z 1, channel 1
		RandomAccess<FloatType> a = labels.randomAccess();
		a.setPosition(new long[] { 3, 2, 1, 1 });
		assertEquals(200f, a.get().get(), "writing the array writes the image; read unsigned");
		a.get().set(17);
		assertEquals(17, planes.get(4)[3 + 5 * 2]);

		var array = ArrayImgs.unsignedBytes(5, 4, 3);
		List<byte[]> one = IntegerVoxels.unsignedBytesInFlatOrder(IntegerVoxels.of(array));
		assertEquals(1, one.size());
		assertSame(array.update(null).getCurrentStorageArray(), one.get(0));
	}

	@Test
	void otherImagesHaveNone() {
		assertNull(IntegerVoxels.unsignedBytesInFlatOrder(IntegerVoxels.of(PlanarImgs.unsignedShorts(5, 4, 3))));
		assertNull(IntegerVoxels.unsignedBytesInFlatOrder(IntegerVoxels.of(PlanarImgs.bytes(5, 4, 3))), "signed bytes");
		assertNull(IntegerVoxels.unsignedBytesInFlatOrder(
				IntegerVoxels.of(Views.interval(Views.extendZero(PlanarImgs.unsignedBytes(5, 4, 3)), new long[] { 0, 0, 0 },
						new long[] { 4, 3, 2 }))), "a view");
		assertNull(IntegerVoxels.unsignedBytesInFlatOrder(PlanarImgs.floats(5, 4, 3)));
		assertNull(IntegerVoxels.unsignedBytesInFlatOrder(IntegerVoxels.allocateUnsignedBytes(5, 4, 3).readOnlyFloats()));
	}
}
