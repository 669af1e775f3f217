package org.volseg.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.cell.CellImgFactory;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class FloatStorageTest {

	@Test
	void planeCellsAreListedInFileOrder() {
		Img<FloatType> img = new CellImgFactory<>(new FloatType(), 5, 4, 1, 1).create(5, 4, 3, 2);
		float i = 0;
		for (FloatType t : Views.flatIterable(img))
			t.set(i++);
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(img);
		assertEquals(6, arrays.size());
		float expected = 0;
		for (float[] a : arrays)
			for (float v : a)
				assertEquals(expected++, v, 0);
	}

	@Test
	void planarImagesAreOneArrayPerPlaneInFileOrder() {
		Img<FloatType> planar = Volume.allocateFloats(3, 4, 5, 2);
		float i = 0;
		for (FloatType t : Views.flatIterable(planar))
			t.set(i++);
		List<float[]> arrays = FloatStorage.arraysInFlatOrder(planar);
		assertEquals(10, arrays.size());
		float expected = 0;
		for (float[] a : arrays) {
			assertEquals(12, a.length);
			for (float v : a)
				assertEquals(expected++, v, 0);
		}
	}

	@Test
	void arrayImagesAreOneArrayAndOtherLayoutsNone() {
		Img<FloatType> array = ArrayImgs.floats(3, 4, 5);
		assertEquals(60, FloatStorage.arraysInFlatOrder(array).get(0).length);
		assertNull(FloatStorage.arraysInFlatOrder(new CellImgFactory<>(new FloatType(), 2, 2, 2).create(4, 4, 4)));
		assertNull(FloatStorage.arraysInFlatOrder(Views.permute(array, 0, 1)));
	}
}
