package org.volseg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.volseg.sample.AbdominalPhantomGenerator;
import org.volseg.sample.PhantomWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code volseg phantom}: writes synthetic abdominal CT phantoms with their labels. */
@Command(name = "phantom", mixinStandardHelpOptions = true,
		description = { "Write synthetic abdominal CT phantoms (HU) and their labels as caseNNN_image.nii.gz / "
				+ "caseNNN_labels.nii.gz, NNN from 000. Case i has seed S + i.",
				"Labels: 0 background, 1 body, 2 liver, 3 spleen, 4 right kidney, 5 left kidney, 6 spine." })
public final class PhantomCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--seed", required = true, paramLabel = "S", description = "Seed of the first case.")
	long seed;

	@Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Number of cases (default: ${DEFAULT-VALUE}).")
	int count;

	@Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
	Path out;

	@Option(names = "--size", paramLabel = "X,Y,Z", split = ",", description = "Grid size (default: 128,128,64).")
	int[] size;

	@Option(names = "--overwrite", description = "Replace case files that exist already.")
	boolean overwrite;

	@Option(names = "--dicom", description = "Also write each image as a DICOM CT series in caseNNN_dicom/ (never overwritten).")
	boolean dicom;

	@Override
	public Integer call() {
		AbdominalPhantomGenerator generator = size == null ? AbdominalPhantomGenerator.defaults()
				: AbdominalPhantomGenerator.ofSize(size);
		PhantomWriter.write(generator, seed, count, out, overwrite, c -> {
			spec.commandLine().getOut().println(c.image().getFileName() + "  " + c.labels().getFileName()
					+ "  (" + c.description() + ")");
			if (dicom)
				spec.commandLine().getOut().println(PhantomWriter.writeDicomSeries(c, PhantomWriter.dicomPath(out, c.index())).size()
						+ " DICOM files in " + PhantomWriter.dicomPath(out, c.index()).getFileName());
		});
		return 0;
	}
}
