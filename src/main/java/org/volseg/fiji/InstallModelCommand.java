package org.volseg.fiji;

import java.io.File;
import java.nio.file.Path;

import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;
import org.volseg.runtime.EngineRuntimes;
import org.volseg.model.ModelInstaller;

import ij.IJ;

/**
 * {@code Plugins > VolSeg > Install Model...}: validates a model package (folder, its rdf.yaml, or a
 * .zip: the descriptor is checked and the SavedModel loaded once) and copies it into Fiji's models
 * folder ({@code Fiji.app/models/volseg}) or the user's ({@code ~/.volseg/models}), atomically.
 */
@Plugin(type = Command.class, menuPath = "Plugins>VolSeg>Install Model...", headless = true)
public class InstallModelCommand extends ContextCommand {

	static final String FIJI = "Fiji (Fiji.app/models/volseg)", USER = "user (~/.volseg/models)";

	@Parameter
	private LogService log;

	@Parameter(label = "Model package (.zip or rdf.yaml) or MONAI bundle (.zip or its configs/inference.json)",
			style = FileWidget.OPEN_STYLE)
	private File model_package;

	@Parameter(label = "Install for", choices = { FIJI, USER })
	private String destination = FIJI;

	@Parameter(label = "Replace an installed model of the same name")
	private boolean replace = false;

	@Parameter(label = "Trust this model", required = false, persist = false, description = "Install the model even if"
			+ " its graph holds operations outside VolSeg's allow-list (they are listed when VolSeg refuses it): file,"
			+ " network or Python operations. Only for models from authors you trust.")
	private boolean trust_model = false;

	private Path installed;
	private String error;

	@Override
	public void run() {
		error = CommandRun.guarded(log, () -> {
			Path folder = USER.equals(destination) || "user".equalsIgnoreCase(destination) ? ModelCatalog.userModelsFolder()
					: ModelCatalog.fijiModelsFolder();
			// a MONAI bundle is imported first (once, into the bundle cache), with progress in the status bar
			Path source = EngineRuntimes.get().packageFor(model_package.toPath(),
					line -> IJ.showStatus("VolSeg: " + line), warning -> log.warn("VolSeg: " + warning));
			installed = ModelInstaller.install(source, folder, replace, pkg -> EngineRuntimes.get().verify(pkg.source(), trust_model));
			IJ.showStatus("VolSeg: installed " + installed);
			log.info("VolSeg: model installed in " + installed);
		});
	}

	/** The installed package folder, or null. */
	public Path installed() {
		return installed;
	}

	/** The error message, or null. */
	public String error() {
		return error;
	}
}
