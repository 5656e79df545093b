import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointError } from '../../src/core/format/errors';
import { CheckpointReader } from '../../src/core/format/tensorData';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { mulberry32 as prng } from '../../src/core/fingerprint/plan';


test('mutated files give a clear CheckpointError or a valid checkpoint, never another kind of throw', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wp-fuzz-'));
  try {
    const base = join(dir, 'base.safetensors');
    await writeSafetensors(base, [
      { name: 'model.layers.0.self_attn.q_proj.weight', dtype: 'F32', shape: [4, 4], data: encodeFloats('F32', Array.from({ length: 16 }, (_, i) => i / 7)) },
      { name: 'model.norm.weight', dtype: 'BF16', shape: [4], data: encodeFloats('BF16', [1, 1, 1, 1]) },
      { name: 'scale', dtype: 'F8_E4M3', shape: [2, 2], data: new Uint8Array([0x38, 0x40, 0x7e, 0x01]) },
    ], { format: 'pt' });
    const original = await readFile(base);
    const headerEnd = 8 + Number(original.readBigUInt64LE(0));
    const interesting = Buffer.from('{}[]":,0123456789-.e\\ \u0000', 'latin1');
    let valid = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const rand = prng(seed);
      let bytes = Buffer.from(original);
      const mutations = 1 + Math.floor(rand() * 4);
      for (let m = 0; m < mutations; m++) {
        const op = rand();
        const pos = Math.floor(rand() * (rand() < 0.85 ? headerEnd : bytes.length));
        if (op < 0.4) bytes[pos] = interesting[Math.floor(rand() * interesting.length)];
        else if (op < 0.6) bytes[pos] = Math.floor(rand() * 256);
        else if (op < 0.7) bytes = bytes.subarray(0, pos);
        else if (op < 0.8) bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.from([Math.floor(rand() * 256)]), bytes.subarray(pos)]);
        else if (op < 0.9) bytes.writeBigUInt64LE(BigInt(Math.floor(rand() * 2 ** 32)), 0);
        else bytes = Buffer.concat([bytes.subarray(0, pos), bytes.subarray(Math.min(bytes.length, pos + 1 + Math.floor(rand() * 8)))]);
      }
      const path = join(dir, `m${seed}.safetensors`);
      await writeFile(path, bytes);
      try {
        const cp = await openCheckpoint(path);
        const reader = new CheckpointReader(cp);
        for (const t of cp.tensors) await reader.readElements(t, 0, 8);
        await reader.close();
        valid++;
      } catch (e) {
        assert.ok(e instanceof CheckpointError, `seed ${seed}: ${e instanceof Error ? e.stack : e}`);
        assert.ok(e.message.length < 600 && !e.message.includes('\n'), `seed ${seed}: one-line reason`);
        rejected++;
      }
    }
    assert.ok(rejected > 300, `most mutations are invalid (${rejected} rejected, ${valid} valid)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
