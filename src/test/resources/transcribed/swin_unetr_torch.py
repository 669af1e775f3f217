"""VolSeg's own PyTorch transcription of MONAI's SwinUNETR (Hatamizadeh et al. 2022), 3-D, eval mode.

Written for the same-run PyTorch side of the SwinUNETR-BTCV row in docs/benchmarks.md (MONAI is not
installable on the build machine), after reading MONAI's monai/networks/nets/swin_unetr.py,
blocks/unetr_block.py, blocks/dynunet_block.py and blocks/patchembedding.py. No MONAI code is copied
or imported. Child module names follow MONAI's, so a MONAI SwinUNETR state dict (for example a
bundle's models/model.pt) loads with strict=True.

What is built (the keyword arguments the model zoo's swin_unetr_btcv_segmentation bundle uses):
  - encoder: Conv3d patch embedding (patch 2, stride 2, bias), four Swin stages (layers1..layers4,
    window 7, shift 3 on every second block, relative position bias, region masks for the shifted
    windows, GELU MLP with ratio 4, pre-norm LayerNorms), each followed by patch merging to half the
    resolution and twice the channels; the five hidden states (after the embedding and after every
    stage) pass a LayerNorm without affine parameters when normalize=True;
  - decoder: UNETR residual blocks (3x3x3 convolutions without bias, instance norm without affine,
    LeakyReLU 0.01, 1x1x1 projection on the shortcut when the channel count changes), transposed
    2x2x2 convolutions (no bias) and a 1x1x1 output convolution (bias).
  - merging: the 2x2x2 sub-grid concatenation order of the patch merging layers:
      "monai14"   MONAI <= 1.4 PatchMerging (the order the published BTCV weights were trained with):
                  offsets (d0,d1,d2) = 000 100 010 001 101 010 001 111 (010 and 001 twice; 110, 011 never)
      "monai15"   MONAI >= 1.5.0 PatchMerging: 000 100 010 001 110 101 011 111
      "mergingv2" PatchMergingV2 (downsample="mergingv2"): 000 001 010 011 100 101 110 111
Not built: use_v2=True (the extra residual blocks before each stage), patch_norm=True, norm_name other
than "instance", 2-D networks, dropout/drop-path (inactive in eval mode anyway).

Run as a script, it checks the transcription against MONAI's own output for the mini bundle
fixture (feature_size 12, depths [2, 2, 1, 1]):
  python3 swin_unetr_torch.py [BUNDLE_DIR]
BUNDLE_DIR defaults to /work/shared/fixtures/bundles/mini/swin_unetr_btcv_segmentation and must hold
models/model.pt and forward.safetensors (input, expected_output = MONAI 1.5.0, expected_output_monai14
= MONAI <= 1.4 merging order). Prints max |y - expected| / max |expected| per case; exit status 1 if
any exceeds 1e-4.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

# Concatenation order of the eight sub-grids x[:, i::2, j::2, k::2, :] as (i, j, k) offsets.
MERGING_ORDERS = {
    "monai14": [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 0, 1), (0, 1, 0), (0, 0, 1), (1, 1, 1)],
    "monai15": [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)],
    "mergingv2": [(i, j, k) for i in (0, 1) for j in (0, 1) for k in (0, 1)],
}


# ---------------------------------------------------------------- decoder building blocks (UNETR)

class ConvUnit(nn.Module):
    """Holds one convolution under the child name `conv` (MONAI's Convolution with conv_only=False and
    neither norm nor activation), so the state-dict key is `<name>.conv.weight`."""

    def __init__(self, cin, cout, kernel, stride=1, bias=False, transposed=False):
        super().__init__()
        if transposed:  # kernel == stride: no padding, no output padding
            self.conv = nn.ConvTranspose3d(cin, cout, kernel, stride=stride, bias=bias)
        else:           # odd kernel, stride 1: "same" padding
            self.conv = nn.Conv3d(cin, cout, kernel, stride=stride, padding=(kernel - stride + 1) // 2, bias=bias)

    def forward(self, x):
        return self.conv(x)


def instance_norm(channels, norm_name):
    if norm_name not in ("instance", "INSTANCE", ("instance", {}), ["instance", {}]):
        raise ValueError("norm_name %r: this transcription builds instance norm only" % (norm_name,))
    return nn.InstanceNorm3d(channels)  # affine=False, no running statistics: MONAI's "instance"


class ResidualConvBlock(nn.Module):
    """MONAI's UnetResBlock with stride 1: two 3x3x3 convolutions with norms, a LeakyReLU between and
    after, and the input added before the last LeakyReLU (through a 1x1x1 convolution + norm when the
    channel count changes)."""

    def __init__(self, cin, cout, norm_name):
        super().__init__()
        self.conv1 = ConvUnit(cin, cout, 3)
        self.conv2 = ConvUnit(cout, cout, 3)
        self.lrelu = nn.LeakyReLU(0.01)
        self.norm1 = instance_norm(cout, norm_name)
        self.norm2 = instance_norm(cout, norm_name)
        self.project = cin != cout
        if self.project:
            self.conv3 = ConvUnit(cin, cout, 1)
            self.norm3 = instance_norm(cout, norm_name)

    def forward(self, x):
        y = self.lrelu(self.norm1(self.conv1(x)))
        y = self.norm2(self.conv2(y))
        shortcut = self.norm3(self.conv3(x)) if self.project else x
        return self.lrelu(y + shortcut)


class EncoderBlock(nn.Module):
    """MONAI's UnetrBasicBlock with res_block=True: one residual block under the name `layer`."""

    def __init__(self, cin, cout, norm_name):
        super().__init__()
        self.layer = ResidualConvBlock(cin, cout, norm_name)

    def forward(self, x):
        return self.layer(x)


