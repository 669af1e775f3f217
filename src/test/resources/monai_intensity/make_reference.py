"""Reference values for VolSeg's MONAI intensity steps (monai_normalize_intensity,
monai_scale_intensity, monai_scale_intensity_range), computed with numpy from MONAI's documented
semantics (see README.md). Writes reference.json next to this file. Deterministic."""
import json, os, sys
import numpy as np

rng = np.random.default_rng(13)
C, X, Y, Z = 2, 5, 4, 3
img = rng.normal(40.0, 90.0, size=(C, X, Y, Z)).astype(np.float32)
# exact zeros, at different places per channel (nonzero is judged element by element)
img[0, :2, :, 0] = 0
img[1, 3:, 1:, :] = 0
img[1, 0, 0, 0] = 0


def normalize_intensity(a, nonzero, channel_wise):
    a = a.astype(np.float32).copy()
    parts = [a[c] for c in range(a.shape[0])] if channel_wise else [a]
    for p in parts:
        sel = p != 0 if nonzero else np.ones(p.shape, bool)
        if not sel.any():
            continue  # nothing to normalise: unchanged
        v = p[sel].astype(np.float64)
        mean, std = v.mean(), v.std()  # population std
        if std == 0:
            std = 1.0
        p[sel] = ((v - mean) / std).astype(np.float32)
    return a


def scale_intensity(a, minv, maxv, channel_wise):
    a = a.astype(np.float32).copy()
    parts = [a[c] for c in range(a.shape[0])] if channel_wise else [a]
    for p in parts:
        lo, hi = float(p.min()), float(p.max())
        if lo == hi:
            p[...] = (p.astype(np.float64) * minv).astype(np.float32)
        else:
            p[...] = (((p.astype(np.float64) - lo) / (hi - lo)) * (maxv - minv) + minv).astype(np.float32)
    return a


def scale_intensity_range(a, a_min, a_max, b_min, b_max, clip):
    a = a.astype(np.float64)
    if a_max == a_min:
        return (a - a_min + b_min).astype(np.float32)
    out = (a - a_min) / (a_max - a_min) * (b_max - b_min) + b_min
    if clip:
        out = np.minimum(np.maximum(out, b_min), b_max)
    return out.astype(np.float32)


def flat(a):
    """[c][x fastest, then y, then z]"""
    return [[float(v) for v in a[c].flatten(order="F")] for c in range(a.shape[0])]


cases = {}
one = img[:1]
cases["wholebody_chain_1ch"] = dict(input=flat(one), steps=[
    dict(id="monai_normalize_intensity", nonzero=True, channel_wise=False),
    dict(id="monai_scale_intensity", minv=-1.0, maxv=1.0, channel_wise=False)],
    expected=flat(scale_intensity(normalize_intensity(one, True, False), -1.0, 1.0, False)))
cases["wholebody_chain_2ch"] = dict(input=flat(img), steps=cases["wholebody_chain_1ch"]["steps"],
    expected=flat(scale_intensity(normalize_intensity(img, True, False), -1.0, 1.0, False)))
cases["normalize_nonzero_channel_wise"] = dict(input=flat(img), steps=[
    dict(id="monai_normalize_intensity", nonzero=True, channel_wise=True)],
    expected=flat(normalize_intensity(img, True, True)))
cases["normalize_all_joint"] = dict(input=flat(img), steps=[
    dict(id="monai_normalize_intensity", nonzero=False, channel_wise=False)],
    expected=flat(normalize_intensity(img, False, False)))
zero_ch = img.copy()
zero_ch[1] = 0
cases["normalize_nonzero_channel_wise_empty_channel"] = dict(input=flat(zero_ch), steps=[
    dict(id="monai_normalize_intensity", nonzero=True, channel_wise=True)],
    expected=flat(normalize_intensity(zero_ch, True, True)))
cases["scale_intensity_channel_wise"] = dict(input=flat(img), steps=[
    dict(id="monai_scale_intensity", minv=0.0, maxv=1.0, channel_wise=True)],
    expected=flat(scale_intensity(img, 0.0, 1.0, True)))
const = img.copy()
const[1] = 7.0
cases["scale_intensity_constant_channel"] = dict(input=flat(const), steps=[
    dict(id="monai_scale_intensity", minv=-2.0, maxv=3.0, channel_wise=True)],
    expected=flat(scale_intensity(const, -2.0, 3.0, True)))
cases["scale_intensity_range_clip"] = dict(input=flat(img), steps=[
    dict(id="monai_scale_intensity_range", a_min=-57.0, a_max=164.0, b_min=0.0, b_max=1.0, clip=True)],
    expected=flat(scale_intensity_range(img, -57.0, 164.0, 0.0, 1.0, True)))
cases["scale_intensity_range_noclip"] = dict(input=flat(img), steps=[
    dict(id="monai_scale_intensity_range", a_min=-175.0, a_max=250.0, b_min=-1.0, b_max=2.0, clip=False)],
    expected=flat(scale_intensity_range(img, -175.0, 250.0, -1.0, 2.0, False)))

out = dict(shape=dict(channels=C, x=X, y=Y, z=Z), order="per channel, x fastest, then y, then z", cases=cases)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json"), "w") as f:
    json.dump(out, f, indent=1)
