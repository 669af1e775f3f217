"""VolSeg's own PyTorch transcription of MONAI's SegResNet and UNet (eval mode), written from
Myronenko 2018, Kerfoot et al. 2018 and the module structure MONAI documents, NOT MONAI's code.
Module attribute names follow MONAI's so the state_dict keys are MONAI's. Writes, per case,
<case>.pt (torch.save(state_dict)) and <case>.safetensors (input, expected_output, config).

Usage: python3 make_reference.py OUT_DIR   (torch 1.13, CPU; deterministic)"""
import json, struct, sys
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)

# ---------------------------------------------------------------- shared pieces
def act_module(spec):
    name, args = (spec, {}) if isinstance(spec, str) else spec
    name = name.lower()
    args = {k: v for k, v in args.items() if k != "inplace"}
    return {"relu": nn.ReLU, "leakyrelu": nn.LeakyReLU, "prelu": nn.PReLU, "elu": nn.ELU,
            "gelu": nn.GELU, "tanh": nn.Tanh}[name](**args)

def norm_module(spec, channels):
    name, args = (spec, {}) if isinstance(spec, str) else spec
    name = name.lower()
    if name == "batch":
        return nn.BatchNorm3d(channels, **args)
    if name == "instance":
        return nn.InstanceNorm3d(channels, **args)
    if name == "group":
        return nn.GroupNorm(num_channels=channels, **args)
    raise ValueError(name)

# ---------------------------------------------------------------- SegResNet
class ResBlock(nn.Module):
    """norm1 -> act -> conv1 (3x3x3, no bias) -> norm2 -> act -> conv2 -> + input."""
    def __init__(self, ch, norm, act):
        super().__init__()
        self.norm1 = norm_module(norm, ch)
        self.norm2 = norm_module(norm, ch)
        self.act = act_module(act)
        self.conv1 = ConvOnly(ch, ch, 3)
        self.conv2 = ConvOnly(ch, ch, 3)
    def forward(self, x):
        y = self.conv1(self.act(self.norm1(x)))
        y = self.conv2(self.act(self.norm2(y)))
        return y + x

