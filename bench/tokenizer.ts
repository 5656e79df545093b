// Tokenizer benchmark: reading and fingerprinting a tokenizer.json of a large vocabulary (256,000 tokens and
// 255,744 merges, ~10 MB, the size of Gemma's or Llama 3's), against the baseline of JSON.parse alone on the same
// bytes (measured in the same run), and comparing two such fingerprints. Peak RSS of the whole process is printed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readTokenizerFiles } from '../src/core/sidecars/tokenizerFiles';
import { tokenizerFingerprint } from '../src/core/sidecars/tokenizerPrint';
import { compareTokenizers } from '../src/core/sidecars/tokenizerLineage';
import { mulberry32 } from '../src/core/fingerprint/plan';
import { time } from './timing';

const VOCAB = 256_000;

/** A synthetic byte-level BPE tokenizer.json: the 256 byte tokens, then merged pieces built from earlier tokens. */
function syntheticTokenizer(seed: number, size: number): string {
  const rand = mulberry32(seed);
  const vocab: string[] = [];
  for (let b = 0; b < 256; b++) vocab.push(String.fromCharCode(b < 33 ? 256 + b : b));
  const merges: string[] = [];
  const seen = new Set(vocab);
  while (vocab.length < size) {
    const a = vocab[Math.floor(rand() ** 2 * vocab.length)];
    const b = vocab[Math.floor(rand() ** 2 * vocab.length)];
    const merged = a + b;
    if (merged.length > 24 || seen.has(merged)) continue;
    seen.add(merged);
    vocab.push(merged);
    merges.push(`${a} ${b}`);
  }
  return JSON.stringify({ version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: { type: 'ByteLevel' },
    model: { type: 'BPE', vocab: Object.fromEntries(vocab.map((v, i) => [v, i])), merges } });
}

async function main(): Promise<void> {
  const dir = join(process.cwd(), 'bench', '.data', 'tokenizer-256k');
  const file = join(dir, 'tokenizer.json');
  await mkdir(dir, { recursive: true });
  if (!existsSync(file)) await writeFile(file, syntheticTokenizer(7, VOCAB));
  // One read and fingerprint first, so the peak RSS is that of a single pass (the timing runs below add garbage).
  const rssBefore = process.resourceUsage().maxRSS;
  tokenizerFingerprint((await readTokenizerFiles(dir)).vocabulary!);
  const rssOne = process.resourceUsage().maxRSS;
  const bytes = await readFile(file);
  const baseline = await time(() => JSON.parse(bytes.toString('utf8')) as unknown);
  const read = await time(() => readTokenizerFiles(dir));
  const vocabulary = read.value.vocabulary!;
  const print = await time(() => tokenizerFingerprint(vocabulary));
  const other = tokenizerFingerprint({ ...vocabulary, tokens: vocabulary.tokens.slice(0, 200_000), merges: vocabulary.merges.slice(0, 199_744) });
  const compare = await time(() => compareTokenizers(print.value, other), 21);
  const total = read.ms + print.ms;
  console.log(`tokenizer.json: ${(bytes.length / 1e6).toFixed(1)} MB, ${print.value.vocabSize.toLocaleString('en-US')} ids, ${print.value.merges.toLocaleString('en-US')} merges`);
  console.log(`  baseline JSON.parse            ${baseline.ms.toFixed(0)} ms`);
  console.log(`  read (bounded parse + vocab)   ${read.ms.toFixed(0)} ms  (${(read.ms / baseline.ms).toFixed(2)}x baseline)`);
  console.log(`  fingerprint (sketches, hashes) ${print.ms.toFixed(0)} ms`);
  console.log(`  read + fingerprint             ${total.toFixed(0)} ms  (${(total / baseline.ms).toFixed(2)}x baseline)`);
  console.log(`  fingerprint size               ${(JSON.stringify(print.value).length / 1024).toFixed(0)} KiB of JSON`);
  console.log(`  compare two fingerprints       ${compare.ms.toFixed(2)} ms (${compare.value.relation}, same ids ${compare.value.sameIdTokens.toLocaleString('en-US')}, merge prefix ${compare.value.mergePrefix})`);
  console.log(`  peak RSS, one read+fingerprint ${(rssOne / 1024).toFixed(0)} MB (${(rssBefore / 1024).toFixed(0)} MB before)`);
  console.log(`  peak RSS, after the timing runs ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

main().catch((e) => { console.error(e); process.exit(1); });
