package org.volseg.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.volseg.VolSegException;
import org.volseg.util.Json;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.nifti.NiftiReader;
import org.volseg.model.DescriptorReader;
import org.volseg.model.ModelPackage;
import org.volseg.nets.Architectures;
import org.volseg.nets.SafeTensors;

/**
 * One parser of user input, driven by the bytes of one file: the property every fuzz harness checks
 * is that {@link #parse} either returns or throws a {@link VolSegException}; anything else (another
 * runtime exception, an {@link Error} such as {@link OutOfMemoryError}) is a bug. Seeds are the test
 * fixtures of {@code src/test/resources}. Each target writes what it needs into the folder it is
 * given; the caller empties it between cases.
 */
public enum ParserTarget {

	/** {@code NiftiReader.read} of a {@code .nii} file (NIfTI-1 and -2). */
	NIFTI(".nii", new int[] { 0, 40, 42, 44, 46, 48, 70, 72, 76, 80, 84, 88, 108, 112, 252, 254, 256, 268, 280, 284, 296, 312 }) {
		@Override
		void parse(byte[] data, Path dir) {
			NiftiReader.read(write(dir, "case.nii", data), true);
		}

		@Override
		List<byte[]> seeds() {
			return resources("nifti/nib_int8_pixdim_only.nii", "nifti/nib_float64_qform_only.nii", "nifti/nib_int32_scaled.nii",
					"nifti/nib_float32_nifti2_be.nii", "nifti/nib_uint32_be.nii");
		}
	},
	/** A single DICOM file scanned and read as a volume (all transfer syntaxes of the fixtures). */
	DICOM_FILE(".dcm", null) {
		@Override
		void parse(byte[] data, Path dir) {
			Path file = write(dir, "case.dcm", data);
			readAll(file);
		}

		@Override
		List<byte[]> seeds() {
			return resources("dicom/CT_small.dcm", "dicom/MR_small.dcm", "dicom/MR_small_RLE.dcm", "dicom/MR_small_bigendian.dcm",
					"dicom/MR_small_implicit.dcm", "dicom/JPEG2000.dcm", "dicom/JPGExtended.dcm", "dicom/image_dfl.dcm",
					"dicom/jpeg12_extended_2frames.dcm", "dicom/MR_small_jpeg_ls_lossless.dcm", "dicom/SC_rgb_jpeg_gdcm.dcm",
					"dicom/rtdose.dcm");
		}
	},
	/**
	 * A DICOM folder: three slices of the axial CT fixture series, the middle one replaced by the
	 * case (series assembly: positions, orientation, spacing, sizes).
	 */
	DICOM_FOLDER(".dcm", null) {
		@Override
		void parse(byte[] data, Path dir) {
			List<byte[]> slices = FOLDER_SLICES;
			write(dir, "IM0", slices.get(0));
			write(dir, "IM1", data);
			write(dir, "IM2", slices.get(2));
			readAll(dir);
		}

		@Override
		List<byte[]> seeds() {
			return List.of(FOLDER_SLICES.get(1));
		}
	},
	/** {@code SafeTensors.read}. */
	SAFETENSORS(".safetensors", new int[] { 0, 1, 2, 3, 4, 7 }) {
		@Override
		void parse(byte[] data, Path dir) {
			SafeTensors.read(write(dir, "case.safetensors", data));
		}

		@Override
		List<byte[]> seeds() {
			List<byte[]> seeds = new ArrayList<>(resources("parity/unetr_small_perceptron.safetensors"));
			seeds.add(smallSafetensors());
			return seeds;
		}
	},
	/** {@code TorchCheckpoint.read} of a {@code torch.save} zip checkpoint (issue 13's safe unpickler). */
	TORCH_CHECKPOINT(".pt", null) {
		@Override
		void parse(byte[] data, Path dir) {
			org.volseg.weights.TorchCheckpoint.read(write(dir, "case.pt", data), null);
		}

		@Override
		List<byte[]> seeds() {
			return resources("weights/torch/net_state_dict.pt", "weights/torch/dtypes.pt", "weights/torch/views.pt",
					"weights/torch/state_dict_epoch.pt", "weights/torch/dtypes_big_endian.pt");
		}
	},
	/** {@code DescriptorReader.read} of an {@code rdf.yaml}. */
	RDF_YAML(".yaml", null) {
		@Override
		void parse(byte[] data, Path dir) {
			DescriptorReader.read(write(dir, "rdf.yaml", data));
		}

		@Override
		List<byte[]> seeds() {
			List<byte[]> seeds = new ArrayList<>(resources("model/example-rdf.yaml"));
			seeds.add(read(Path.of("sample-volumes/models/volseg-phantom-unetr/rdf.yaml")));
			return seeds;
		}
	},
	/** {@code ModelPackage.open} of a model {@code .zip} (rdf.yaml and a SavedModel folder). */
	MODEL_ZIP(".zip", null) {
		@Override
		void parse(byte[] data, Path dir) {
			try (ModelPackage p = ModelPackage.open(write(dir, "model.zip", data))) {
				p.descriptor();
			}
		}

		@Override
		List<byte[]> seeds() {
			byte[] rdf = read(Path.of("sample-volumes/models/volseg-phantom-unetr/rdf.yaml"));
			return List.of(zip(Map.of("rdf.yaml", rdf, "saved_model/saved_model.pb", new byte[] { 8, 1 })),
					zip(Map.of("pkg/rdf.yaml", rdf, "pkg/saved_model/saved_model.pb", new byte[] { 8, 1 })));
		}
	},
	/** A JSON network configuration ({@code volseg convert --config}): parsed, then given to every architecture. */
	JSON_CONFIG(".json", null) {
		@Override
		void parse(byte[] data, Path dir) {
			Map<String, Object> config;
			try {
				config = Json.parseObject(new String(data, StandardCharsets.UTF_8));
			} catch (Json.SyntaxException e) {
				throw new VolSegException("config.json: " + e.getMessage(), e);
			}
			for (String name : Architectures.names())
				Architectures.byName(name).configure(config);
		}

		@Override
		List<byte[]> seeds() {
			List<byte[]> seeds = new ArrayList<>();
			for (String name : Architectures.names())
				for (Map<String, Object> preset : Architectures.byName(name).presets().values())
					seeds.add(Json.write(preset).getBytes(StandardCharsets.UTF_8));
			return seeds;
		}
	};

