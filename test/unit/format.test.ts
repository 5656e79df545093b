import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, readSafetensorsHeader } from '../../src/core/format/checkpoint';
import { CheckpointError } from '../../src/core/format/errors';
import { CheckpointReader } from '../../src/core/format/tensorData';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'wp-format-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

/** A file from a header given as JSON text (or raw bytes) and a data buffer of `dataBytes` bytes. */
async function rawFile(name: string, header: string | Buffer, dataBytes = 0, lengthOverride?: bigint): Promise<string> {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : header;
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(lengthOverride ?? BigInt(json.length));
  const path = join(dir, name);
  await writeFile(path, Buffer.concat([prefix, json, Buffer.alloc(dataBytes)]));
  return path;
}

async function expectError(path: string, code: string, match?: { tensor?: string; byteOffset?: number; text?: RegExp }, options = {}) {
  await assert.rejects(openCheckpoint(path, options), (e: unknown) => {
    assert.ok(e instanceof CheckpointError, `expected CheckpointError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.ok(e.message.startsWith(e.file), 'message names the file first');
    assert.ok(!e.message.includes('\n'), 'one-line reason');
    if (match?.tensor !== undefined) assert.equal(e.tensor, match.tensor);
    if (match?.byteOffset !== undefined) assert.equal(e.byteOffset, match.byteOffset);
    if (match?.text) assert.match(e.message, match.text);
    return true;
  });
}

describe('safetensors header validation', () => {
  test('a valid file parses with absolute offsets, metadata and counts', async () => {
    const path = join(dir, 'ok.safetensors');
    await writeSafetensors(path, [
      { name: 'b', dtype: 'F32', shape: [2, 3], data: encodeFloats('F32', [1, 2, 3, 4, 5, 6]) },
      { name: 'a', dtype: 'BF16', shape: [4], data: encodeFloats('BF16', [1, -2, 0.5, 0]) },
      { name: 'empty', dtype: 'F16', shape: [0, 7] },
    ], { format: 'pt', note: '<b>x</b>' });
    const cp = await openCheckpoint(path);
    assert.equal(cp.kind, 'file');
    assert.deepEqual(cp.tensors.map((t) => t.name), ['a', 'b', 'empty']);
    assert.equal(cp.parameters, 10);
    assert.equal(cp.bytes, 32);
    assert.deepEqual({ ...cp.metadata }, { format: 'pt', note: '<b>x</b>' });
    const b = cp.tensors.find((t) => t.name === 'b')!;
    assert.equal(b.begin, cp.files[0].dataStart);
    assert.equal(cp.files[0].dataStart % 8, 0, 'header padded to 8 bytes');
    const reader = new CheckpointReader(cp);
    assert.deepEqual([...await reader.readElements(b, 1, 3)], [2, 3, 4]);
    assert.deepEqual([...await reader.readElements(cp.tensors[0], 0, 10)], [1, -2, 0.5, 0]);
    assert.equal((await reader.readElements(cp.tensors[2], 0, 5)).length, 0);
    await reader.close();
    assert.match(cp.headerHash, /^[0-9a-f]{64}$/);
  });

  test('truncated file (shorter than the length prefix)', async () => {
    const path = join(dir, 'short.safetensors');
    await writeFile(path, Buffer.from([1, 2, 3]));
    await expectError(path, 'truncated', { byteOffset: 0 });
  });

  test('header length beyond the file', async () => {
    await expectError(await rawFile('beyond.safetensors', '{}', 0, 1000n), 'header-beyond-file', { byteOffset: 0 });
  });

  test('header length above the limit, including the setting', async () => {
    await expectError(await rawFile('huge.safetensors', '{}', 0, 2n ** 60n), 'header-too-large');
    const path = await rawFile('limit.safetensors', JSON.stringify({ __metadata__: { pad: 'x'.repeat(3000) } }));
    await expectError(path, 'header-too-large', { text: /limit of 2048/ }, { maxHeaderBytes: 2048 });
  });

  test('invalid JSON reports the byte offset of the problem', async () => {
    await expectError(await rawFile('badjson.safetensors', '{"a": {"dtype": "F32",, }}'), 'invalid-json', { byteOffset: 8 + 22 });
  });

  test('non-UTF-8 header reports where', async () => {
    const bytes = Buffer.concat([Buffer.from('{"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('": 1}')]);
    await expectError(await rawFile('latin.safetensors', bytes), 'not-utf8', { byteOffset: 8 + 4 });
  });

  test('header that is not an object', async () => {
    await expectError(await rawFile('array.safetensors', '[1,2,3]'), 'invalid-header');
  });

  test('offsets out of range', async () => {
    const h = JSON.stringify({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } });
    await expectError(await rawFile('oor.safetensors', h, 8), 'out-of-range', { tensor: 'w' });
  });

  test('overlapping ranges', async () => {
    const h = JSON.stringify({
      a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
      b: { dtype: 'F32', shape: [2], data_offsets: [8, 16] },
    });
    const path = await rawFile('overlap.safetensors', h, 16);
    await expectError(path, 'overlap', { tensor: 'b', text: /overlaps tensor "a"/ });
  });

  test('size and shape mismatch', async () => {
    const h = JSON.stringify({ w: { dtype: 'F16', shape: [3, 3], data_offsets: [0, 16] } });
    await expectError(await rawFile('mismatch.safetensors', h, 16), 'size-mismatch', { tensor: 'w', text: /18 bytes/ });
  });

  test('unknown dtype', async () => {
    const h = JSON.stringify({ w: { dtype: 'C128', shape: [1], data_offsets: [0, 16] } });
    await expectError(await rawFile('dtype.safetensors', h, 16), 'unknown-dtype', { tensor: 'w', text: /C128/ });
    // GGML's block types belong to GGUF, not to safetensors headers.
    const q = JSON.stringify({ w: { dtype: 'Q8_0', shape: [32], data_offsets: [0, 34] } });
    await expectError(await rawFile('dtype-q.safetensors', q, 34), 'unknown-dtype', { tensor: 'w', text: /Q8_0/ });
  });

  test('negative or non-integer shape entries', async () => {
    for (const [i, dim] of [-1, 1.5, '2', null, 2 ** 53].entries()) {
      const h = JSON.stringify({ w: { dtype: 'U8', shape: [dim], data_offsets: [0, 2] } });
      await expectError(await rawFile(`shape${i}.safetensors`, h, 2), 'invalid-shape', { tensor: 'w' });
    }
  });

  test('offsets that are not a pair of integers, or end before begin', async () => {
    for (const [i, offs] of [[0], [0, -4], [0, 'x'], [8, 4]].entries()) {
      const h = JSON.stringify({ w: { dtype: 'U8', shape: [4], data_offsets: offs } });
      await expectError(await rawFile(`offs${i}.safetensors`, h, 8), 'invalid-offsets', { tensor: 'w' });
    }
  });

  test('offsets at or beyond 2^53 are refused, not rounded', async () => {
    const h = '{"w": {"dtype": "U8", "shape": [1], "data_offsets": [9007199254740993, 9007199254740994]}}';
    await expectError(await rawFile('big.safetensors', h, 8), 'too-large', { tensor: 'w' });
  });

  test('duplicate tensor names', async () => {
    const h = '{"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "x\\"y": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}, "w": {"dtype": "U8", "shape": [1], "data_offsets": [2, 3]}}';
    await expectError(await rawFile('dup.safetensors', h, 3), 'duplicate-name', { tensor: 'w' });
  });

  test('bad __metadata__', async () => {
    await expectError(await rawFile('meta.safetensors', JSON.stringify({ __metadata__: { a: 1 } })), 'invalid-header', { tensor: '__metadata__' });
  });

  test('tensors over 4 GiB: offsets beyond 2^32 in a sparse file', async () => {
    const path = join(dir, 'big4g.safetensors');
    const n = 5 * 1024 ** 3 / 2;
    await writeSafetensors(path, [
      { name: 'big', dtype: 'BF16', shape: [n / 1024, 1024] },
      { name: 'after', dtype: 'F32', shape: [2], data: encodeFloats('F32', [7, 8]) },
    ]);
    const cp = await openCheckpoint(path);
    const after = cp.tensors.find((t) => t.name === 'after')!;
    assert.ok(after.begin > 2 ** 32);
    const reader = new CheckpointReader(cp);
    assert.deepEqual([...await reader.readElements(after, 0, 2)], [7, 8]);
    const big = cp.tensors.find((t) => t.name === 'big')!;
    assert.equal(big.end - big.begin, 5 * 1024 ** 3);
    assert.deepEqual([...await reader.readElements(big, n - 2, 2)], [0, 0]);
    await reader.close();
  });

  test('readSafetensorsHeader on a missing file', async () => {
    await assert.rejects(readSafetensorsHeader(join(dir, 'nope.safetensors')), (e: unknown) => e instanceof CheckpointError && e.code === 'not-found');
  });
});

describe('sharded sets', () => {
  async function makeSet(name: string, weightMap: Record<string, string>, skip: string[] = []) {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    const shards: Record<string, string[]> = { 'model-00001-of-00002.safetensors': ['a', 'b'], 'model-00002-of-00002.safetensors': ['c'] };
    for (const [file, names] of Object.entries(shards)) {
      if (skip.includes(file)) continue;
      await writeSafetensors(join(folder, file), names.map((n) => ({ name: n, dtype: 'F32' as const, shape: [2], data: encodeFloats('F32', [1, 2]) })));
    }
    await writeFile(join(folder, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 24 }, weight_map: weightMap }));
    return folder;
  }
  const good = { a: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' };

  test('a folder with an index opens as a sharded set', async () => {
    const folder = await makeSet('set-ok', good);
    for (const p of [folder, join(folder, 'model.safetensors.index.json')]) {
      const cp = await openCheckpoint(p);
      assert.equal(cp.kind, 'sharded');
      assert.equal(cp.files.length, 2);
      assert.deepEqual(cp.tensors.map((t) => [t.name, cp.files[t.fileIndex].name]), Object.entries(good));
    }
  });

  test('missing shard', async () => {
    const folder = await makeSet('set-missing', good, ['model-00002-of-00002.safetensors']);
    await expectError(folder, 'missing-shard', { text: /model-00002-of-00002/ });
  });

  test('index pointing at the wrong shard', async () => {
    const folder = await makeSet('set-wrong', { ...good, c: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' });
    await expectError(folder, 'wrong-shard', { tensor: 'b' });
  });

  test('index listing a tensor no shard holds', async () => {
    const folder = await makeSet('set-ghost', { ...good, ghost: 'model-00002-of-00002.safetensors' });
    await expectError(folder, 'wrong-shard', { tensor: 'ghost' });
  });

  test('index with a shard path outside the folder', async () => {
    const folder = await makeSet('set-escape', { ...good, c: '../evil.safetensors' });
    await expectError(folder, 'invalid-index', { tensor: 'c' });
  });

  test('tensor stored in two shards', async () => {
    const folder = join(dir, 'twice');
    await mkdir(folder);
    for (const f of ['x1.safetensors', 'x2.safetensors']) await writeSafetensors(join(folder, f), [{ name: 'same', dtype: 'U8', shape: [1], data: new Uint8Array([1]) }]);
    await expectError(folder, 'duplicate-name', { tensor: 'same' });
  });

  test('config.json beside the checkpoint is summarised; invalid config is a warning', async () => {
    const folder = await makeSet('set-config', good);
    await writeFile(join(folder, 'config.json'), JSON.stringify({ architectures: ['Qwen2_5_VLForConditionalGeneration'], model_type: 'qwen2_5_vl', hidden_size: 3584, vision_config: { depth: 32, hidden_size: 1280 } }));
    const cp = await openCheckpoint(folder);
    assert.equal(cp.config?.modelType, 'qwen2_5_vl');
    assert.equal(cp.config?.vision?.layers, 32);
    await writeFile(join(folder, 'config.json'), '{not json');
    const cp2 = await openCheckpoint(folder);
    assert.equal(cp2.config, undefined);
    assert.match(cp2.warnings.join(), /config\.json/);
  });

  test('a missing path and an empty folder', async () => {
    await expectError(join(dir, 'does-not-exist'), 'not-found');
    const empty = join(dir, 'empty-folder');
    await mkdir(empty);
    await expectError(empty, 'empty');
  });
});

describe('paged reader memory', () => {
  test('reading a slice of a large tensor touches only its pages', async () => {
    const path = join(dir, 'paged.safetensors');
    const values = Float32Array.from({ length: 1 << 20 }, (_, i) => i);
    await writeSafetensors(path, [{ name: 'w', dtype: 'F32', shape: [1024, 1024], data: new Uint8Array(values.buffer) }]);
    const cp = await openCheckpoint(path);
    const reader = new CheckpointReader(cp, { pageSize: 4096, maxPages: 4 });
    for (let k = 0; k < 20; k++) {
      const start = k * 50_000;
      assert.deepEqual([...await reader.readElements(cp.tensors[0], start, 3)], [start, start + 1, start + 2]);
    }
    await reader.close();
    const h = await open(path, 'r');
    await h.close();
  });
});
