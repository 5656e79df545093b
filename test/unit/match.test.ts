import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../src/core/match/audit';
import { calibrate } from '../../src/core/match/nullModel';
import { log10BinomialTail, log10Fisher, log10NormalSf, pearson } from '../../src/core/match/stats';
import type { ComponentResult } from '../../src/core/match/types';
import { addNoise, llamaLike, permuteCols, permuteRows, randomPerm, randn, transpose, writeModel, type T } from './helpers/matchFixtures';

async function audit(ref: T[], suspect: T[], dtype: 'F32' | 'BF16' = 'F32'): Promise<ComponentResult> {
  const fp = await fingerprintPath(await writeModel(ref), { id: 'ref' });
  const res = await auditCheckpoint(await writeModel(suspect, dtype), [fp]);
  return res.components.find((c) => c.name === 'language') ?? res.components[0];
}

const rename = (ts: T[], prefix = 'language_model.') => ts.map((t) => ({ ...t, name: prefix + t.name }));

test('stats: normal tails, Fisher, binomial', () => {
  assert.ok(Math.abs(log10NormalSf(1.959964) - Math.log10(0.025)) < 1e-3);
  assert.ok(Math.abs(log10NormalSf(10) - -23.118) < 0.01);
  assert.ok(Math.abs(log10Fisher([Math.log10(0.05)]) - Math.log10(0.05)) < 1e-6);
  assert.ok(Math.abs(log10Fisher([Math.log10(0.5), Math.log10(0.5)]) - Math.log10(0.25 * (1 - Math.log(0.25)))) < 1e-6);
  assert.ok(Math.abs(log10BinomialTail(1, 10, 0.5) - Math.log10(1 - 0.5 ** 10)) < 1e-9);
  const c = calibrate(0, 4096, [], [], 1);
  assert.ok(Math.abs(c.log10P) < 1e-6);
});

test('match: renamed identical copy is identical; BF16 copy is identical up to dtype', async () => {
  const ref = llamaLike(1);
  const a = await audit(ref, rename(ref));
  assert.equal(a.verdict, 'identical');
  assert.equal(a.reference, 'ref');
  assert.ok(a.comparisons[0].table.every((r) => r.exact && r.hashConfirmed));
  const b = await audit(ref, ref, 'BF16');
  assert.equal(b.verdict, 'identical');
  assert.match(b.relation, /up to dtype/);
  assert.ok(b.comparisons[0].table.every((r) => r.dtypeExact));
});

test('match: transposed copy lines up (relation transposed)', async () => {
  const ref = llamaLike(2);
  const sus = ref.map((t) => (t.shape.length === 2 ? transpose(t) : t));
  const c = await audit(ref, rename(sus, 'x.'));
  assert.ok(c.verdict === 'derived' || c.verdict === 'identical', c.verdict);
  const rows = c.comparisons[0].table.filter((r) => r.relation === 'transposed');
  assert.ok(rows.length >= 20, `transposed rows ${rows.length}`);
  assert.ok(rows.every((r) => r.matched && r.exact));
});

test('match: fused qkv reference vs split suspect, and split reference vs fused suspect', async () => {
  const ref = llamaLike(3);
  const fuse = (ts: T[]): T[] => {
    const out: T[] = [];
    for (const t of ts) {
      const m = /^(.*)\.self_attn\.q_proj\.weight$/.exec(t.name);
      if (m) {
        const parts = ['q', 'k', 'v'].map((k) => ts.find((x) => x.name === `${m[1]}.self_attn.${k}_proj.weight`)!);
        const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
        let o = 0;
        for (const p of parts) { data.set(p.data, o); o += p.data.length; }
        out.push({ name: `${m[1]}.self_attn.qkv.weight`, shape: [3 * t.shape[0], t.shape[1]], data });
      } else if (!/self_attn\.[kv]_proj/.test(t.name)) out.push(t);
    }
    return out;
  };
  const fused = fuse(ref);
  const c1 = await audit(ref, fused);
  assert.ok(c1.verdict === 'derived' || c1.verdict === 'identical');
  assert.ok(c1.comparisons[0].table.filter((r) => r.relation === 'split-block' && r.matched).length >= 4);
  const c2 = await audit(fused, ref);
  assert.ok(c2.verdict === 'derived' || c2.verdict === 'identical');
  const parts = c2.comparisons[0].table.filter((r) => r.relation === 'fused-part' && r.matched);
  assert.ok(parts.length >= 12, `fused-part matches ${parts.length}`);
  assert.ok(parts.every((r) => r.exact));
});

