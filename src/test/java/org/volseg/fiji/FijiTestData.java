package org.volseg.fiji;

import java.io.IOException;
import java.nio.file.Path;

import org.volseg.engine.NearestIntensityNetwork;
import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.Phantom;
import org.volseg.volume.Orientation;
import org.volseg.volume.Volume;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * A small synthetic CT (the abdominal phantom, 48 x 48 x 32) and a real model package for it: the
 * {@link NearestIntensityNetwork} (air / soft tissue / bone by nearest HU centre), exported as a
 * SavedModel whose target spacing and orientation are the phantom's, so the pipeline neither
 * resamples nor reorients and the expected labels are known voxel by voxel.
 */
final class FijiTestData {

	static final String MODEL_NAME = "nearest hu test";
	static final NearestIntensityNetwork NETWORK = NearestIntensityNetwork.ctThreeClasses();

	private FijiTestData() {
	}

	static Phantom phantom() {
		return AbdominalPhantomGenerator.ofSize(48, 48, 32).generate(7);
	}

	/** Exports the model package for a scan's grid into {@code dir/<folder>}. */
	static Path model(Path dir, Volume scan) throws IOException {
		return NETWORK.export(dir.resolve("nearest-hu-test"), MODEL_NAME, scan.geometry().spacing(),
				Orientation.of(scan.geometry()).code(), new int[] { 32, 32, 32 });
	}

	/** The labels the model must give, voxel by voxel (x fastest). */
	static int[] expectedLabels(Volume scan) {
		int[] labels = new int[Math.toIntExact(scan.spatialVoxelCount())];
		Cursor<FloatType> c = Views.flatIterable(scan.channel(0)).cursor();
		for (int i = 0; i < labels.length; i++)
			labels[i] = NETWORK.expectedLabel(c.next().get());
		return labels;
	}
}
