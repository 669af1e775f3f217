"""Writes labels_{reference,prediction}.u8 and expected.json for SegmentationEvaluatorReferenceTest.

The expected HD95 follows MONAI's compute_hausdorff_distance(percentile=95) procedure with the
spacing passed to the Euclidean distance transform: edges = mask XOR binary_erosion(mask)
(scipy default 6-connected structure, outside = background), distances from one set of edges to
the other with scipy.ndimage.distance_transform_edt(~edges, sampling=spacing), numpy.percentile
(linear) of each directed set, maximum of the two. Dice = 2|A&B|/(|A|+|B|).
Run: python3 make_reference.py (numpy 2.4.6, scipy 1.17.1 were used).
"""
import json
import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt, gaussian_filter

shape = (23, 19, 11)           # (x, y, z), written x-fastest (Fortran order)
spacing = (0.9, 1.3, 2.7)
rng = np.random.default_rng(20261123)

def labels():
    out = np.zeros(shape, np.uint8)
    for label in (1, 2, 3):
        field = gaussian_filter(rng.standard_normal(shape), sigma=2.0)
        mask = field > np.quantile(field, 0.80 - 0.1 * label)
        out[mask & (out == 0)] = label
    return out

ref = labels()
pred = labels()
pred[ref == 2] = 2              # class 2 mostly agrees, classes 1 and 3 differ
pred[:, :, 0] = 0
ref.flatten(order="F").tofile("labels_reference.u8")
pred.flatten(order="F").tofile("labels_prediction.u8")

def directed(a_edges, b_edges):
    dist = distance_transform_edt(~b_edges, sampling=spacing)
    return np.percentile(dist[a_edges], 95)

expected = {"shape": shape, "spacing": spacing, "classes": []}
for label in (1, 2, 3):
    a, b = ref == label, pred == label
    ea, eb = a ^ binary_erosion(a), b ^ binary_erosion(b)
    hd95 = max(directed(eb, ea), directed(ea, eb))
    dice = 2.0 * np.sum(a & b) / (np.sum(a) + np.sum(b))
    expected["classes"].append({"label": label, "dice": float(dice), "hd95_mm": float(hd95),
                                "reference_voxels": int(a.sum()), "prediction_voxels": int(b.sum())})
json.dump(expected, open("expected.json", "w"), indent=1)
print(json.dumps(expected, indent=1))
