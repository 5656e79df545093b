// PyTorch checkpoints (.bin/.pt/.pth, torch.save's zip format) read without executing anything
// (docs/pytorch-format.md): files written like torch.save writes them open with the right names, dtypes, shapes and
// byte ranges; hostile files are refused, each with one line naming the file and the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, type CheckpointErrorCode } from '../../src/core/format/errors';
import { decode } from '../../src/core/format/dtype';
import { RangeReader } from '../../src/core/format/rangeReader';
import { isTorchFileName, readTorchCheckpoint } from '../../src/core/format/pytorch/torchFile';
import { readPickle } from '../../src/core/format/pytorch/pickle';
import { tempDir } from './helpers/hostileFiles';
import { buildZip, PickleBuilder, simpleStateDict, stateDictPickle, torchEntries, writeTorchFile, type TorchStateDict, type TorchWriteOptions } from './helpers/torchWriter';

const dir = tempDir('wp-pytorch-');
let n = 0;
const next = (ext = 'bin'): string => join(dir, `case-${n++}.${ext}`);

function rawFile(bytes: Uint8Array, ext = 'bin'): string {
  const path = next(ext);
  writeFileSync(path, bytes);
  return path;
}

const torchFile = (sd: TorchStateDict, options: TorchWriteOptions = {}): string => writeTorchFile(next(), sd, options);

/** A state dict of two F32 tensors and an F16 one. */
const SMALL = simpleStateDict([
  { name: 'encoder.weight', dtype: 'F32', shape: [2, 3], values: [1, 2, 3, 4, 5, 6] },
  { name: 'encoder.bias', dtype: 'F32', shape: [3], values: [-1, 0.5, 0.25] },
  { name: 'norm.weight', dtype: 'F16', shape: [4], values: [1, 2, 0.5, -3] },
]);

/** A pickle whose data.pkl is `p` in an otherwise valid file of SMALL. */
const withPickle = (p: Uint8Array): string => torchFile(SMALL, { pickle: p });

