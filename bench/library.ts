// npm run bench (library part, issue 16): audit time and peak RSS against 10, 100 and 1,000 references, each audit a
// CLI process of its own (`weightprint audit … --library`). The library holds the true references (lm_A, vit_R of the
// generated fixture corpus) and decoys generated as independent models of the same architectures
// (test/fixtures/decoys.ts), the worst case for screening. The baseline, measured in the same run: the exhaustive
// audit (every reference compared in full, as before the index; `--exhaustive`), at 10 references by default. Decoys are made once
// into a cache folder (WEIGHTPRINT_BENCH_CACHE, default <tmp>/weightprint-bench-library-<version>): ~7 min for 1,000.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fingerprintPath } from '../src/core/fingerprint/create';
import { writeFingerprint } from '../src/core/fingerprint/io';
import { ensureDecoys } from '../test/fixtures/decoys';
import { ensureFixtureCorpus } from '../test/fixtures/fixtureCorpus';

const VERSION = 'decoys-2';
const SUSPECTS = [
  { name: 'copied vision encoder', file: 'vl/suspect_vl_copied_vision.safetensors' },
  { name: 'permuted LM', file: 'lm/A_perm_mlp_heads.safetensors' },
  { name: 'independent LM', file: 'lm/lm_B.safetensors' },
];
const cli = resolve('dist/cli.js');

interface Run { seconds: number; rssMB: number; verdicts: string }

function audit(suspect: string, library: string, exhaustive: boolean): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'audit', suspect, '--library', library, '--json', ...(exhaustive ? ['--exhaustive'] : [])], {
    encoding: 'utf8', maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`audit failed (${r.status}): ${r.stderr.slice(-400)}`);
  const rssMB = Number(r.stderr.trim().split('\n').pop()) / 1024;
  const json = JSON.parse(r.stdout) as { components: { name: string; verdict: string; reference: string | null }[] };
  return { seconds, rssMB, verdicts: json.components.map((c) => `${c.name} ${c.verdict}${c.reference ? ` (${c.reference})` : ''}`).join(', ') };
}

async function main(): Promise<void> {
  const cache = process.env.WEIGHTPRINT_BENCH_CACHE ?? join(tmpdir(), `weightprint-bench-library-${VERSION}`);
  const corpus = await ensureFixtureCorpus();
  const refs = join(cache, 'refs');
  mkdirSync(refs, { recursive: true });
  await writeFingerprint(join(refs, 'lm_A.wpf'), await fingerprintPath(join(corpus, 'lm/lm_A.safetensors'), { id: 'lm_A' }));
  await writeFingerprint(join(refs, 'vit_R.wpf'), await fingerprintPath(join(corpus, 'vision/vit_R.safetensors'), { id: 'vit_R' }));
  const sizes = (process.env.WEIGHTPRINT_BENCH_LIBRARY ?? '10,100,1000').split(',').map(Number);
  // The exhaustive baseline costs ~2–5 s per reference and suspect: 16 minutes at 100 references (run 4 Dec 2026:
  // 486, 268 and 240 s, same verdicts); by default it runs at 10 only. WEIGHTPRINT_BENCH_EXHAUSTIVE=100 runs it there too.
  const exhaustiveUpTo = Number(process.env.WEIGHTPRINT_BENCH_EXHAUSTIVE ?? 10);
  const t0 = Date.now();
  const decoys = await ensureDecoys(join(cache, 'decoys'), Math.max(...sizes) - 2, 0, (s) => process.stderr.write(`${s}\n`));
  if (Date.now() - t0 > 5000) console.log(`decoys generated in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const rows: string[] = [];
  const totals = new Map<number, number>();
  for (const n of sizes) {
    const lib = join(cache, `library-${n}`);
    // A library folder made by an earlier run keeps its index: the step below then only checks it (a cold build of
    // 1,000 references took 42–47 s on 4 Dec 2026).
    const fresh = !existsSync(lib);
    if (fresh) {
      mkdirSync(lib);
      for (const f of readdirSync(refs)) symlinkSync(join(refs, f), join(lib, f));
      for (const d of decoys.slice(0, n - 2)) symlinkSync(d, join(lib, d.split('/').pop()!));
    }
    const ti = Date.now();
    spawnSync(process.execPath, [cli, 'library', 'index', lib], { encoding: 'utf8' });
    rows.push(`library of ${n}: index ${fresh ? 'built' : 'checked'} in ${((Date.now() - ti) / 1000).toFixed(1)} s`);
    let total = 0;
    for (const s of SUSPECTS) {
      const run = audit(join(corpus, s.file), lib, false);
      total += run.seconds;
      let base = '';
      if (n <= exhaustiveUpTo) {
        const ex = audit(join(corpus, s.file), lib, true);
        base = `   exhaustive ${ex.seconds.toFixed(1)} s, ${ex.rssMB.toFixed(0)} MB, ratio ${(ex.seconds / run.seconds).toFixed(1)}x, same verdicts: ${ex.verdicts === run.verdicts ? 'yes' : `NO (${ex.verdicts})`}`;
      }
      rows.push(`  ${s.name.padEnd(22)} ${run.seconds.toFixed(1).padStart(6)} s ${run.rssMB.toFixed(0).padStart(5)} MB  ${run.verdicts}${base}`);
    }
    totals.set(n, total);
    rows.push(`  three audits together: ${total.toFixed(1)} s`);
  }
  console.log('library screening (issue 16): audits as CLI processes against n references');
  for (const r of rows) console.log(r);
  const growth = [...totals].map(([n, s]) => `${n}: ${s.toFixed(1)} s`).join(' | ');
  console.log(`growth: ${growth}${totals.has(100) && totals.has(1000) ? ` | 100 → 1,000 references: ${(totals.get(1000)! / totals.get(100)!).toFixed(2)}x the time` : ''}`);
}

void main().catch((e) => { console.error(e); process.exit(1); });
