"""PyTorch reference timing for docs/benchmarks.md: one forward pass of SwinUNETR as the
swin_unetr_btcv_segmentation bundle builds it (feature_size 48, 1 -> 14 classes, depths 2,2,2,2,
heads 3,6,12,24, instance norm, normalize=True) on a [1, 1, 96, 96, 96] input, with VolSeg's own
transcription of MONAI's SwinUNETR (swin_unetr_torch.py, checked against MONAI's output for the mini
bundle; MONAI itself is not installed here). Random weights (torch.manual_seed(0)); the merging order
does not change the amount of work.
Usage: python3 bench_swinunetr_torch.py [RUNS] (Debian's python3-torch, 2 threads): one warm-up pass,
then RUNS timed passes; prints the median and min wall time and the median process CPU time."""
import os, statistics, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
from swin_unetr_torch import SwinUNETRRef

torch.set_num_threads(2)
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
torch.manual_seed(0)
net = SwinUNETRRef(img_size=96, in_channels=1, out_channels=14, feature_size=48, merging="monai14").eval()
x = torch.randn(1, 1, 96, 96, 96)
with torch.no_grad():
    t = time.perf_counter()
    net(x)  # warm-up
    warm = time.perf_counter() - t
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        net(x)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
print("torch %s, threads %d: SwinUNETR-BTCV 96^3 forward (warm-up %.2f s) median wall %.2f s of %d (min %.2f, max %.2f), "
      "CPU %.2f s (median)" % (torch.__version__, torch.get_num_threads(), warm, statistics.median(wall), runs, min(wall),
                               max(wall), statistics.median(cpu)))
