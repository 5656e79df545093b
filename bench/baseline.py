# Baseline a reviewer would otherwise run: per tensor mean, std, min, max, absmax and zero count of a
# memory-mapped safetensors file, with NumPy (F32) or PyTorch (BF16). Prints one JSON line per tensor count.
import json, mmap, struct, sys, time

path, engine = sys.argv[1], sys.argv[2]
with open(path, 'rb') as f:
    n = struct.unpack('<Q', f.read(8))[0]
    header = json.loads(f.read(n))
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
start = 8 + n
header.pop('__metadata__', None)
out = {}
if engine == 'numpy':
    import numpy as np
    for name, t in header.items():
        b, e = t['data_offsets']
        a = np.frombuffer(mm, dtype=np.float32, count=(e - b) // 4, offset=start + b)
        out[name] = [float(a.mean()), float(a.std()), float(a.min()), float(a.max()), float(np.abs(a).max()), int(np.count_nonzero(a == 0))]
else:
    import warnings
    import torch
    warnings.filterwarnings('ignore')
    for name, t in header.items():
        b, e = t['data_offsets']
        w = torch.frombuffer(mm, dtype=torch.bfloat16, count=(e - b) // 2, offset=start + b).float()
        out[name] = [w.mean().item(), w.std(unbiased=False).item(), w.min().item(), w.max().item(), w.abs().max().item(), int((w == 0).sum().item())]
print(json.dumps({'tensors': len(out)}))
