// VolSeg example macro: segment every NIfTI scan (.nii, .nii.gz) of a folder.
//
// Interactive (Fiji or ImageJ): Plugins > VolSeg > Segment Folder asks for the folders and the model.
// Headless: ImageJ -batch Segment_Folder.ijm "INPUT_FOLDER|MODEL|OUTPUT_FOLDER|OPTIONS"
//   MODEL: an installed model's name (Fiji.app/models/volseg, ~/.volseg/models) or a package path.
//   OPTIONS (optional): e.g. "device=cpu roi=96,96,96 overlap=0.5".
// For each scan it writes NAME_labels.nii.gz and NAME_volumes.csv (one row per label: name,
// voxels, volume in mL, mean and SD of the intensity). A scan that fails is logged and skipped.
// (For DICOM folders, resuming and cluster shards use Plugins > VolSeg > Batch Segment Folder...
//  or call("org.volseg.fiji.Macros.batchSegment", input, model, output, options).)

arg = getArgument();
if (arg != "") {
	parts = split(arg, "|");
	input = parts[0]; model = parts[1]; output = parts[2];
	options = "";
	if (parts.length > 3) options = parts[3];
} else {
	input = getDirectory("Folder of NIfTI scans");
	output = getDirectory("Output folder");
	models = split(call("org.volseg.fiji.Macros.listModels"), "\n");
	names = newArray(models.length);
	for (i = 0; i < models.length; i++) names[i] = substring(models[i], 0, indexOf(models[i], "\t"));
	if (models.length == 0 || models[0] == "") exit("No VolSeg model installed: use Plugins > VolSeg > Install Model... first");
	Dialog.create("VolSeg: Segment Folder");
	Dialog.addChoice("Model", names);
	Dialog.addString("Options", "device=auto", 40);
	Dialog.show();
	model = Dialog.getChoice();
	options = Dialog.getString();
}
if (!endsWith(output, File.separator)) output = output + File.separator;
if (!endsWith(input, File.separator)) input = input + File.separator;

files = getFileList(input);
done = 0; failed = 0;
setBatchMode(true);
for (i = 0; i < files.length; i++) {
	name = files[i];
	if (!endsWith(name, ".nii") && !endsWith(name, ".nii.gz")) continue;
	stem = replace(replace(name, ".gz$", ""), ".nii$", "");
	showProgress(i, files.length);
	r = call("org.volseg.fiji.Macros.segment", input + name, model, output + stem + "_labels.nii.gz",
		options + " results=[" + output + stem + "_volumes.csv]");
	if (startsWith(r, "Error")) {
		print("FAILED " + name + ": " + r);
		failed++;
	} else {
		print("done " + name + " -> " + r);
		done++;
	}
}
call("org.volseg.fiji.Macros.releaseModel");
print("VolSeg: " + done + " segmented, " + failed + " failed");
