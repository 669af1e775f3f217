package org.volseg.io.dicom;

import java.nio.file.Path;

/** VolSeg's own DICOM parser and pixel decoders ({@link DicomParser}, {@link PixelDecoder}). Stateless, thread-safe. */
final class OwnDicomSource implements DicomSource {

	@Override
	public DicomFile readHeader(Path file) {
		return DicomParser.readHeader(file);
	}

	@Override
	public DicomFile readFile(Path file) {
		return DicomParser.readFile(file);
	}

	@Override
	public DicomFile readFile(Path file, byte[] scratch) {
		return DicomParser.readFile(file, scratch);
	}

	@Override
	public FrameDecoder decoder(DicomFile file) {
		return PixelDecoder.of(file);
	}

	@Override
	public boolean isDicom(Path file) {
		return DicomParser.isDicom(file);
	}
}