class DecoderBlock(nn.Module):
    """MONAI's UnetrUpBlock with res_block=True: transposed 2x2x2 convolution (stride 2, no bias), the
    skip tensor appended on the channel axis, then a residual block from 2*cout to cout channels."""

    def __init__(self, cin, cout, norm_name):
        super().__init__()
        self.transp_conv = ConvUnit(cin, cout, 2, stride=2, transposed=True)
        self.conv_block = ResidualConvBlock(2 * cout, cout, norm_name)

    def forward(self, x, skip):
        return self.conv_block(torch.cat([self.transp_conv(x), skip], dim=1))


class OutputBlock(nn.Module):
    """MONAI's UnetOutBlock: a 1x1x1 convolution with bias, under `conv.conv`."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = ConvUnit(cin, cout, 1, bias=True)

    def forward(self, x):
        return self.conv(x)


# ---------------------------------------------------------------- Swin encoder

def effective_window(sizes, window, shift):
    """A window never exceeds the feature map: along an axis no longer than the window, the window is
    the whole axis and there is no shift (as MONAI's get_window_size)."""
    w, s = list(window), list(shift)
    for a, n in enumerate(sizes):
        if n <= window[a]:
            w[a], s[a] = n, 0
    return tuple(w), tuple(s)


def to_windows(x, w):
    """[B, D, H, W, C] (each spatial size a multiple of the window) -> [B * windows, w0*w1*w2, C],
    windows in raster order of their grid position, tokens in raster order inside a window."""
    b, d, h, wd, c = x.shape
    x = x.reshape(b, d // w[0], w[0], h // w[1], w[1], wd // w[2], w[2], c)
    return x.permute(0, 1, 3, 5, 2, 4, 6, 7).reshape(-1, w[0] * w[1] * w[2], c)


def from_windows(t, w, b, d, h, wd):
    """Inverse of to_windows."""
    x = t.reshape(b, d // w[0], h // w[1], wd // w[2], w[0], w[1], w[2], -1)
    return x.permute(0, 1, 4, 2, 5, 3, 6, 7).reshape(b, d, h, wd, -1)


def shifted_window_mask(padded, w, s):
    """Additive attention mask [windows, n, n] for the cyclically shifted windows: tokens that came
    from different regions of the padded (not shifted) map may not attend to each other (-100)."""
    region = torch.zeros(1, *padded, 1)
    label = 0
    bands = [[(0, p - wa), (p - wa, p - sa), (p - sa, p)] for p, wa, sa in zip(padded, w, s)]
    for d0 in bands[0]:
        for d1 in bands[1]:
            for d2 in bands[2]:
                region[:, d0[0]:d0[1], d1[0]:d1[1], d2[0]:d2[1], :] = label
                label += 1
    ids = to_windows(region, w).squeeze(-1)          # [windows, n]
    different = ids[:, None, :] != ids[:, :, None]   # [windows, n(query), n(key)]
    return torch.zeros(different.shape).masked_fill(different, -100.0)


def relative_position_index(window):
    """[n, n] index into the (2w0-1)(2w1-1)(2w2-1) bias table for every query/key token pair of a
    full window (raster order), as the Swin Transformer defines it."""
    grid = torch.stack(torch.meshgrid(*[torch.arange(k) for k in window], indexing="ij")).flatten(1)  # [3, n]
    rel = (grid[:, :, None] - grid[:, None, :]).permute(1, 2, 0)  # [n, n, 3]: query - key
    rel = rel + torch.tensor([k - 1 for k in window])
    strides = torch.tensor([(2 * window[1] - 1) * (2 * window[2] - 1), 2 * window[2] - 1, 1])
    return (rel * strides).sum(-1)


class WindowAttention(nn.Module):
    """Multi-head self-attention inside each window, with a learned relative position bias per head."""

    def __init__(self, dim, heads, window, qkv_bias):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        table = (2 * window[0] - 1) * (2 * window[1] - 1) * (2 * window[2] - 1)
        self.relative_position_bias_table = nn.Parameter(torch.zeros(table, heads))
        nn.init.trunc_normal_(self.relative_position_bias_table, std=0.02)  # MONAI's initialisation
        self.register_buffer("relative_position_index", relative_position_index(window))
        self.qkv = nn.Linear(dim, 3 * dim, bias=qkv_bias)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, mask):
        bw, n, c = x.shape
        q, k, v = self.qkv(x).reshape(bw, n, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        scores = (q * self.scale) @ k.transpose(-2, -1)                 # [bw, heads, n, n]
        # A window shrunk to a small feature map has n < 343 tokens; MONAI then takes the top-left
        # n x n corner of the full window's index (not the index of the smaller window). So do we.
        idx = self.relative_position_index[:n, :n].reshape(-1)
        bias = self.relative_position_bias_table[idx].reshape(n, n, self.heads).permute(2, 0, 1)
        scores = scores + bias.unsqueeze(0)
        if mask is not None:
            nw = mask.shape[0]
            scores = scores.reshape(bw // nw, nw, self.heads, n, n) + mask[None, :, None]
            scores = scores.reshape(bw, self.heads, n, n)
        out = (scores.softmax(-1) @ v).transpose(1, 2).reshape(bw, n, c)
        return self.proj(out)


class Mlp(nn.Module):
    """MONAI's MLPBlock as SwinUNETR builds it: linear1 -> exact GELU -> linear2."""

    def __init__(self, dim, hidden):
        super().__init__()
        self.linear1 = nn.Linear(dim, hidden)
        self.linear2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.linear2(F.gelu(self.linear1(x)))


class SwinBlock(nn.Module):
    """Pre-norm transformer block on channels-last [B, D, H, W, C]: windowed attention (cyclically
    shifted by `shift` when it is non-zero), then the MLP, each added to its input."""

    def __init__(self, dim, heads, window, shift, mlp_ratio, qkv_bias):
        super().__init__()
        self.window, self.shift = window, shift
        self.norm1 = nn.LayerNorm(dim)
        self.attn = WindowAttention(dim, heads, window, qkv_bias)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def attend(self, x, mask):
        b, d, h, wd, c = x.shape
        w, s = effective_window((d, h, wd), self.window, self.shift)
        y = self.norm1(x)
        pads = [(w[a] - n % w[a]) % w[a] for a, n in enumerate((d, h, wd))]
        y = F.pad(y, (0, 0, 0, pads[2], 0, pads[1], 0, pads[0]))  # zeros at the far end of each axis
        shifted = any(s)
        if shifted:
            y = torch.roll(y, shifts=(-s[0], -s[1], -s[2]), dims=(1, 2, 3))
        dp, hp, wp = y.shape[1:4]
        y = self.attn(to_windows(y, w), mask if shifted else None)
        y = from_windows(y, w, b, dp, hp, wp)
        if shifted:
            y = torch.roll(y, shifts=s, dims=(1, 2, 3))
        return y[:, :d, :h, :wd, :]

    def forward(self, x, mask):
        x = x + self.attend(x, mask)
        return x + self.mlp(self.norm2(x))


class PatchMerging(nn.Module):
    """Halves each spatial axis of channels-last [B, D, H, W, C]: the eight sub-grids of every 2x2x2
    patch are concatenated on the channel axis in `order`, then LayerNorm(8C) and Linear(8C -> 2C, no
    bias). An odd axis is first padded with one zero plane at its end."""

    def __init__(self, dim, order):
        super().__init__()
        self.order = MERGING_ORDERS[order]
        self.reduction = nn.Linear(8 * dim, 2 * dim, bias=False)
        self.norm = nn.LayerNorm(8 * dim)

    def forward(self, x):
        d, h, w = x.shape[1:4]
        if d % 2 or h % 2 or w % 2:
            x = F.pad(x, (0, 0, 0, w % 2, 0, h % 2, 0, d % 2))
        parts = [x[:, i::2, j::2, k::2, :] for i, j, k in self.order]
        return self.reduction(self.norm(torch.cat(parts, dim=-1)))


class SwinStage(nn.Module):
    """One Swin stage (MONAI's BasicLayer): `depth` blocks, alternately unshifted and shifted by half
    the window, then patch merging. Takes and returns channels-first [B, C, D, H, W]."""

    def __init__(self, dim, depth, heads, window, mlp_ratio, qkv_bias, order):
        super().__init__()
        self.window = window
        self.shift = tuple(k // 2 for k in window)
        self.blocks = nn.ModuleList(
            SwinBlock(dim, heads, window, (0, 0, 0) if i % 2 == 0 else self.shift, mlp_ratio, qkv_bias)
            for i in range(depth))
        self.downsample = PatchMerging(dim, order)

    def forward(self, x):
        sizes = x.shape[2:]
        w, s = effective_window(sizes, self.window, self.shift)
        padded = [-(-n // k) * k for n, k in zip(sizes, w)]
        mask = shifted_window_mask(padded, w, s)
        x = x.permute(0, 2, 3, 4, 1)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.downsample(x).permute(0, 4, 1, 2, 3)


class PatchEmbed(nn.Module):
    """Non-overlapping 2x2x2 patches -> embed_dim channels (Conv3d with bias), input zero-padded at the
    far end of each axis to a multiple of the patch size."""

    def __init__(self, cin, dim, patch=2):
        super().__init__()
        self.patch = patch
        self.proj = nn.Conv3d(cin, dim, patch, stride=patch)

    def forward(self, x):
        p = self.patch
        pads = [(p - n % p) % p for n in x.shape[2:]]
        if any(pads):
            x = F.pad(x, (0, pads[2], 0, pads[1], 0, pads[0]))
        return self.proj(x)


class SwinTransformer(nn.Module):
    def __init__(self, cin, dim, depths, heads, window, mlp_ratio, qkv_bias, order):
        super().__init__()
        self.patch_embed = PatchEmbed(cin, dim)
        for i in range(4):  # MONAI keeps each stage in its own one-element ModuleList: layersN.0.*
            stage = SwinStage(dim << i, depths[i], heads[i], window, mlp_ratio, qkv_bias, order)
            setattr(self, "layers%d" % (i + 1), nn.ModuleList([stage]))

    def forward(self, x, normalize):
        def out(t):  # LayerNorm over channels without affine parameters
            if not normalize:
                return t
            return F.layer_norm(t.permute(0, 2, 3, 4, 1), [t.shape[1]]).permute(0, 4, 1, 2, 3)

        states = [self.patch_embed(x)]
        for i in range(4):
            states.append(getattr(self, "layers%d" % (i + 1))[0](states[-1].contiguous()))
        return [out(t) for t in states]


class SwinUNETRRef(nn.Module):
    """SwinUNETR as MONAI builds it from the same keyword arguments (3-D, use_v2=False, patch_norm=False,
    norm_name "instance"); `merging` picks the patch-merging order (see MERGING_ORDERS). `img_size`,
    removed in MONAI 1.5, is accepted and only checked for divisibility by 32."""

    def __init__(self, in_channels, out_channels, img_size=None, depths=(2, 2, 2, 2), num_heads=(3, 6, 12, 24),
                 feature_size=24, norm_name="instance", normalize=True, spatial_dims=3, merging="monai15",
                 downsample="merging", **ignored_in_eval):
        super().__init__()
        unknown = set(ignored_in_eval) - {"drop_rate", "attn_drop_rate", "dropout_path_rate", "use_checkpoint"}
        if unknown:
            raise ValueError("not built by this transcription: %s" % sorted(unknown))
        if spatial_dims != 3:
            raise ValueError("spatial_dims must be 3")
        if feature_size % 12:
            raise ValueError("feature_size must be a multiple of 12")
        if img_size is not None:
            sizes = [img_size] * 3 if isinstance(img_size, int) else list(img_size)
            if any(n % 32 for n in sizes):
                raise ValueError("img_size must be divisible by 32")
        if downsample == "mergingv2":
            merging = "mergingv2"
        elif downsample != "merging":
            raise ValueError("downsample must be 'merging' or 'mergingv2'")
        f = feature_size
        self.normalize = normalize
        self.swinViT = SwinTransformer(in_channels, f, list(depths), list(num_heads), (7, 7, 7), 4.0, True, merging)
        self.encoder1 = EncoderBlock(in_channels, f, norm_name)
        self.encoder2 = EncoderBlock(f, f, norm_name)
        self.encoder3 = EncoderBlock(2 * f, 2 * f, norm_name)
        self.encoder4 = EncoderBlock(4 * f, 4 * f, norm_name)
        self.encoder10 = EncoderBlock(16 * f, 16 * f, norm_name)
        self.decoder5 = DecoderBlock(16 * f, 8 * f, norm_name)
        self.decoder4 = DecoderBlock(8 * f, 4 * f, norm_name)
        self.decoder3 = DecoderBlock(4 * f, 2 * f, norm_name)
        self.decoder2 = DecoderBlock(2 * f, f, norm_name)
        self.decoder1 = DecoderBlock(f, f, norm_name)
        self.out = OutputBlock(f, out_channels)

    def forward(self, x):
        if any(n % 32 for n in x.shape[2:]):
            raise ValueError("spatial input sizes must be multiples of 32, got %s" % (tuple(x.shape[2:]),))
        h = self.swinViT(x, self.normalize)  # resolutions 1/2, 1/4, 1/8, 1/16, 1/32
        e0 = self.encoder1(x)
        e1 = self.encoder2(h[0])
        e2 = self.encoder3(h[1])
        e3 = self.encoder4(h[2])
        y = self.encoder10(h[4])
        y = self.decoder5(y, h[3])
        y = self.decoder4(y, e3)
        y = self.decoder3(y, e2)
        y = self.decoder2(y, e1)
        y = self.decoder1(y, e0)
        return self.out(y)


# ---------------------------------------------------------------- check against MONAI's fixture

def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        if spec["dtype"] != "F32":
            raise ValueError("%s: %s: only F32 is read here" % (path, name))
        a, b = spec["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[a:b]), dtype=torch.float32).reshape(spec["shape"])
    return tensors, header.get("__metadata__", {})


def check(bundle_dir):
    tensors, meta = read_safetensors(os.path.join(bundle_dir, "forward.safetensors"))
    kwargs = json.loads(meta["network_def"])
    kwargs.pop("_target_")
    state = torch.load(os.path.join(bundle_dir, "models", "model.pt"), map_location="cpu")
    print("torch %s, threads %d; network_def %s; fixture made with MONAI %s"
          % (torch.__version__, torch.get_num_threads(), json.dumps(kwargs), meta.get("monai")))
    worst = 0.0
    cases = [("expected_output", "monai15", tensors["input"]),
             ("expected_output_monai14", "monai14", tensors["input"][: tensors["expected_output_monai14"].shape[0]])]
    for key, order, x in cases:
        net = SwinUNETRRef(merging=order, **kwargs).eval()
        net.load_state_dict(state, strict=True)
        with torch.no_grad():
            y = net(x)
        ref = tensors[key]
        err = (y - ref).abs().max().item()
        rel = err / ref.abs().max().item()
        worst = max(worst, rel)
        print("%-24s merging %-8s input %s: max |y - expected| = %.3g, max |expected| = %.4g, relative %.3g"
              % (key, order, list(x.shape), err, ref.abs().max().item(), rel))
    # The two orders must differ on these weights, or the check above could not tell them apart.
    net = SwinUNETRRef(merging="monai15", **kwargs).eval()
    net.load_state_dict(state, strict=True)
    with torch.no_grad():
        other = (net(cases[1][2]) - tensors["expected_output_monai14"]).abs().max().item()
    print("monai15 order against expected_output_monai14 (must be large): max |difference| = %.3g" % other)
    ok = worst < 1e-4 and other > 1e-2
    print("PASS" if ok else "FAIL", "(tolerance 1e-4 of max |expected|)")
    return ok


if __name__ == "__main__":
    torch.set_num_threads(2)
    default = "/work/shared/fixtures/bundles/mini/swin_unetr_btcv_segmentation"
    sys.exit(0 if check(sys.argv[1] if len(sys.argv) > 1 else default) else 1)
