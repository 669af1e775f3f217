package org.volseg.io.dicom;

/**
 * The tiles of a Siemens MOSAIC file presented as frames: frame {@code k} is tile {@code k} of the
 * file's single frame ({@link SiemensMosaic}). The mosaic is decoded once, on first use, and kept.
 * Thread-safe.
 */
final class MosaicDecoder implements FrameDecoder {

	private final FrameDecoder mosaic;
	private final SiemensMosaic layout;
	private final PixelFormat tiles;
	private volatile double[] decoded;

	MosaicDecoder(FrameDecoder mosaic, SiemensMosaic layout) {
		this.mosaic = mosaic;
		this.layout = layout;
		this.tiles = mosaic.format().withSize(layout.tileRows, layout.tileColumns, layout.count);
	}

	@Override
	public PixelFormat format() {
		return tiles;
	}

	@Override
	public void decodeFrame(int frame, double[] out) {
		if (frame < 0 || frame >= layout.count)
			throw new IndexOutOfBoundsException("tile " + frame + " of " + layout.count);
		double[] all = decoded;
		if (all == null) {
			synchronized (this) {
				all = decoded;
				if (all == null) {
					all = new double[mosaic.format().valuesPerFrame()];
					mosaic.decodeFrame(0, all);
					decoded = all;
				}
			}
		}
		layout.extract(all, mosaic.format().columns(), tiles.samples(), frame, out);
	}
}
