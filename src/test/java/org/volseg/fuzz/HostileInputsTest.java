package org.volseg.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.volseg.VolSegException;
import org.volseg.VolumeFormatException;
import org.volseg.util.Json;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.io.nifti.NiftiVolume;
import org.volseg.model.DescriptorReader;
import org.volseg.model.ModelPackage;
import org.volseg.model.ModelPackageException;
import org.volseg.nets.SafeTensors;
import org.volseg.nets.TensorFileException;

/**
 * Regression inputs of the fuzzing runs and of issue 16 ({@code src/test/resources/fuzz/<target>/},
 * made as its README says): each is refused with a {@link VolSegException} naming the input and
 * the field, within seconds, at the 1 GB heap of the {@code fuzz-short} surefire execution.
 */
@Tag("fuzz")
class HostileInputsTest {

	private static final Path FUZZ = Path.of("src/test/resources/fuzz");
	private static final Duration QUICK = Duration.ofSeconds(20);

	@TempDir
	Path tmp;

	static Stream<Object[]> regressionInputs() throws IOException {
		List<Object[]> out = new ArrayList<>();
		for (ParserTarget t : ParserTarget.values()) {
			Path dir = FUZZ.resolve(t.name().toLowerCase(Locale.ROOT));
			if (!Files.isDirectory(dir))
				continue;
			try (Stream<Path> s = Files.list(dir)) {
				s.sorted().filter(p -> !Files.isDirectory(p)).forEach(p -> out.add(new Object[] { t, p.getFileName().toString() }));
			}
		}
		return out.stream();
	}

	/** The fuzzing property for every stored input: it parses or is refused with a VolSegException, quickly. */
	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("regressionInputs")
	void storedInputParsesOrIsRefusedCleanly(ParserTarget target, String name) throws Exception {
		byte[] data = Files.readAllBytes(FUZZ.resolve(target.name().toLowerCase(Locale.ROOT)).resolve(name));
		try (FuzzCase runner = new FuzzCase(tmp, QUICK.toMillis())) {
			FuzzCase.Failure f = runner.run(target, data);
			assertNull(f, () -> name + ": " + f.what() + (f.cause() == null ? ""
					: " at " + java.util.Arrays.toString(java.util.Arrays.copyOf(f.cause().getStackTrace(), 8))));
		}
	}

