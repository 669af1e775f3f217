package org.volseg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.volseg.io.VolumeIO;
import org.volseg.io.dicom.DicomFolderReader;
import org.volseg.io.dicom.DicomSeries;
import org.volseg.io.dicom.DicomFormat;
import org.volseg.io.dicom.DicomVolumeSource;
import org.volseg.io.nifti.NiftiSource;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg info [--json] [--series N] PATH}: what a volume is and where it lies. */
@Command(name = "info", mixinStandardHelpOptions = true,
		description = { "Print a volume's dimensions, spacing, orientation code, affine (LPS and RAS), "
				+ "on-disk datatype and value statistics.",
				"JSON keys: dims, spacing_mm, orientation, affine_lps, affine_ras, datatype, min, max, sum, sum_sq "
						+ "(of the scaled values, float64), source.",
				"For a DICOM folder or file: the table of its series, then the main series (or --series N); "
						+ "with --json and no --series, a JSON array with one object per series "
						+ "(the keys above plus series_uid, series_number, description, modality, slices, colour, "
						+ "localizer, warnings; or error)." })
public final class InfoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "PATH", description = "A NIfTI file (.nii, .nii.gz), a DICOM folder or a DICOM file.")
	Path path;

	@Option(names = "--json", description = "Print JSON instead of text.")
	boolean json;

	@Option(names = "--series", paramLabel = "N|UID", description = "DICOM: the SeriesNumber or SeriesInstanceUID to describe (default: the table of "
			+ "all series and the main one).")
	String series;

	@Override
	public Integer call() {
		boolean dicom = !new NiftiSource().accepts(path) && new DicomVolumeSource(DicomFormat.parser(), null).accepts(path);
		StringBuilder text = new StringBuilder();
		if (dicom && (series == null || !json)) {
			DicomFolderReader reader = new DicomFolderReader();
			List<DicomSeries> all = reader.scan(path);
			if (json) {
				print(DicomInfoOutput.folderJson(reader, all));
				return 0;
			}
			text.append(DicomInfoOutput.seriesTable(path, all)).append('\n');
			DicomSeries chosen = DicomVolumeSource.chooseSeries(path, all, series);
			text.append("series ").append(chosen.seriesNumber() == null ? "(no number)" : chosen.seriesNumber())
					.append(series == null ? " (the main series; choose another with --series N):" : ":").append('\n');
		}
		org.volseg.io.LoadedVolume loaded = VolumeIO.forSeries(series).open(path, true);
		VolumeReport report = new VolumeReport(loaded);
		if (json && loaded.details().containsKey("skipped")) {
			String w = String.valueOf(loaded.details().get("warnings"));
			report.put("warnings", w.isEmpty() ? List.of() : List.of(w.split("; ")));
			report.put("skipped", loaded.details().get("skipped"));
		}
		text.append(json ? report.toJson() : report.toText());
		print(text.toString());
		return 0;
	}

	private void print(String s) {
		spec.commandLine().getOut().println(s);
		spec.commandLine().getOut().flush();
	}
}
