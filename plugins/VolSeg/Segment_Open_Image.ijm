// VolSeg example macro: segment the image in front with an installed model and show the labels
// as an overlay (outlines or filled) plus the label image and the results table.
//
// Interactive: open a scan (Plugins > VolSeg > Open NIfTI... / Open DICOM Series...), then run
// Plugins > VolSeg > Segment Open Image. In a macro: runMacro(".../Segment_Open_Image.ijm", "MODEL|OPTIONS").

if (nImages == 0) exit("Open a scan first (Plugins > VolSeg > Open NIfTI... or Open DICOM Series...)");
arg = getArgument();
if (arg != "") {
	parts = split(arg, "|");
	model = parts[0];
	options = "display=outlines";
	if (parts.length > 1) options = parts[1];
} else {
	models = split(call("org.volseg.fiji.Macros.listModels"), "\n");
	if (models.length == 0 || models[0] == "") exit("No VolSeg model installed: use Plugins > VolSeg > Install Model... first");
	names = newArray(models.length);
	for (i = 0; i < models.length; i++) names[i] = substring(models[i], 0, indexOf(models[i], "\t"));
	Dialog.create("VolSeg: Segment Open Image");
	Dialog.addChoice("Model", names);
	Dialog.addChoice("Overlay", newArray("filled", "outlines", "none"), "filled");
	Dialog.addSlider("Opacity (%)", 0, 100, 40);
	Dialog.addString("More options", "device=auto", 30);
	Dialog.show();
	model = Dialog.getChoice();
	options = "display=" + Dialog.getChoice() + " opacity=" + Dialog.getNumber() + " " + Dialog.getString();
}
scan = getTitle();
r = call("org.volseg.fiji.Macros.segment", "current", model, "", options + " show");
if (startsWith(r, "Error")) exit(r);
print("VolSeg: " + scan + " -> " + r + " (press Esc during a run to cancel)");
