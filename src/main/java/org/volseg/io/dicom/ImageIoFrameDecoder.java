package org.volseg.io.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.volseg.VolumeFormatException;

/**
 * Decodes JPEG (TwelveMonkeys imageio-jpeg) and JPEG 2000 (jai-imageio-jpeg2000) frames through
 * ImageIO. A new reader per frame, so calls are thread-safe.
 */
final class ImageIoFrameDecoder {

	private static final String TWELVEMONKEYS = "com.twelvemonkeys.imageio.plugins.jpeg";

	private ImageIoFrameDecoder() {
	}

	static {
		ImageIO.scanForPlugins();
	}

	/** Decodes a compressed frame into raw samples interleaved by pixel ({@code out[p * samples + s]}). */
	static void decode(Path file, int frame, byte[] bytes, PixelFormat f, TransferSyntax ts, long[] out) {
		ImageReader reader = reader(file, ts);
		try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
			reader.setInput(iis, true, true);
			BufferedImage image = ts.codec() == TransferSyntax.Codec.JPEG_2000 ? readBounded(file, frame, reader, f)
					: reader.read(0);
			Raster r = image.getRaster();
			if (r.getWidth() != f.columns() || r.getHeight() != f.rows() || r.getNumBands() < f.samples())
				throw new VolumeFormatException(file, "frame " + frame + " decodes to " + r.getWidth() + " x "
						+ r.getHeight() + " x " + r.getNumBands() + " samples, but the header says " + f.columns() + " x "
						+ f.rows() + " x " + f.samples());
			int w = f.columns(), h = f.rows(), s = f.samples();
			int[] row = new int[w];
			for (int b = 0; b < s; b++)
				for (int y = 0; y < h; y++) {
					r.getSamples(0, y, w, 1, b, row);
					int base = y * w;
					for (int x = 0; x < w; x++)
						out[(base + x) * s + b] = row[x] & 0xFFFFFFFFL;
				}
		} catch (IOException | RuntimeException e) {
			if (e instanceof VolumeFormatException)
				throw (VolumeFormatException) e;
			throw new VolumeFormatException(file, "cannot decode frame " + frame + " (" + ts.displayName() + "): "
					+ e.getMessage() + "; " + TransferSyntax.conversionHint(ts.uid()), e);
		} finally {
			reader.dispose();
		}
	}

	/** Threads running JPEG 2000 decodes (daemons: a decoder stuck on damaged data does not keep Java alive). */
	private static final ExecutorService JPEG2000 = Executors.newCachedThreadPool(r -> {
		Thread t = new Thread(r, "volseg-jpeg2000");
		t.setDaemon(true);
		return t;
	});

	/**
	 * jai-imageio's JPEG 2000 decoder (jj2000) loops forever on some damaged codestreams (packet
	 * headers): the decode runs on its own thread and is given up after
	 * {@code volseg.jpeg2000.maxSeconds} (default 20) plus as many seconds per million values, with
	 * an error naming the file. The stuck thread cannot be stopped by Java; it is asked to abort and
	 * interrupted, and, being a daemon, ends with the JVM at the latest.
	 */
	private static BufferedImage readBounded(Path file, int frame, ImageReader reader, PixelFormat f) throws IOException {
		long base = Long.getLong("volseg.jpeg2000.maxSeconds", 20);
		long seconds = base + base * ((long) f.valuesPerFrame() / 1_000_000);
		Future<BufferedImage> decoding = JPEG2000.submit(() -> reader.read(0));
		try {
			return decoding.get(seconds, TimeUnit.SECONDS);
		} catch (TimeoutException e) {
			reader.abort();
			decoding.cancel(true);
			throw new VolumeFormatException(file, "the JPEG 2000 decoder did not finish frame " + frame + " within " + seconds
					+ " s: the codestream is damaged (jai-imageio's decoder loops on some corrupt packet headers); "
					+ TransferSyntax.conversionHint(TransferSyntax.JPEG_2000.uid()));
		} catch (ExecutionException e) {
			Throwable c = e.getCause();
			if (c instanceof IOException io)
				throw io;
			if (c instanceof RuntimeException rt)
				throw rt;
			if (c instanceof Error err)
				throw err;
			throw new IOException(c);
		} catch (InterruptedException e) {
			decoding.cancel(true);
			Thread.currentThread().interrupt();
			throw new VolumeFormatException(file, "decoding was interrupted", e);
		}
	}

	private static ImageReader reader(Path file, TransferSyntax ts) {
		boolean jpeg = ts.codec() == TransferSyntax.Codec.JPEG;
		Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(jpeg ? "jpeg" : "jpeg2000");
		ImageReader fallback = null;
		while (it.hasNext()) {
			ImageReader r = it.next();
			if (!jpeg || r.getClass().getName().startsWith(TWELVEMONKEYS)) {
				if (fallback != null)
					fallback.dispose();
				return r;
			}
			if (fallback == null)
				fallback = r;
			else
				r.dispose();
		}
		if (fallback != null && !jpeg)
			return fallback;
		if (fallback != null)
			fallback.dispose();
		throw new VolumeFormatException(file, "no ImageIO decoder for " + ts.displayName() + " is on the class path ("
				+ (jpeg ? "TwelveMonkeys imageio-jpeg" : "jai-imageio-jpeg2000") + " is needed); "
				+ TransferSyntax.conversionHint(ts.uid()));
	}
}
