// Hostile GGUF files: each is refused by `inspect` with exit 2 and one line naming the file and what is wrong, in
// bounded memory and time; none is half-read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ggufBytes, quantise, writeGguf, type GgufTensor } from './helpers/ggufWriter';
import { runCli, tempDir } from './helpers/hostileFiles';
import { openCheckpoint } from '../../src/core/format/checkpoint';

const dir = tempDir('wp-gguf-hostile-');
let n = 0;

const q8 = (name: string, rows = 4, cols = 64): GgufTensor => ({ name, shape: [rows, cols], type: 'Q8_0', data: quantise('Q8_0', new Float32Array(rows * cols).fill(0.5)) });
const good = (): Buffer => ggufBytes([q8('blk.0.attn_q.weight'), q8('blk.0.attn_k.weight')], { 'general.architecture': 'qwen2' });

/** The offset of the first tensor info: after the magic, version, counts and the one metadata entry. */
function firstInfoAt(b: Buffer): number {
  const keyLen = Number(b.readBigUInt64LE(24));
  const valueLen = Number(b.readBigUInt64LE(24 + 8 + keyLen + 4));
  return 24 + 8 + keyLen + 4 + 8 + valueLen;
}

/** Byte positions of tensor info k's dims count, type and offset fields. */
function infoAt(b: Buffer, k: number): { dims: number; type: number; offset: number } {
  let at = firstInfoAt(b);
  for (let i = 0; ; i++) {
    const dims = at + 8 + Number(b.readBigUInt64LE(at));
    const type = dims + 4 + 8 * b.readUInt32LE(dims);
    if (i === k) return { dims, type, offset: type + 4 };
    at = type + 4 + 8;
  }
}

function write(bytes: Buffer, name = `case${n++}.gguf`): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function patched(edit: (b: Buffer) => Buffer | void): string {
  const b = good();
  return write(edit(b) ?? b);
}

const cases: [string, () => string, RegExp][] = [
  ['an empty file named .gguf', () => write(Buffer.alloc(0)), /not|short|empty|header/i],
  ['a truncated header', () => write(good().subarray(0, 40)), /GGUF header ends after 40 bytes|runs past the end/],
  ['version 1', () => patched((b) => { b.writeUInt32LE(1, 4); }), /GGUF version 1 is not supported/],
  ['a big-endian file', () => patched((b) => { b.writeUInt32BE(3, 4); }), /big-endian/],
  ['a tensor count of 2^60', () => patched((b) => { b.writeBigUInt64LE(1n << 60n, 8); }), /beyond 2\^53|more than the limit/],
  ['a tensor count over the limit', () => patched((b) => { b.writeBigUInt64LE(10_000_000n, 8); }), /10000000 tensors, more than the limit/],
  ['a key length of 2^52', () => patched((b) => { b.writeBigUInt64LE(1n << 52n, 24); }), /string of 4503599627370496 bytes at byte 24 runs past the end/],
  ['an unknown metadata value type', () => patched((b) => { b.writeUInt32LE(77, 24 + 8 + Number(b.readBigUInt64LE(24))); }), /unknown metadata value type 77/],
  ['a tensor with 5 dimensions', () => patched((b) => { b.writeUInt32LE(5, infoAt(b, 0).dims); }), /5 dimensions; GGUF allows at most 4/],
  ['an unknown GGML type', () => patched((b) => { b.writeUInt32LE(99, infoAt(b, 0).type); }), /unknown GGML type 99/],
  ['an IQ2_XXS tensor (not decoded)', () => patched((b) => { b.writeUInt32LE(16, infoAt(b, 0).type); }), /GGML type IQ2_XXS is not decoded/],
  ['a misaligned data offset', () => patched((b) => { b.writeBigUInt64LE(8n, infoAt(b, 0).offset); }), /data offset 8 is not a multiple of the alignment 32/],
  ['tensor data past the end of the file', () => write(good().subarray(0, good().length - 40)), /runs past the end of the \d+-byte file/],
  ['two tensors on the same bytes', () => patched((b) => { b.writeBigUInt64LE(0n, infoAt(b, 1).offset); }), /data range overlaps tensor "blk.0.attn_q.weight"/],
  ['a row that is not a whole number of blocks', () => write(ggufBytes([{ name: 'w', shape: [2, 40], type: 'Q8_0', data: new Uint8Array(2 * 34) }], {})), /row length 40 is not a whole number of Q8_0 blocks/],
  ['bytes hidden after the last tensor', () => write(ggufBytes([q8('w')], {}, { trailing: 4096 })), /bytes \[\d+, \d+\) of the data belong to no tensor/],
  ['general.alignment 3', () => write(ggufBytes([q8('w')], { 'general.alignment': 3 })), /general.alignment is not a power of two/],
];

for (const [what, make, reason] of cases) {
  test(`hostile GGUF: ${what} — exit 2, one line naming the file`, async () => {
    const file = make();
    const run = await runCli(['inspect', file]);
    assert.equal(run.code, 2, `${what}: ${run.stdout}${run.stderr}`);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.ok(lines[0].includes(file), lines[0]);
    assert.match(lines[0], reason);
    assert.doesNotMatch(run.stderr, /\bat .*\.js:\d+/);
  });
}

test('hostile GGUF: a repeated metadata key and a repeated tensor name are refused', async () => {
  const twice = ggufBytes([q8('w')], { 'general.name': 'a', 'general.namf': 'b' });
  const i = twice.indexOf('general.namf');
  twice.write('general.name', i, 'latin1');
  await assert.rejects(openCheckpoint(write(twice)), /metadata key "general.name" appears more than once/);
  await assert.rejects(openCheckpoint(write(ggufBytes([q8('w'), q8('w')], {}))), /tensor name appears more than once/);
});

test('a split GGUF opens as one model; a missing part is named', async () => {
  const a = writeGguf(join(dir, 'split-00001-of-00002.gguf'), [q8('blk.0.attn_q.weight')], { 'split.count': 2 });
  writeGguf(join(dir, 'split-00002-of-00002.gguf'), [q8('blk.1.attn_q.weight')], { 'split.count': 2 });
  const cp = await openCheckpoint(a);
  assert.equal(cp.files.length, 2);
  assert.deepEqual(cp.tensors.map((x) => `${x.name} ${x.fileIndex}`), ['blk.0.attn_q.weight 0', 'blk.1.attn_q.weight 1']);
  const lone = writeGguf(join(dir, 'lone-00001-of-00003.gguf'), [q8('w')], {});
  await assert.rejects(openCheckpoint(lone), /split file lone-00002-of-00003.gguf of the GGUF model is missing/);
});
