// Remote fingerprint benchmark: a generated ~10 GB sharded BF16 checkpoint (Qwen2.5-7B widths, 17 layers; sparse
// files, zero data) served by Debian's nginx on 127.0.0.1 under the Hub's URL layout, fingerprinted over HTTP Range.
// Prints bytes fetched (target < 20 MB), requests and seconds, and the local fingerprint time for comparison.
// Run: node scripts/build.mjs && node dist-bench/remote.js [--parallel N] [--gap BYTES] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintPath } from '../src/core/fingerprint/create';
import { fingerprintRemote, formatBytes, REMOTE_DEFAULT_HASH_MAX_BYTES } from '../src/core/remote';
import { ensureNginx, startNginx } from '../test/remote/nginx';
import { decoderTensors, writeSparseSharded } from '../test/unit/helpers/remoteGen';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const arg = (name: string): number | undefined => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : undefined);
  const found = ensureNginx();
  if ('skip' in found) {
    console.log(`remote bench SKIPPED: ${found.skip}`);
    return 0;
  }
  const root = mkdtempSync(join(tmpdir(), 'wp-bench-remote-'));
  const t0 = Date.now();
  const { files, bytes } = writeSparseSharded(join(root, 'bench', 'qwen-10g'),
    decoderTensors({ hidden: 3584, intermediate: 18944, layers: 17, heads: 28, kvHeads: 4, vocab: 152064, bias: true }), 4.9e9);
  console.log(`generated ${files} sparse shards, ${formatBytes(bytes)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const nginx = await startNginx(found.bin, root);
  try {
    const runs: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await fingerprintRemote('hf://bench/qwen-10g', { endpoint: nginx.endpoint, token: null, proxy: null, parallel: arg('--parallel'), gapBytes: arg('--gap') });
      runs.push(last.summary.seconds);
    }
    const s = last!.summary;
    runs.sort((a, b) => a - b);
    console.log(`remote: ${s.tensors} tensors, ${s.files} files, model ${formatBytes(s.modelBytes)}; fetched ${formatBytes(s.bytesFetched)} `
      + `(${(100 * s.bytesFetched / s.modelBytes).toFixed(3)} %; samples wanted ${formatBytes(s.bytesWanted)}, coalesced ranges ${formatBytes(s.bytesPlanned)}), `
      + `${s.requests} requests, median ${runs[1].toFixed(2)} s (runs ${runs.map((r) => r.toFixed(2)).join(', ')})`);
    console.log(`target < 20 MB: ${s.bytesFetched < 20e6 ? 'met' : 'MISSED'}`);
    const t1 = Date.now();
    await fingerprintPath(join(root, 'bench', 'qwen-10g'), { hashMaxBytes: REMOTE_DEFAULT_HASH_MAX_BYTES });
    console.log(`local fingerprint of the same files (same hash limit): ${((Date.now() - t1) / 1000).toFixed(2)} s`);
  } finally {
    await nginx.stop();
    if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true });
  }
  return 0;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 1; });
