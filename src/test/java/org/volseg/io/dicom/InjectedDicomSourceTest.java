package org.volseg.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.volseg.io.LoadedVolume;

/**
 * The {@link DicomSource} given to {@link DicomVolumeSource} and {@link StoredValueStatistics} is
 * the one that parses: a recording source (VolSeg's parser underneath) sees every file read, and a
 * source that knows no DICOM makes a DICOM file unacceptable.
 */
class InjectedDicomSourceTest {

	/** Delegates to VolSeg's parser and records what it was asked. Thread-safe. */
	static class RecordingSource implements DicomSource {
		final DicomSource inner = new OwnDicomSource();
		final Set<Path> headers = ConcurrentHashMap.newKeySet();
		final Set<Path> files = ConcurrentHashMap.newKeySet();
		final AtomicInteger decoders = new AtomicInteger(), probes = new AtomicInteger();

		@Override
		public DicomFile readHeader(Path file) {
			headers.add(file);
			return inner.readHeader(file);
		}

		@Override
		public DicomFile readFile(Path file) {
			files.add(file);
			return inner.readFile(file);
		}

		@Override
		public DicomFile readFile(Path file, byte[] scratch) {
			files.add(file);
			return inner.readFile(file, scratch);
		}

		@Override
		public FrameDecoder decoder(DicomFile file) {
			decoders.incrementAndGet();
			return inner.decoder(file);
		}

		@Override
		public boolean isDicom(Path file) {
			probes.incrementAndGet();
			return inner.isDicom(file);
		}
	}

	static Path resource(String name) throws URISyntaxException {
		return Paths.get(InjectedDicomSourceTest.class.getResource("/dicom/" + name).toURI());
	}

	@Test
	void aVolumeSourceReadsASeriesThroughTheInjectedSource() throws Exception {
		RecordingSource recording = new RecordingSource();
		Path folder = resource("series/axial_ct");
		LoadedVolume v = new DicomVolumeSource(recording, null).read(folder, false);
		// the fixture's main series: 40 slices of 72 x 64 (expected_series.tsv)
		assertArrayEquals(new long[] { 72, 64, 40 }, v.volume().dimensions());
		assertEquals(41, recording.headers.size(), "every file of the folder (40 slices + 1 localizer) through the source");
		assertEquals(40, recording.files.size(), "the 40 slices of the chosen series read through the source");
		assertTrue(recording.headers.containsAll(recording.files));
	}

	@Test
	void acceptsAsksTheInjectedSource() throws Exception {
		RecordingSource recording = new RecordingSource();
		assertTrue(new DicomVolumeSource(recording, null).accepts(resource("MR_small.dcm")));
		assertEquals(1, recording.probes.get());

		DicomSource knowsNothing = new RecordingSource() {
			@Override
			public boolean isDicom(Path file) {
				return false;
			}
		};
		assertFalse(new DicomVolumeSource(knowsNothing, null).accepts(resource("MR_small.dcm")));
	}

	@Test
	void storedValueStatisticsReadAndDecodeThroughTheInjectedSource() throws Exception {
		RecordingSource recording = new RecordingSource();
		Path file = resource("MR_small.dcm");
		StoredValueStatistics s = StoredValueStatistics.of(recording, file);
		assertEquals(Set.of(file), recording.files);
		assertEquals(1, recording.decoders.get());
		StoredValueStatistics reference = StoredValueStatistics.of(DicomFormat.parser(), file);
		assertEquals(reference.sum(), s.sum());
		assertEquals(reference.min(), s.min());
		assertEquals(reference.max(), s.max());
	}

	@Test
	void theFormatRegistrationIsWhereTheDefaultParserIsChosen() {
		assertSame(DicomFormat.parser(), DicomFormat.parser());
		assertTrue(DicomFormat.parser() instanceof OwnDicomSource);
	}
}