async function refused(path: string, code: CheckpointErrorCode, reason: RegExp, options = {}): Promise<void> {
  await assert.rejects(readTorchCheckpoint(path, options), (e: unknown) => {
    assert.ok(e instanceof CheckpointError, String(e));
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.ok(e.message.startsWith(path), `names the file: ${e.message}`);
    assert.match(e.reason, reason);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

/** The values at a tensor's [begin, end), read back through a RangeReader. */
async function valuesOf(path: string, name: string): Promise<number[]> {
  const { header } = await readTorchCheckpoint(path);
  const x = header.tensors.find((t) => t.name === name)!;
  const reader = await RangeReader.open(path);
  try {
    return [...decode(x.dtype, await reader.readDirect(x.begin, x.end - x.begin))];
  } finally {
    await reader.close();
  }
}

test('isTorchFileName takes .bin, .pt and .pth', () => {
  assert.deepEqual(['a.bin', 'b.PT', 'c.pth', 'd.safetensors', 'e.pt.json', 'bin'].map(isTorchFileName), [true, true, true, false, false, false]);
});

test('a state dict written like torch.save: names, dtypes, shapes, counts, 64-byte aligned ranges and the values', async () => {
  const path = torchFile(SMALL);
  const { header, raw } = await readTorchCheckpoint(path, {}, 2);
  assert.deepEqual(header.tensors.map((x) => [x.name, x.dtype, x.shape, x.count, x.end - x.begin, x.fileIndex]), [
    ['encoder.weight', 'F32', [2, 3], 6, 24, 2],
    ['encoder.bias', 'F32', [3], 3, 12, 2],
    ['norm.weight', 'F16', [4], 4, 8, 2],
  ]);
  for (const x of header.tensors) assert.equal(x.begin % 64, 0, `${x.name} starts on a 64-byte boundary`);
  assert.deepEqual({ ...header.metadata }, { format: 'pytorch' });
  assert.deepEqual(header.hiddenBytes, []);
  assert.deepEqual(Buffer.from(raw), stateDictPickle(SMALL), 'raw is data.pkl');
  assert.equal(header.headerLength, raw.length);
  assert.deepEqual(await valuesOf(path, 'encoder.weight'), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(await valuesOf(path, 'encoder.bias'), [-1, 0.5, 0.25]);
  assert.deepEqual(await valuesOf(path, 'norm.weight'), [1, 2, 0.5, -3]);
});

test('every storage dtype maps to its dtype and reads back', async () => {
  const cases = [
    ['BF16', [1, -2, 0.5]], ['F64', [Math.PI, -1e300, 0]], ['I64', [-5, 2 ** 40, 7]], ['I32', [-(2 ** 31), 1, 2]],
    ['I16', [-300, 300, 0]], ['I8', [-128, 127, 3]], ['U8', [0, 255, 9]], ['BOOL', [1, 0, 1]],
  ] as const;
  const path = torchFile(simpleStateDict(cases.map(([dtype, values]) => ({ name: `t.${dtype}`, dtype, shape: [3], values: [...values] }))));
  const { header } = await readTorchCheckpoint(path);
  assert.deepEqual(header.tensors.map((x) => x.dtype), cases.map(([d]) => d));
  for (const [dtype, values] of cases) assert.deepEqual(await valuesOf(path, `t.${dtype}`), [...values], dtype);
});

test('dtype globals in the persistent id (newer torch): float16, float8_e4m3fn, float8_e5m2', async () => {
  const sd: TorchStateDict = {
    storages: [
      { dtype: 'F16', values: [1, 2], storageType: 'torch.float16' },
      { dtype: 'U8', values: [0x38, 0x40], storageType: 'torch.float8_e4m3fn' },
      { dtype: 'U8', values: [0x3c, 0x40], storageType: 'torch.float8_e5m2' },
    ],
    tensors: [{ name: 'h', storage: 0, shape: [2] }, { name: 'e4m3', storage: 1, shape: [2] }, { name: 'e5m2', storage: 2, shape: [2] }],
  };
  const path = torchFile(sd);
  const { header } = await readTorchCheckpoint(path);
  assert.deepEqual(header.tensors.map((x) => x.dtype), ['F16', 'F8_E4M3', 'F8_E5M2']);
  assert.deepEqual(await valuesOf(path, 'e4m3'), [1, 2]);
  assert.deepEqual(await valuesOf(path, 'e5m2'), [1, 2]);
});

test('shared storages (tied embeddings), a storage offset, parameters, a wrapped state dict and zip64 records', async () => {
  const sd: TorchStateDict = {
    storages: [{ dtype: 'F32', values: [0, 1, 2, 3, 4, 5, 6, 7] }],
    tensors: [
      { name: 'embed.weight', storage: 0, shape: [4, 2] },
      { name: 'lm_head.weight', storage: 0, shape: [4, 2] },
      { name: 'first_half', storage: 0, shape: [2, 2] },
      { name: 'second_half', storage: 0, shape: [2, 2], offset: 4 },
    ],
  };
  for (const options of [{}, { parameters: true }, { wrap: 'state_dict' }, { wrap: 'model' }, { wrap: 'module' }, { zip64: true }] as TorchWriteOptions[]) {
    const path = torchFile(sd, options);
    const { header } = await readTorchCheckpoint(path);
    const [embed, head, first, second] = header.tensors;
    assert.deepEqual(header.tensors.map((x) => x.name), ['embed.weight', 'lm_head.weight', 'first_half', 'second_half'], JSON.stringify(options));
    assert.deepEqual([head.begin, head.end], [embed.begin, embed.end]);
    assert.equal(first.begin, embed.begin);
    assert.equal(second.begin, embed.begin + 16);
    assert.deepEqual(await valuesOf(path, 'second_half'), [4, 5, 6, 7]);
  }
});

test('a dict with non-tensor values beside the state dict (a training checkpoint) reads its state_dict', async () => {
  const inner = stateDictPickle(SMALL);
  // {'epoch': 3, 'state_dict': <SMALL>}: the outer dict's strings are not memoized, so the inner pickle (without its
  // PROTO and STOP) keeps its own memo indices.
  const p = new PickleBuilder().proto(2).raw(0x7d).mark().raw(0x58, 5, 0, 0, 0, ...Buffer.from('epoch')).int(3);
  p.raw(0x58, 10, 0, 0, 0, ...Buffer.from('state_dict')).rawBuffer(inner.subarray(2, inner.length - 1)).setItems().stop();
  const { header } = await readTorchCheckpoint(withPickle(p.bytes()));
  assert.equal(header.tensors.length, 3);
});

test('storage bytes no tensor covers are refused by default and listed with hiddenBytes: warn', async () => {
  const sd: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2, 3, 4] }, { dtype: 'F32', values: [9] }], tensors: [{ name: 'a', storage: 0, shape: [2], offset: 1 }] };
  const path = torchFile(sd);
  await refused(path, 'hidden-bytes', /12 byte\(s\) of tensor storage in 3 range\(s\) belong to no tensor/);
  const { header } = await readTorchCheckpoint(path, { hiddenBytes: 'warn' });
  assert.equal(header.hiddenBytes.length, 3);
  assert.deepEqual(header.hiddenBytes[0], { begin: header.tensors[0].begin - 4, end: header.tensors[0].begin });
});