	private static final List<byte[]> FOLDER_SLICES = resources("dicom/series/axial_ct/IM01000", "dicom/series/axial_ct/IM01001",
			"dicom/series/axial_ct/IM01002");

	/** File name suffix of a case (for crasher files). */
	final String suffix;
	/** Offsets of header fields worth setting to boundary values, or null to find them in the seed. */
	private final int[] hotOffsets;

	ParserTarget(String suffix, int[] hotOffsets) {
		this.suffix = suffix;
		this.hotOffsets = hotOffsets;
	}

	/** Parses one case; returns normally or throws a {@link VolSegException} if the parser is correct. */
	abstract void parse(byte[] data, Path dir);

	/** The unmutated inputs (fixtures). */
	abstract List<byte[]> seeds();

	/** Offsets in {@code seed} of header fields (sizes, lengths, spacings) to set to boundary values. */
	int[] hotOffsets(byte[] seed) {
		if (hotOffsets != null)
			return hotOffsets;
		if (this == DICOM_FILE || this == DICOM_FOLDER)
			return DicomFields.offsets(seed);
		return new int[0];
	}

	/** Whether the input is text (rdf.yaml, JSON): mutations also splice in hostile tokens. */
	boolean text() {
		return this == RDF_YAML || this == JSON_CONFIG;
	}

	private static void readAll(Path input) {
		DicomFolderReader reader = new DicomFolderReader();
		for (DicomSeries s : reader.scan(input))
			reader.read(s);
	}

	static Path write(Path dir, String name, byte[] data) {
		try {
			return Files.write(dir.resolve(name), data);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static byte[] read(Path p) {
		try {
			return Files.readAllBytes(p);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static List<byte[]> resources(String... names) {
		List<byte[]> out = new ArrayList<>();
		for (String n : names)
			out.add(read(Path.of("src/test/resources", n)));
		return out;
	}

	static byte[] zip(Map<String, byte[]> entries) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipOutputStream z = new ZipOutputStream(bytes)) {
			for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
				z.putNextEntry(new ZipEntry(e.getKey()));
				z.write(e.getValue());
				z.closeEntry();
			}
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return bytes.toByteArray();
	}

	/** A safetensors file of a few small tensors of several dtypes (a compact seed). */
	private static byte[] smallSafetensors() {
		String header = "{\"__metadata__\":{\"config\":\"{}\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
				+ "\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[16,22]},"
				+ "\"c\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[22,30]}}";
		byte[] h = header.getBytes(StandardCharsets.UTF_8);
		java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.putLong(h.length).put(h);
		for (int i = 0; i < 4; i++)
			b.putFloat(i + 0.5f);
		b.putShort((short) 0x3c00).putShort((short) 0x4000).putShort((short) 0xc000).putLong(7);
		return b.array();
	}
}