class ConvOnly(nn.Module):
    """MONAI's Convolution(conv_only=True): the conv is the child 'conv'."""
    def __init__(self, cin, cout, k, stride=1, bias=False):
        super().__init__()
        self.conv = nn.Conv3d(cin, cout, k, stride=stride, padding=(k - 1) // 2, bias=bias)
    def forward(self, x):
        return self.conv(x)

class Deconv(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.deconv = nn.ConvTranspose3d(ch, ch, 2, stride=2, bias=True)
    def forward(self, x):
        return self.deconv(x)

class SubpixelUp(nn.Module):
    """Sub-pixel upsampling by 2 (Shi et al. 2016; Aitken et al. 2017): conv 3x3x3 C -> 8C with bias
    (child 'conv_block'), 3D pixel shuffle (output offset (r0, r1, r2) of channel c comes from
    channel 8c + 4 r0 + 2 r1 + r2; written here with strided assignment, not reshape/permute),
    then one zero voxel padded before each spatial axis and a 2x2x2 average with stride 1."""
    def __init__(self, ch):
        super().__init__()
        self.conv_block = nn.Conv3d(ch, 8 * ch, 3, padding=1, bias=True)
    def forward(self, x):
        y = self.conv_block(x)
        b, c8, d0, d1, d2 = y.shape
        c = c8 // 8
        out = y.new_zeros((b, c, 2 * d0, 2 * d1, 2 * d2))
        for r0 in range(2):
            for r1 in range(2):
                for r2 in range(2):
                    out[:, :, r0::2, r1::2, r2::2] = y[:, [8 * k + 4 * r0 + 2 * r1 + r2 for k in range(c)]]
        return F.avg_pool3d(F.pad(out, (1, 0, 1, 0, 1, 0)), kernel_size=2, stride=1)

class PixelShuffleUp(nn.Module):
    """MONAI's UpSample(mode="pixelshuffle") holds the SubpixelUpsample as child 'pixelshuffle'."""
    def __init__(self, ch):
        super().__init__()
        self.pixelshuffle = SubpixelUp(ch)
    def forward(self, x):
        return self.pixelshuffle(x)

class Trilinear(nn.Module):
    def forward(self, x):
        return F.interpolate(x, scale_factor=2, mode="trilinear", align_corners=False)

class SegResNetRef(nn.Module):
    def __init__(self, init_filters, in_channels, out_channels, norm, act, blocks_down, blocks_up,
                 upsample_mode, use_conv_final=True):
        super().__init__()
        f = init_filters
        self.use_conv_final = use_conv_final
        self.convInit = ConvOnly(in_channels, f, 3)
        self.down_layers = nn.ModuleList()
        for i, n in enumerate(blocks_down):
            ch = f * 2 ** i
            pre = ConvOnly(ch // 2, ch, 3, stride=2) if i > 0 else nn.Identity()
            self.down_layers.append(nn.Sequential(pre, *[ResBlock(ch, norm, act) for _ in range(n)]))
        self.up_layers, self.up_samples = nn.ModuleList(), nn.ModuleList()
        levels = len(blocks_up)
        for i in range(levels):
            ch = f * 2 ** (levels - i)
            self.up_layers.append(nn.Sequential(*[ResBlock(ch // 2, norm, act) for _ in range(blocks_up[i])]))
            up = (Deconv(ch // 2) if upsample_mode == "deconv" else PixelShuffleUp(ch // 2)
                  if upsample_mode == "pixelshuffle" else Trilinear())
            self.up_samples.append(nn.Sequential(ConvOnly(ch, ch // 2, 1), up))
        self.conv_final = nn.Sequential(norm_module(norm, f), act_module(act), ConvOnly(f, out_channels, 1, bias=True))
    def forward(self, x):
        x = self.convInit(x)
        skips = []
        for down in self.down_layers:
            x = down(x)
            skips.append(x)
        skips.reverse()
        for i, (up, layer) in enumerate(zip(self.up_samples, self.up_layers)):
            x = layer(up(x) + skips[i + 1])
        return self.conv_final(x) if self.use_conv_final else x

# ---------------------------------------------------------------- UNet
class ADN(nn.Sequential):
    def __init__(self, ordering, ch, norm, act):
        super().__init__()
        for letter in ordering:
            if letter == "N" and norm is not None:
                self.add_module("N", norm_module(norm, ch))
            if letter == "A" and act is not None:
                self.add_module("A", act_module(act))

class Convolution(nn.Sequential):
    def __init__(self, cin, cout, stride, k, norm, act, ordering, conv_only=False, transposed=False):
        super().__init__()
        p = (k - 1) // 2
        if transposed:
            self.add_module("conv", nn.ConvTranspose3d(cin, cout, k, stride=stride, padding=p, output_padding=stride - 1))
        else:
            self.add_module("conv", nn.Conv3d(cin, cout, k, stride=stride, padding=p))
        if not conv_only:
            self.add_module("adn", ADN(ordering, cout, norm, act))

class ResidualUnit(nn.Module):
    def __init__(self, cin, cout, stride, k, subunits, norm, act, ordering, last_conv_only=False):
        super().__init__()
        self.conv = nn.Sequential()
        c, s = cin, stride
        for u in range(max(1, subunits)):
            self.conv.add_module("unit%d" % u, Convolution(c, cout, s, k, norm, act, ordering,
                                                           conv_only=last_conv_only and u == max(1, subunits) - 1))
            c, s = cout, 1
        if stride != 1:
            self.residual = nn.Conv3d(cin, cout, k, stride=stride, padding=(k - 1) // 2)
        elif cin != cout:
            self.residual = nn.Conv3d(cin, cout, 1)
        else:
            self.residual = nn.Identity()
    def forward(self, x):
        return self.conv(x) + self.residual(x)

class Skip(nn.Module):
    def __init__(self, sub):
        super().__init__()
        self.submodule = sub
    def forward(self, x):
        return torch.cat([x, self.submodule(x)], dim=1)

class UNetRef(nn.Module):
    def __init__(self, in_channels, out_channels, channels, strides, num_res_units, norm, act, ordering="NDA", k=3, up_k=3):
        super().__init__()
        r = num_res_units
        def down(cin, cout, s):
            if r > 0:
                return ResidualUnit(cin, cout, s, k, r, norm, act, ordering)
            return Convolution(cin, cout, s, k, norm, act, ordering)
        def up(cin, cout, s, top):
            conv = Convolution(cin, cout, s, up_k, norm, act, ordering, conv_only=top and r == 0, transposed=True)
            if r == 0:
                return conv
            return nn.Sequential(conv, ResidualUnit(cout, cout, 1, k, 1, norm, act, ordering, last_conv_only=top))
        def level(cin, cout, chs, ss, top):
            c = chs[0]
            if len(chs) > 2:
                inner, upc = level(c, c, chs[1:], ss[1:], False), 2 * c
            else:
                inner, upc = down(c, chs[1], 1), c + chs[1]
            return nn.Sequential(down(cin, c, ss[0]), Skip(inner), up(upc, cout, ss[0], top))
        self.model = level(in_channels, out_channels, channels, strides, True)
    def forward(self, x):
        return self.model(x)

# ---------------------------------------------------------------- cases
def perturb(net, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, (nn.BatchNorm3d, nn.GroupNorm, nn.InstanceNorm3d)):
                if m.weight is not None:
                    m.weight.copy_(1 + 0.2 * torch.randn(m.weight.shape, generator=g))
                    m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=g))
                if isinstance(m, nn.BatchNorm3d):
                    m.running_mean.copy_(0.1 * torch.randn(m.running_mean.shape, generator=g))
                    m.running_var.copy_(0.7 + 0.6 * torch.rand(m.running_var.shape, generator=g))
                    m.num_batches_tracked.fill_(100)
            if isinstance(m, nn.PReLU):
                m.weight.copy_(0.25 + 0.1 * torch.randn(m.weight.shape, generator=g))

def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    off, blobs = 0, []
    for k, t in tensors.items():
        b = t.detach().contiguous().float().numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        off += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)

CASES = {
    "segresnet_small_nontrainable": ("SegResNet", dict(init_filters=8, in_channels=2, out_channels=3,
        blocks_down=[1, 2, 2], blocks_up=[1, 1], upsample_mode="nontrainable"),
        dict(norm=["GROUP", {"num_groups": 4}], act=["RELU", {"inplace": True}]), [2, 2, 16, 24, 12]),
    "segresnet_small_deconv": ("SegResNet", dict(init_filters=8, in_channels=1, out_channels=2,
        blocks_down=[1, 1, 2], blocks_up=[1, 1], upsample_mode="deconv"),
        dict(norm=["instance", {"affine": True}], act=["leakyrelu", {"negative_slope": 0.1}]), [1, 1, 8, 16, 20]),
    "unet_small_instance_nores": ("UNet", dict(in_channels=1, out_channels=3, channels=[4, 8, 16],
        strides=[2, 2], num_res_units=0), dict(norm="INSTANCE", act="PRELU"), [2, 1, 16, 8, 12]),
    "unet_small_group_leaky_res1": ("UNet", dict(in_channels=2, out_channels=2, channels=[4, 8, 16, 16],
        strides=[2, 2, 1], num_res_units=1), dict(norm=["group", {"num_groups": 2}],
        act=["LeakyReLU", {"negative_slope": 0.1}]), [1, 2, 8, 12, 16]),
    "segresnet_small_pixelshuffle": ("SegResNet", dict(init_filters=8, in_channels=1, out_channels=2,
        blocks_down=[1, 1, 2], blocks_up=[1, 1], upsample_mode="pixelshuffle"),
        dict(norm=["GROUP", {"num_groups": 2}], act="RELU"), [1, 1, 8, 12, 16]),
}

def main(out):
    for i, (case, (arch, kwargs, layers, shape)) in enumerate(CASES.items()):
        torch.manual_seed(100 + i)
        if arch == "SegResNet":
            net = SegResNetRef(norm=layers["norm"], act=layers["act"], **kwargs)
        else:
            net = UNetRef(norm=layers["norm"], act=layers["act"], **kwargs)
        perturb(net, 200 + i)
        net.eval()
        x = torch.randn(shape, generator=torch.Generator().manual_seed(300 + i))
        with torch.no_grad():
            y = net(x)
        config = dict(kwargs, **layers)
        if arch == "UNet":
            config["spatial_dims"] = 3
        torch.save(net.state_dict(), "%s/%s.pt" % (out, case))
        write_safetensors("%s/%s.safetensors" % (out, case), {"input": x, "expected_output": y},
                          {"architecture": arch, "config": json.dumps(config),
                           "note": "VolSeg's own PyTorch transcription (make_reference.py), not MONAI's code"})
        print(case, arch, list(y.shape), "keys", len(net.state_dict()), "max|y| %.4g" % y.abs().max().item())

if __name__ == "__main__":
    main(sys.argv[1])