test('limits: maxTensors', async () => {
  await refused(torchFile(SMALL), 'too-many-tensors', /more than 2 tensors/, { maxTensors: 2 });
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile pickles

test('globals off the allow-list are refused by name, via GLOBAL and via STACK_GLOBAL, before anything else', async () => {
  const viaGlobal = (module: string, name: string) => new PickleBuilder().proto(2).global(module, name).str('echo pwned').tuple(1).reduce().stop().bytes();
  const viaStack = (module: string, name: string) => new PickleBuilder().proto(4).stackGlobal(module, name).str('echo pwned').tuple(1).reduce().stop().bytes();
  for (const [module, name] of [['os', 'system'], ['builtins', 'eval'], ['__builtin__', 'getattr'], ['posix', 'system'], ['subprocess', 'Popen']]) {
    const reason = new RegExp(`^pickle: refers to global "${module}\\.${name}", which is not on the allow-list`);
    await refused(withPickle(viaGlobal(module, name)), 'invalid-header', reason);
    await refused(withPickle(viaStack(module, name)), 'invalid-header', reason);
  }
  // Inside an otherwise valid state dict: the tensor's rebuild is replaced by os.system.
  const good = stateDictPickle(SMALL);
  const evil = Buffer.from(good.toString('latin1').replace('ctorch._utils\n_rebuild_tensor_v2\n', 'cos\nsystem\n'), 'latin1');
  await refused(withPickle(evil), 'invalid-header', /refers to global "os\.system"/);
});

test('complex and quantized storages are refused naming the type', async () => {
  const sd: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2], storageType: 'torch.ComplexFloatStorage' }], tensors: [{ name: 'c', storage: 0, shape: [1] }] };
  await refused(torchFile(sd), 'invalid-header', /tensor type "torch\.ComplexFloatStorage" is not supported/);
  const q: TorchStateDict = { storages: [{ dtype: 'I8', values: [1], storageType: 'torch.qint8' }], tensors: [{ name: 'q', storage: 0, shape: [1] }] };
  await refused(torchFile(q), 'invalid-header', /tensor type "torch\.qint8" is not supported/);
});

test('a truncated pickle, an unknown opcode, a pickle without STOP, a bad memo read: one clear line each', async () => {
  const good = stateDictPickle(SMALL);
  await refused(withPickle(good.subarray(0, 40)), 'truncated', /^pickle: the stream ends/);
  await refused(withPickle(good.subarray(0, good.length - 1)), 'truncated', /without STOP/);
  await refused(withPickle(Buffer.from([0x80, 0x02, 0xff, 0x2e])), 'invalid-header', /unknown or unsupported opcode 0xff at pickle byte 2/);
  await refused(withPickle(Buffer.from([0x80, 0x02, 0x68, 0x07, 0x2e])), 'invalid-header', /memo entry 7 is read before it is written/);
  await refused(withPickle(Buffer.from([0x80, 0x09, 0x4e, 0x2e])), 'invalid-header', /protocol 9/);
  await refused(withPickle(Buffer.from([0x80, 0x02, 0x2e])), 'invalid-header', /pops an empty stack/);
  await refused(withPickle(Buffer.from([0x80, 0x02, 0x4e, 0x2e])), 'invalid-header', /data\.pkl holds a None, not a dict of tensors/);
});