	@Test
	void niftiWithTinyPixdimIsRefusedNamingPixdim() {
		Path file = FUZZ.resolve("nifti/pixdim-1e-40.nii");
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> NiftiReader.read(file));
		assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("pixdim"), e.getMessage());
		Path both = FUZZ.resolve("nifti/srow-and-pixdim-1e-40.nii");
		e = assertThrows(VolumeFormatException.class, () -> NiftiReader.read(both));
		assertTrue(e.getMessage().contains("srow") && e.getMessage().contains("pixdim"), e.getMessage());
	}

	@Test
	void niftiWithTinySrowFallsBackToPixdim() {
		NiftiVolume v = NiftiReader.read(FUZZ.resolve("nifti/srow-1e-40-falls-back-to-pixdim.nii"));
		assertEquals("pixdim", v.affineSource().label());
		double[] s = v.volume().geometry().spacing();
		assertEquals(1.5, s[0], 1e-6);
		assertEquals(2.0, s[1], 1e-6);
		assertEquals(3.0, s[2], 1e-6);
	}

	@Test
	void dicomFileWithTinyPixelSpacingIsRefusedNamingIt() {
		VolSegException e = readDicom(FUZZ.resolve("dicom_file/pixelspacing-1e-300.dcm"));
		assertTrue(e.getMessage().contains("PixelSpacing") && e.getMessage().contains("pixelspacing-1e-300.dcm"), e.getMessage());
	}

	@Test
	void dicomSeriesWithTinyPixelSpacingIsListedWithItsProblemAndRefused() {
		Path folder = FUZZ.resolve("dicom_folder/pixelspacing-tiny");
		DicomFolderReader reader = new DicomFolderReader();
		List<DicomSeries> series = reader.scan(folder);
		assertEquals(1, series.size());
		assertTrue(series.get(0).problem().contains("PixelSpacing"), series.get(0).problem());
		VolumeFormatException e = assertThrows(VolumeFormatException.class, () -> reader.read(series.get(0)));
		assertTrue(e.getMessage().contains(folder.toString()), e.getMessage());
	}

	@Test
	void rleFileDeclaringHalfAMillionFramesIsRefusedBeforeAllocating() {
		VolSegException e = assertTimeoutPreemptively(QUICK, () -> readDicom(FUZZ.resolve("dicom_file/rle-500000-frames.dcm")));
		assertTrue(e.getMessage().contains("NumberOfFrames is 500000"), e.getMessage());
		// few enough frames for the file's size, too many for its RLE fragments: refused by the decoder
		e = assertTimeoutPreemptively(QUICK, () -> readDicom(FUZZ.resolve("dicom_file/rle-80-frames.dcm")));
		assertTrue(e.getMessage().contains("RLE pixel data are") && e.getMessage().contains("80 frame(s)"), e.getMessage());
	}

	@Test
	void compressedFileWithRaisedSizeOrFramesIsRefusedBeforeAllocating() {
		VolSegException e = assertTimeoutPreemptively(QUICK,
				() -> readDicom(FUZZ.resolve("dicom_file/jpeg2000-rows-columns-30000.dcm")));
		assertTrue(e.getMessage().contains("jpeg2000-rows-columns-30000.dcm") && e.getMessage().contains("memory"), e.getMessage());
		e = assertTimeoutPreemptively(QUICK, () -> readDicom(FUZZ.resolve("dicom_file/jpeg2000-20000-frames.dcm")));
		assertTrue(e.getMessage().contains("20000"), e.getMessage());
	}

	@Test
	void deflateBombIsRefusedAtTheHeap() {
		VolSegException e = assertTimeoutPreemptively(QUICK, () -> readDicom(FUZZ.resolve("dicom_file/deflate-bomb-700mb.dcm")));
		assertTrue(e.getMessage().contains("deflate") && e.getMessage().contains("heap"), e.getMessage());
	}

	/** Found by the mutation fuzzer: jai-imageio's JPEG 2000 decoder loops on this codestream. */
	@Test
	void aJpeg2000DecoderThatLoopsIsGivenUp() {
		VolSegException e = assertTimeoutPreemptively(QUICK,
				() -> readDicom(FUZZ.resolve("dicom_file/jpeg2000-decoder-loops.dcm")));
		assertTrue(e.getMessage().contains("jpeg2000-decoder-loops.dcm") && e.getMessage().contains("did not finish"),
				e.getMessage());
	}

	@Test
	void theParsersReasonReachesTheUser() {
		VolSegException e = readDicom(FUZZ.resolve("dicom_file/element-length-4gb.dcm"));
		assertTrue(e.getMessage().contains("1 unreadable") && e.getMessage().contains("4294967280"), e.getMessage());
	}

	@Test
	void hostileDescriptorsAreRefusedNamingTheProblem() {
		assertDescriptorRefused("bad-int-tag.yaml", "abc");
		assertDescriptorRefused("bad-binary-tag.yaml", "%%%");
		assertDescriptorRefused("nul-in-weights-source.yaml", "weights.tensorflow_saved_model_bundle.source");
		assertDescriptorRefused("recursive-alias-in-network-config.yaml", "contains itself");
		assertDescriptorRefused("alias-bomb-49-aliases.yaml", "alias");
	}

	@Test
	void modelZipErrorsNameTheZip() {
		Path zip = FUZZ.resolve("model_zip/broken-rdf.zip");
		ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.open(zip));
		assertTrue(e.getMessage().startsWith(zip.toString()), e.getMessage());
		assertFalse(e.getMessage().contains("volseg-model-"), e.getMessage());
	}

	@Test
	void jsonBeyondDoubleRangeIsASyntaxError() throws IOException {
		for (String name : List.of("number-1e999.json", "long-integer-overflows-double.json")) {
			String text = Files.readString(FUZZ.resolve("json_config").resolve(name));
			Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parseObject(text));
			assertTrue(e.getMessage().contains("range"), e.getMessage());
		}
	}

	@Test
	void safetensorsWithOverlappingEntriesAreRefused() {
		Path file = FUZZ.resolve("safetensors/300-entries-same-bytes.safetensors");
		TensorFileException e = assertThrows(TensorFileException.class, () -> SafeTensors.read(file));
		assertTrue(e.getMessage().contains("overlap"), e.getMessage());
	}

	/** 20,000 one-element tensors (a 1 MB header): read in linear time, one small buffer for all. */
	@Test
	void manyTinyTensorsAreReadQuickly() throws IOException {
		int n = 20_000;
		StringBuilder h = new StringBuilder("{");
		for (int i = 0; i < n; i++)
			h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[")
					.append(4 * i).append(',').append(4 * i + 4).append("]}");
		byte[] header = h.append('}').toString().getBytes(StandardCharsets.UTF_8);
		ByteBuffer b = ByteBuffer.allocate(8 + header.length + 4 * n).order(ByteOrder.LITTLE_ENDIAN);
		b.putLong(header.length).put(header);
		for (int i = 0; i < n; i++)
			b.putFloat(i);
		Path file = Files.write(tmp.resolve("many.safetensors"), b.array());
		SafeTensors t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SafeTensors.read(file));
		assertEquals(n, t.tensors().size());
		assertEquals(12345f, t.tensors().get("t12345").data()[0]);
	}

	private static void assertDescriptorRefused(String name, String expected) {
		Path file = FUZZ.resolve("rdf_yaml").resolve(name);
		ModelPackageException e = assertTimeoutPreemptively(QUICK,
				() -> assertThrows(ModelPackageException.class, () -> DescriptorReader.read(file)));
		assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
	}

	private static VolSegException readDicom(Path file) {
		return assertThrows(VolSegException.class, () -> {
			DicomFolderReader reader = new DicomFolderReader();
			for (DicomSeries s : reader.scan(file))
				reader.read(s);
		});
	}
}