test('match: MLP neurons permuted (gate/up rows, down columns) are found and confirmed', async () => {
  const ref = llamaLike(4);
  const sus = ref.map((t) => {
    const m = /layers\.(\d+)\.mlp\.(gate|up|down)_proj/.exec(t.name);
    if (!m) return t;
    const perm = randomPerm(t.name.includes('down') ? t.shape[1] : t.shape[0], 100 + Number(m[1]));
    return m[2] === 'down' ? permuteCols(t, perm) : permuteRows(t, perm);
  });
  const c = await audit(ref, sus);
  assert.equal(c.verdict, 'derived');
  const permuted = c.comparisons[0].table.filter((r) => r.permuted && r.matched);
  const rows = permuted.filter((r) => !r.suspect.includes('down_proj'));
  const cols = permuted.filter((r) => r.suspect.includes('down_proj'));
  assert.ok(rows.length >= 8, `permuted rows ${rows.length}`);
  assert.ok(rows.every((r) => r.permutationConfirmed && r.r > 0.99));
  // Columns are found one by one (subset.ts): at least half of the sampled columns, no second tensor to confirm.
  assert.equal(cols.length, 4, `permuted columns ${cols.length}`);
  assert.ok(cols.every((r) => r.relation === 'same' && r.suspect === r.reference && r.r > 0.99), JSON.stringify(cols));
});

test('match: a hidden dimension permuted everywhere is recovered from the embedding', async () => {
  const ref = llamaLike(5);
  const d = 96;
  const pi = randomPerm(d, 77);
  const sus = ref.map((t) => {
    if (t.shape.length === 1) return permuteRows(t, pi);
    if (/o_proj|down_proj/.test(t.name)) return permuteRows(t, pi);
    return permuteCols(t, pi);
  });
  const c = await audit(ref, sus);
  assert.equal(c.verdict, 'derived');
  assert.ok(c.evidence.hiddenPermutation);
  assert.ok(c.evidence.matchedTensors >= 30, `matched ${c.evidence.matchedTensors}`);
});

test('match: noisy copies have r ~ 1/sqrt(1+sigma^2) and stay derived while r is material', async () => {
  const ref = llamaLike(6);
  for (const sigma of [0.25, 0.5, 1, 2]) {
    const sus = ref.map((t, i) => addNoise(t, sigma, 500 + i));
    const c = await audit(ref, sus);
    const expected = 1 / Math.sqrt(1 + sigma * sigma);
    const big = c.comparisons[0].table.filter((r) => r.n >= 4000 && !r.permuted);
    assert.ok(big.length >= 20);
    for (const r of big) assert.ok(Math.abs(r.r - expected) < 0.05, `sigma ${sigma}: r ${r.r} vs ${expected}`);
    assert.equal(c.verdict, 'derived', `sigma ${sigma}`);
  }
});

test('match: vocabulary-extended rows still line up', async () => {
  const ref = llamaLike(7);
  const sus = ref.map((t) => (t.name.includes('embed') ? { ...t, shape: [t.shape[0] + 40, t.shape[1]], data: Float32Array.from([...t.data, ...randn([40, t.shape[1]], 9)]) } : t));
  const c = await audit(ref, sus);
  assert.equal(c.verdict, 'derived');
  assert.ok(c.comparisons[0].table.some((r) => r.relation === 'row-extended' && r.exact));
});

test('match: no false match between independent random models over many seeds', async () => {
  let audits = 0; let tensorTests = 0; let derived = 0; let inconclusive = 0; let tensorMatches = 0;
  for (let seed = 0; seed < 24; seed++) {
    const ref = llamaLike(1000 + seed, 64, 3, 200);
    const sus = llamaLike(2000 + seed, 64, 3, 200);
    const c = await audit(ref, sus);
    audits++;
    tensorTests += c.comparisons[0].table.length;
    tensorMatches += c.comparisons[0].table.filter((r) => r.matched).length;
    if (c.verdict === 'derived' || c.verdict === 'identical') derived++;
    if (c.verdict === 'inconclusive') inconclusive++;
  }
  assert.equal(derived, 0);
  assert.equal(inconclusive, 0);
  assert.equal(tensorMatches, 0, `${tensorMatches} false tensor matches in ${tensorTests}`);
  assert.ok(tensorTests > 500, `tensor tests ${tensorTests}`);
  assert.equal(audits, 24);
});

test('match: pearson is centred (all-positive unrelated vectors are not similar)', () => {
  const a = randn([256], 1, 0.05, 1);
  const b = randn([256], 2, 0.05, 1);
  assert.ok(Math.abs(pearson(a, b).r) < 0.25);
});