test('100,000-deep nesting of lists or MARKs costs no JavaScript stack', () => {
  const deep = 100_000;
  const lists = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(deep, 0x5d), Buffer.alloc(deep - 1, 0x61), Buffer.from([0x2e])]);
  let v = readPickle(lists, { file: 'deep.bin' });
  let depth = 0;
  while (v !== null && typeof v === 'object' && v.kind === 'list' && v.items.length) { v = v.items[0]; depth++; }
  assert.equal(depth, deep - 1);
  // Marks all the way down, then tuples closing them: a tuple of a tuple of … .
  const marks = Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(deep, 0x28), Buffer.alloc(deep, 0x74), Buffer.from([0x2e])]);
  assert.equal((readPickle(marks, { file: 'deep.bin' }) as { kind: string }).kind, 'tuple');
  // And as a file: refused cleanly as not a state dict.
  return refused(withPickle(marks), 'invalid-header', /holds a tuple, not a dict of tensors/);
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile zips and tensors

test('entry names that would escape a folder are refused: ../evil, /abs, a backslash, NUL', async () => {
  for (const [name, what] of [['archive/../evil', /a "\.\." segment/], ['../evil', /a "\.\." segment/], ['/abs', /an absolute path/], ['archive\\data\\x', /a backslash/], ['archive/a\0b', /a NUL character/]] as const) {
    await refused(torchFile(SMALL, { extra: [{ name, data: Buffer.from('x') }] }), 'invalid-header', new RegExp(`has ${what.source} in its name`));
  }
});

test('a duplicate name, an entry outside the archive folder, two archive folders', async () => {
  await refused(torchFile(SMALL, { extra: [{ name: 'archive/version', data: Buffer.from('3\n') }] }), 'duplicate-name', /zip entry "archive\/version" appears more than once/);
  await refused(torchFile(SMALL, { extra: [{ name: 'other/x', data: Buffer.from('x') }] }), 'invalid-header', /zip entry "other\/x" is outside the archive folder "archive"/);
  await refused(torchFile(SMALL, { extra: [{ name: 'other/data.pkl', data: Buffer.from('x') }] }), 'invalid-header', /2 data\.pkl files in different top-level folders/);
});

test('a storage entry past the end of the file, sizes that disagree, a deflated storage, a missing storage entry', async () => {
  await refused(torchFile(SMALL, { entries: { 'data/0': { declaredSize: 1 << 30, declaredCompressedSize: 1 << 30 } } }), 'out-of-range', /zip entry "archive\/data\/0" data \[\d+, \d+\) runs past the end of the \d+-byte file/);
  await refused(torchFile(SMALL, { entries: { 'data/1': { declaredSize: 13 } } }), 'size-mismatch', /stored zip entry "archive\/data\/1" declares 12 bytes compressed but 13 bytes uncompressed/);
  await refused(torchFile(SMALL, { deflate: ['data/0'] }), 'invalid-header', /storage entry "archive\/data\/0" is compressed \(method 8\)/);
  await refused(torchFile(SMALL, { entries: { 'data/2': { rename: 'archive/data/elsewhere' } } }), 'invalid-header', /storage "2" has no zip entry "archive\/data\/2"/);
});

