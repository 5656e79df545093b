// npm run bench (library part): audit time and peak RSS against 10, 100 and 1,000 references. The library holds the
// true references (lm_A, vit_R) and decoys generated as independent models of the same architectures (Llama-, Phi-
// and ViT-shaped, other seeds): the worst case for a shortlist, since every decoy is a shape candidate. Decoys are
// generated once into a cache folder (WEIGHTPRINT_BENCH_CACHE, default <tmp>/weightprint-bench-library-<version>).
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFloats, writeSafetensors } from '../src/core/format/writer';
import { fingerprintPath } from '../src/core/fingerprint/create';
import { writeFingerprint } from '../src/core/fingerprint/io';
import { llama, type Model } from '../test/fixtures/models';
import { phi, vit } from '../test/fixtures/corpus';

export const DECOY_VERSION = 'decoys-1';

async function writeModel(path: string, m: Model): Promise<void> {
  await writeSafetensors(path, m.map((t) => ({ name: t.name, dtype: 'F32' as const, shape: t.shape, data: encodeFloats('F32', t.data) })));
}

const KINDS: { prefix: string; make(seed: number): Model }[] = [
  { prefix: 'decoy-llama', make: (s) => llama(10_000 + s) },
  { prefix: 'decoy-vit', make: (s) => vit(20_000 + s) },
  { prefix: 'decoy-phi', make: (s) => phi(30_000 + s, 'model.') },
];

/** `count` decoy fingerprints in `dir` (made when missing): decoy i is of KINDS[i % 3]. */
export async function ensureDecoys(dir: string, count: number, log: (s: string) => void = () => undefined): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  const scratch = join(dir, '.scratch.safetensors');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length];
    const id = `${kind.prefix}-${String(i).padStart(4, '0')}`;
    const file = `${id}.wpf`;
    out.push(join(dir, file));
    if (have.has(file)) continue;
    if (i % 50 === 0) log(`decoys: ${i}/${count}`);
    await writeModel(scratch, kind.make(i));
    await writeFingerprint(join(dir, file), await fingerprintPath(scratch, { id }));
  }
  rmSync(scratch, { force: true });
  return out;
}

export function benchCache(): string {
  return process.env.WEIGHTPRINT_BENCH_CACHE ?? join(tmpdir(), `weightprint-bench-library-${DECOY_VERSION}`);
}

if (require.main === module) {
  void (async () => {
    const n = Number(process.argv[2] ?? 100);
    const t0 = Date.now();
    const files = await ensureDecoys(join(benchCache(), 'decoys'), n, (s) => process.stderr.write(s + '\n'));
    writeFileSync(join(benchCache(), 'count'), String(files.length));
    console.log(`${files.length} decoys in ${((Date.now() - t0) / 1000).toFixed(1)} s; exists ${existsSync(files[0])}`);
  })();
}
