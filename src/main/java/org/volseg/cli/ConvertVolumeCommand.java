package org.volseg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.volseg.InvalidParameterException;
import org.volseg.io.LoadedVolume;
import org.volseg.io.VolumeIO;
import org.volseg.io.nifti.NiftiDatatype;
import org.volseg.io.nifti.NiftiWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code volseg convert-volume IN OUT.nii.gz}: rewrites any readable volume as NIfTI; a DICOM SEG
 * becomes a label image (see {@link SegConversion}).
 */
@Command(name = "convert-volume", mixinStandardHelpOptions = true,
		description = { "Rewrite a volume (any source VolSeg reads) as a NIfTI file (.nii or .nii.gz), "
				+ "with qform and sform both set from its geometry. The output is written atomically and never "
				+ "replaces the input.",
				"A DICOM SEG file becomes a label image (label = SegmentNumber) with OUT's name and .segments.json "
						+ "next to it (segment names and codes); --reference places it on the scan's grid." })
public final class ConvertVolumeCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "IN", description = "The volume to read: a NIfTI file, a DICOM folder or a DICOM file.")
	Path input;

	@Parameters(index = "1", paramLabel = "OUT", description = "The NIfTI file to write (.nii or .nii.gz).")
	Path output;

	@Option(names = "--datatype", paramLabel = "TYPE", defaultValue = "auto",
			description = "On-disk type: auto (the input's type if every value fits it, else float32), uint8, int8, "
					+ "uint16, int16, uint32, int32, int64, float32 or float64. Default: ${DEFAULT-VALUE}.")
	String datatype;

	@Option(names = "--series", paramLabel = "N|UID",
			description = "DICOM input: the SeriesNumber or SeriesInstanceUID to convert (default: the main series; a number several series share is refused; see volseg info).")
	String series;

	@Option(names = "--volume-index", paramLabel = "K",
			description = "Write only volume K (0-based) of a 4D scan (a time point of an fMRI, a MOSAIC time series).")
	Integer volumeIndex;

	@Option(names = "--reference", paramLabel = "DICOM_FOLDER",
			description = "DICOM SEG input: the scan's DICOM folder; the labels are written on its grid (frames matched by "
					+ "ReferencedSOPInstanceUID, else by position). Default: the SEG's own frame geometry.")
	Path reference;

	@Override
	public Integer call() {
		refuseOverwritingInput();
		if (org.volseg.io.dicom.SegReader.isSeg(input)) {
			SegConversion.convert(input, reference, output, spec.commandLine().getOut(), spec.commandLine().getErr());
			return 0;
		}
		if (reference != null)
			throw InvalidParameterException.of("--reference", reference, "given only with a DICOM SEG input; " + input
					+ " is not a DICOM SEG");
		boolean auto = datatype.toLowerCase(Locale.ROOT).equals("auto");
		NiftiDatatype type = auto ? null : NiftiDatatype.ofLabel(datatype);
		if (!auto && type == null)
			throw InvalidParameterException.of("--datatype", datatype,
					"auto, uint8, int8, uint16, int16, uint32, int32, int64, float32 or float64");
		LoadedVolume in = VolumeIO.forSeries(series).open(input, false);
		if (auto) {
			type = NiftiDatatype.ofLabel(in.datatype());
			if (type == null)
				type = NiftiDatatype.FLOAT32;
		}
		org.volseg.volume.Volume volume = org.volseg.pipeline.InputCheck.pickVolume(in.volume(), volumeIndex, input.toString());
		Object warnings = in.details().get("warnings");
		if (warnings instanceof String w && !w.isEmpty())
			spec.commandLine().getErr().println("volseg: warning: " + w);
		try {
			NiftiWriter.write(volume, output, NiftiWriter.Options.of(type));
		} catch (InvalidParameterException e) {
			if (!auto || type == NiftiDatatype.FLOAT32)
				throw e;
			// scaled values (scl_slope) no longer fit the stored integer type
			type = NiftiDatatype.FLOAT32;
			NiftiWriter.write(volume, output, NiftiWriter.Options.of(type));
		}
		spec.commandLine().getOut().println("wrote " + output + " (" + type.label() + ")");
		spec.commandLine().getOut().flush();
		return 0;
	}

	private void refuseOverwritingInput() {
		if (org.volseg.util.SameFile.as(input, output))
			throw InvalidParameterException.of("OUT", output, "a file other than the input " + input);
	}
}