test('overlapping entries are refused', async () => {
  const entries = torchEntries(SMALL);
  const zip = buildZip(entries);
  // Point the central directory entry of archive/version at the local header of archive/data.pkl … by moving its offset.
  const cdAt = zip.readUInt32LE(zip.length - 6);
  let p = cdAt;
  const offsets: number[] = [];
  while (zip.readUInt32LE(p) === 0x02014b50) {
    offsets.push(p);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  // The second entry (byteorder) gets the first entry's local header offset + 0: same header, so the names differ.
  zip.writeUInt32LE(zip.readUInt32LE(offsets[0] + 42), offsets[1] + 42);
  await refused(rawFile(zip), 'invalid-header', /has another name in its local header/);
  // A stored entry whose declared size runs over the next entry's header: an overlap.
  await refused(torchFile(SMALL, { entries: { 'data/0': { declaredSize: 200, declaredCompressedSize: 200 } } }), 'overlap', /overlaps entry "archive\/data\/0"/);
});

test('a deflated data.pkl is read when small; a zip bomb is refused before or while inflating, by a fixed bound', async () => {
  const path = torchFile(SMALL, { deflate: ['data.pkl'] });
  assert.equal((await readTorchCheckpoint(path)).header.tensors.length, 3);
  // Declares 4 GiB: refused before inflating anything.
  await refused(torchFile(SMALL, { deflate: ['data.pkl'], entries: { 'data.pkl': { declaredSize: 0xfffffff0 } } }), 'too-large', /zip entry "archive\/data\.pkl" declares 4294967280 bytes/);
  // Declares 10 bytes but inflates to more: inflation stops at the declared size.
  const bomb = Buffer.alloc(8 * 1024 * 1024);
  await refused(torchFile(SMALL, { pickle: bomb, deflate: ['data.pkl'], entries: { 'data.pkl': { declaredSize: 10 } } }), 'size-mismatch', /inflates to more than its declared 10 bytes/);
  // A CRC that does not match.
  await refused(torchFile(SMALL, { entries: { 'data.pkl': { crc: 1 } } }), 'invalid-header', /fails its CRC-32 check/);
});

test('a tensor outside its storage, non-contiguous strides, a storage whose size disagrees with its entry', async () => {
  const outside: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2, 3, 4] }], tensors: [{ name: 'w', storage: 0, shape: [3], offset: 2 }] };
  await refused(torchFile(outside), 'out-of-range', /elements \[2, 5\) lie outside storage "0" of 4 elements/);
  const transposed: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2, 3, 4, 5, 6] }], tensors: [{ name: 'w.T', storage: 0, shape: [3, 2], stride: [1, 3] }] };
  await refused(torchFile(transposed), 'invalid-shape', /stride \[1,3\] of shape \[3,2\] is not contiguous row-major/);
  // Size-1 dimensions may have any stride; an empty tensor any strides.
  const ones: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2, 3] }], tensors: [{ name: 'v', storage: 0, shape: [1, 3, 1], stride: [99, 1, 7] }] };
  assert.equal((await readTorchCheckpoint(torchFile(ones))).header.tensors[0].count, 3);
  const numel: TorchStateDict = { storages: [{ dtype: 'F32', values: [1, 2, 3], numel: 4 }], tensors: [{ name: 'w', storage: 0, shape: [3] }] };
  await refused(torchFile(numel), 'size-mismatch', /storage "0" holds 4 × torch\.FloatStorage \(16 bytes\) but its zip entry holds 12 bytes/);
});

test('a legacy (non-zip) file, a tar, an empty file, a file that is not a checkpoint', async () => {
  await refused(rawFile(Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]), 'pt'), 'invalid-header', /^legacy \(non-zip\) torch format is not supported/);
  const tar = Buffer.alloc(1024);
  tar.write('ustar', 257, 'latin1');
  await refused(rawFile(tar), 'invalid-header', /a tar archive/);
  await refused(rawFile(Buffer.alloc(0)), 'truncated', /file is empty/);
  await refused(rawFile(Buffer.from('{"not":"torch"}')), 'invalid-header', /not a PyTorch checkpoint/);
  // A zip without a data.pkl, and a zip cut short (no end record).
  await refused(rawFile(buildZip([{ name: 'archive/version', data: Buffer.from('3\n') }])), 'invalid-header', /holds no <folder>\/data\.pkl/);
  const whole = buildZip(torchEntries(SMALL));
  await refused(rawFile(whole.subarray(0, whole.length - 30)), 'invalid-header', /no zip end-of-central-directory record/);
});

test('big-endian files and duplicate tensor names are refused', async () => {
  const big = buildZip(torchEntries(SMALL).map((e) => (e.name === 'archive/byteorder' ? { ...e, data: Buffer.from('big') } : e)));
  await refused(rawFile(big), 'invalid-header', /byte order "big" is not supported/);
  const dup: TorchStateDict = { storages: [{ dtype: 'F32', values: [1] }, { dtype: 'F32', values: [2] }], tensors: [{ name: 'w', storage: 0, shape: [1] }, { name: 'w', storage: 1, shape: [1] }] };
  await refused(torchFile(dup), 'duplicate-name', /tensor name appears more than once in the state dict/);
});
