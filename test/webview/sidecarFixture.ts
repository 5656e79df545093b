// The evidence beside the weights for the webview tests, made with the real core: a suspect folder (lm_A's weights
// with an extended vocabulary, A_vocab_ext) beside a tokenizer that extends lm_A's tokenizer at the same ids, a
// config.json and a model card whose front matter names another base model; references lm_A (its tokenizer and
// config), lm_B (an independently trained tokenizer: no evidence) and vit_R (no tokenizer files). The audit carries
// the tokenizer lineage, the configurations side by side and the claims (AuditResult.sidecars).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusText, extendBpe, tokenizerConfigJson, tokenizerJson, trainBpe, type BpeTokenizer } from '../unit/helpers/tokenizers';
import { corpusJobs, type JobsData } from './jobsFixture';

const config = (vocab: number, layers = 4) => JSON.stringify({
  architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 128, num_hidden_layers: layers, num_attention_heads: 4,
  num_key_value_heads: 2, intermediate_size: 344, vocab_size: vocab, rope_theta: 500000, rms_norm_eps: 1e-5,
});

/** A BPE tokenizer with <s> and </s> added after its vocabulary (bos and eos in tokenizer_config.json). */
function withSpecials(tok: BpeTokenizer, chatTemplate?: string): Record<string, string> {
  const n = tok.vocab.length;
  return {
    'tokenizer.json': tokenizerJson(tok, { added: [{ id: n, content: '<s>', special: true }, { id: n + 1, content: '</s>', special: true }] }),
    'tokenizer_config.json': tokenizerConfigJson({ bos: '<s>', eos: '</s>', chatTemplate }),
  };
}

export interface SidecarFixture {
  /** The suspect's model.safetensors. */
  suspect: string;
  jobs: JobsData;
}

export async function sidecarJobs(corpusDir: string): Promise<SidecarFixture> {
  const root = mkdtempSync(join(tmpdir(), 'wp-webview-sidecars-'));
  process.on('exit', () => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string, weights: string, files: Record<string, string>): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    copyFileSync(join(corpusDir, weights), join(dir, 'model.safetensors'));
    for (const [file, body] of Object.entries(files)) writeFileSync(join(dir, file), body);
    return join(dir, 'model.safetensors');
  };
  const base = trainBpe(corpusText({ seed: 1, words: 30_000 }), 1200);
  const other = trainBpe(corpusText({ seed: 2, words: 30_000 }), 1200);
  const extended = extendBpe(base, trainBpe(corpusText({ seed: 4, words: 20_000, language: 'b' }), 1500));
  const refA = folder('lm_A', 'lm/lm_A.safetensors', { ...withSpecials(base), 'config.json': config(1200) });
  const refB = folder('lm_B', 'lm/lm_B.safetensors', { ...withSpecials(other), 'config.json': config(1200, 6) });
  const refR = folder('vit_R', 'vision/vit_R.safetensors', {});
  const suspect = folder('suspect', 'lm/A_vocab_ext.safetensors', {
    ...withSpecials(extended, '{% for m in messages %}{{ m.content }}{% endfor %}'),
    'config.json': config(extended.vocab.length),
    'README.md': '---\nbase_model: someone/else-7b\nlicense: apache-2.0\n---\n# A model\n',
  });
  const jobs = await corpusJobs(suspect, [{ path: refA, id: 'lm_A' }, { path: refB, id: 'lm_B' }, { path: refR, id: 'vit_R' }]);
  return { suspect, jobs };
}
