package org.volseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.volseg.io.VolumeIO;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code volseg info [--json] PATH}: what a volume is and where it lies. */
@Command(name = "info", mixinStandardHelpOptions = true,
		description = { "Print a volume's dimensions, spacing, orientation code, affine (LPS and RAS), "
				+ "on-disk datatype and value statistics.",
				"JSON keys: dims, spacing_mm, orientation, affine_lps, affine_ras, datatype, min, max, sum, sum_sq "
						+ "(of the scaled values, float64), source." })
public final class InfoCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "PATH", description = "A NIfTI file (.nii, .nii.gz).")
	Path path;

	@Option(names = "--json", description = "Print one JSON object instead of text.")
	boolean json;

	@Override
	public Integer call() {
		VolumeReport report = new VolumeReport(VolumeIO.standard().open(path, true));
		spec.commandLine().getOut().println(json ? report.toJson() : report.toText());
		spec.commandLine().getOut().flush();
		return 0;
	}
}
