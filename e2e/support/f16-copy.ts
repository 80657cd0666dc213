/**
 * A copy of a Hugging Face model directory whose 2-D weights (the matrices `--dtype f16` stores as
 * f16) are rounded to float16 by numpy (round to nearest even), other tensors unchanged: the numpy
 * reference on this copy computes exactly the model the WebGPU runtime holds with `--dtype f16`.
 * The rounding is numpy's, not our encoder's, so the comparison stays independent.
 */
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import json, os, shutil, struct, sys
import numpy as np
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for name in os.listdir(src):
    path = os.path.join(src, name)
    if not name.endswith('.safetensors'):
        if os.path.isfile(path):
            shutil.copyfile(path, os.path.join(dst, name))
        continue
    data = open(path, 'rb').read()
    (n,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + n])
    kinds = {'F32': '<f4', 'F16': '<f2'}
    out_header, blobs, offset = {}, [], 0
    for key, info in header.items():
        if key == '__metadata__':
            out_header[key] = info
            continue
        begin, end = info['data_offsets']
        raw = data[8 + n + begin:8 + n + end]
        dtype = info['dtype']
        if dtype == 'BF16':
            values = (np.frombuffer(raw, '<u2').astype(np.uint32) << 16).view(np.float32)
        else:
            values = np.frombuffer(raw, kinds[dtype]).astype(np.float32)
        if len(info['shape']) == 2:
            blob, dtype = values.astype('<f2').tobytes(), 'F16'
        else:
            blob, dtype = values.astype('<f4').tobytes(), 'F32'
        out_header[key] = {'dtype': dtype, 'shape': info['shape'], 'data_offsets': [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    head = json.dumps(out_header).encode()
    head += b' ' * (-len(head) % 8)
    with open(os.path.join(dst, name), 'wb') as f:
        f.write(struct.pack('<Q', len(head)) + head + b''.join(blobs))
`;

/** Writes the f16-rounded copy of `srcDir` into `dstDir` (created if missing). */
export function writeF16RoundedCopy(python: string, srcDir: string, dstDir: string): void {
  execFileSync(python, ['-c', SCRIPT, srcDir, dstDir], { stdio: ['ignore', 'ignore', 'inherit'] });
}
