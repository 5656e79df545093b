// Remote audit benchmark: a generated 1.2 GB 2-shard BF16 checkpoint (Qwen2.5-1.5B widths, 8 layers, random weights)
// served by Debian's nginx on 127.0.0.1 under the Hub's URL layout, audited over HTTP Range and locally against a
// library of two references: a derivative of it (its fingerprint with noise at half the weights' spread added, no
// hashes) and an independent model of the same shapes (fresh random samples), so that both the aligned reads of a
// match and the permutation search of a non-match are paid. Prints local and remote audit times, their ratio, bytes
// fetched vs model bytes (target < 5 %) and whether the two audits agree.
// Run: node scripts/build.mjs && node dist-bench/remoteAudit.js [--keep]
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../src/core/format/checkpoint';
import { fingerprintCheckpoint, sampleMoments } from '../src/core/fingerprint/create';
import type { Fingerprint } from '../src/core/fingerprint/types';
import { mulberry32 } from '../src/core/fingerprint/plan';
import { auditCheckpoint } from '../src/core/match/audit';
import type { AuditResult } from '../src/core/match/types';
import { auditRemote, formatBytes, formatSummary } from '../src/core/remote';
import { ensureNginx, startNginx } from '../test/remote/nginx';
import { decoderTensors, writeSparseSharded } from '../test/unit/helpers/remoteGen';

/** Fills every tensor of the checkpoint at `dir` with random BF16 values (spread 0.02), 16 MiB at a time. */
async function fillRandom(dir: string): Promise<void> {
  const checkpoint = await openCheckpoint(dir);
  const chunk = 8 << 20;
  const f32 = new Float32Array(chunk);
  const u32 = new Uint32Array(f32.buffer);
  const bf16 = new Uint16Array(chunk);
  let s = 0x9e3779b9;
  const fds = checkpoint.files.map((f) => openSync(f.path, 'r+'));
  try {
    for (const t of checkpoint.tensors) {
      for (let done = 0; done < t.count; done += chunk) {
        const n = Math.min(chunk, t.count - done);
        for (let i = 0; i < n; i++) {
          s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
          const a = (s >>> 0) / 4294967296;
          s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
          f32[i] = (a + (s >>> 0) / 4294967296 - 1) * 0.05;
          bf16[i] = u32[i] >>> 16;
        }
        writeSync(fds[t.fileIndex], new Uint8Array(bf16.buffer, 0, 2 * n), 0, 2 * n, t.begin + 2 * done);
      }
    }
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/** `fp` with every sample (and probe value) moved by noise of `noise` times the tensor's sampled spread. */
function noisy(fp: Fingerprint, id: string, noise: number, replace: boolean, seed: number): Fingerprint {
  const rand = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const move = (v: Float32Array | null, sd: number): Float32Array | null =>
    v && Float32Array.from(v, (x) => (replace ? 0 : x) + noise * sd * gauss());
  return {
    ...fp,
    model: { ...fp.model, id, source: `bench/${id}`, headerHash: `${id}-${fp.model.headerHash}`.slice(0, 64) },
    tensors: fp.tensors.map((t) => {
      const samples = move(t.samples, t.moments.std || 1)!;
      return { ...t, sha256: null, samples, moments: sampleMoments(samples), probe: move(t.probe, t.moments.std || 1), gramRows: null, gramCols: null };
    }),
  };
}

const comparable = (r: AuditResult): string => JSON.stringify({ ...r, checkpoint: { ...r.checkpoint, path: '' }, seconds: 0 });
const verdicts = (r: AuditResult): string => r.components.map((c) => `${c.name} ${c.verdict}${c.reference ? ` (${c.reference})` : ''}`).join(', ');

async function main(): Promise<number> {
  const found = ensureNginx();
  if ('skip' in found) {
    console.log(`remote audit bench SKIPPED: ${found.skip}`);
    return 0;
  }
  const root = mkdtempSync(join(tmpdir(), 'wp-bench-remote-audit-'));
  const dir = join(root, 'bench', 'qwen-1b');
  const t0 = Date.now();
  const { files, bytes } = writeSparseSharded(dir,
    decoderTensors({ hidden: 1536, intermediate: 8960, layers: 8, heads: 12, kvHeads: 2, vocab: 151936, bias: true, tied: true }), 700e6);
  await fillRandom(dir);
  console.log(`generated ${files} shards, ${formatBytes(bytes)} of random BF16 weights in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const own = await fingerprintCheckpoint(await openCheckpoint(dir), { id: 'qwen-1b', hashMaxBytes: 0, gramRows: false });
  const references = [noisy(own, 'qwen-1b-derivative', 0.5, false, 1), noisy(own, 'independent', 1, true, 2)];
  const nginx = await startNginx(found.bin, root);
  try {
    const t1 = performance.now();
    const local = await auditCheckpoint(dir, references);
    const localSeconds = (performance.now() - t1) / 1000;
    const { result, summary } = await auditRemote('hf://bench/qwen-1b', references, { endpoint: nginx.endpoint, token: null, proxy: null });
    const share = summary.bytesFetched / summary.modelBytes;
    console.log(`local audit: ${localSeconds.toFixed(2)} s; ${verdicts(local)}`);
    console.log(`remote audit: ${summary.seconds.toFixed(2)} s (${(summary.seconds / localSeconds).toFixed(1)}x local); ${formatSummary(summary)}`);
    console.log(`  ${summary.cache.reads} reads, ${summary.cache.hits} from the cache; ${summary.cache.ranges} ranges of ${formatBytes(summary.cache.rangeBytes)} `
      + `for ${formatBytes(summary.cache.wantedBytes)} asked; cache peak ${formatBytes(summary.cache.peakCachedBytes)}`);
    console.log(`bytes fetched / model bytes: ${(100 * share).toFixed(2)} % (target < 5 %: ${share < 0.05 ? 'met' : 'MISSED'})`);
    console.log(`same verdicts: ${verdicts(result) === verdicts(local) ? 'yes' : 'NO'}; same audit (evidence, tables): ${comparable(result) === comparable(local) ? 'yes' : 'NO'}`);
  } finally {
    await nginx.stop();
    if (!process.argv.includes('--keep')) rmSync(root, { recursive: true, force: true });
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
