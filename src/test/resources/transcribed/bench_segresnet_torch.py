"""PyTorch reference timing for docs/benchmarks.md: one forward pass of SegResNet as the
wholeBody_ct_segmentation bundle builds it (init_filters 32, 1 -> 105 classes, group norm 8, ReLU,
blocks_down 1,2,2,4, blocks_up 1,1,1, trilinear up-sampling) on a [1, 1, 96, 96, 96] input, with
VolSeg's own transcription of MONAI's SegResNet (make_reference.py; MONAI itself is not installed
here). Usage: python3 bench_segresnet_torch.py [RUNS] (Debian's python3-torch, 2 threads)."""
import os, statistics, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
from make_reference import SegResNetRef

torch.set_num_threads(2)
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
net = SegResNetRef(init_filters=32, in_channels=1, out_channels=105, norm=["GROUP", {"num_groups": 8}],
                   act=["RELU", {"inplace": True}], blocks_down=[1, 2, 2, 4], blocks_up=[1, 1, 1],
                   upsample_mode="nontrainable").eval()
x = torch.randn(1, 1, 96, 96, 96)
with torch.no_grad():
    net(x)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        net(x)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
print("torch %s, threads %d: SegResNet-wholeBody 96^3 forward median wall %.2f s (min %.2f), CPU %.2f s"
      % (torch.__version__, torch.get_num_threads(), statistics.median(wall), min(wall), statistics.median(cpu)))
