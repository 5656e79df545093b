// Issue 12, class 9: rows, elements and bytes past 2^31. A vector of 3·2^30 rows (a 3 GiB sparse file: U8, so the
// file stays small on disk) is fingerprinted; the sampled rows past 2^31 hold known bytes written at their offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { encodeHeader } from '../../src/core/format/writer';
import { fingerprintCheckpoint } from '../../src/core/fingerprint/create';
import { planIndices, probeRows, samplePlan } from '../../src/core/fingerprint/plan';
import { tempDir } from './helpers/hostileFiles';

const ROWS = 3 * 2 ** 30;

/** The byte written at row r (past 2^31): never 0, so that an unwritten (sparse, zero) byte cannot pass for it. */
const marker = (r: number) => 1 + (r % 251);

test('sampled rows past 2^31 are read at their own offsets, not wrapped ones', { timeout: 20_000 }, async () => {
  const dir = tempDir();
  const path = join(dir, 'tall.safetensors');
  try {
    const { json } = encodeHeader([{ name: 'v', dtype: 'U8', shape: [ROWS, 1] }]);
    const begin = 8 + json.length;
    const plan = samplePlan([ROWS, 1]);
    const rows = [...plan.rowIdx];
    assert.equal(rows.length, 4096);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i] > rows[i - 1], 'strictly increasing');
    assert.ok(rows[0] >= 0 && rows[rows.length - 1] < ROWS, 'every row is inside the tensor');
    const beyond = rows.filter((r) => r >= 2 ** 31);
    assert.ok(beyond.length > 1000, `about a third of the rows are past 2^31 (${beyond.length})`);
    assert.deepEqual([...planIndices(plan)], rows, 'one column: flat index = row');

    const h = await open(path, 'w');
    try {
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64LE(BigInt(json.length));
      await h.write(prefix, 0, 8, 0);
      await h.write(json, 0, json.length, 8);
      await h.truncate(begin + ROWS);
      for (const r of beyond) await h.write(Buffer.from([marker(r)]), 0, 1, begin + r);
    } finally {
      await h.close();
    }
    const fp = await fingerprintCheckpoint(await openCheckpoint(path), { hashMaxBytes: 0 });
    const samples = fp.tensors[0].samples;
    const wrong = rows.map((r, i) => [r, samples[i], r >= 2 ** 31 ? marker(r) : 0]).filter(([, got, want]) => got !== want);
    assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} sampled values differ from the bytes at their rows`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('probe rows of a tensor past 2^31 rows stay inside it', () => {
  const rows = [...probeRows([ROWS, 8])];
  assert.equal(rows.length, 128);
  assert.ok(rows.every((r) => Number.isInteger(r) && r >= 0 && r < ROWS));
  assert.ok(rows.some((r) => r >= 2 ** 31));
});
