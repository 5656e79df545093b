// A GGUF file on a Hub-layout server (Debian's nginx): `hf://owner/name/file.gguf` opens by Range reads that grow
// until its header is whole (here a 1.6 MB header: a 100,000-token vocabulary), and its remote audit equals the local
// audit of the same file, its embedded tokenizer included.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../src/core/match/audit';
import { auditRemote, openRemoteCheckpoint } from '../../src/core/remote';
import { ensureNginx, startNginx, type NginxServer } from '../remote/nginx';
import { llama } from '../fixtures/models';
import { SMALL } from './helpers/lineage';
import { ggufFromModel, llamaMetadata, writeGguf } from './helpers/ggufWriter';

const found = ensureNginx();
const SKIP = 'skip' in found ? found.skip : false;
if ('skip' in found) console.log(`# SKIPPED nginx tests: ${found.skip}`);

describe('GGUF over HTTP Range', { skip: SKIP }, () => {
  let root: string;
  let nginx: NginxServer;
  let local: string;
  const model = llama(95, SMALL);
  const tokens = Array.from({ length: 100_000 }, (_, i) => `tok${i}`);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'wp-remote-gguf-'));
    const repo = join(root, 'hub', 'corpus', 'gguf_suspect');
    mkdirSync(repo, { recursive: true });
    local = writeGguf(join(repo, 'model-Q8_0.gguf'), ggufFromModel(model, 'Q8_0', SMALL.heads), { ...llamaMetadata(SMALL.heads, SMALL.layers), 'tokenizer.ggml.model': 'gpt2', 'tokenizer.ggml.tokens': tokens });
    nginx = await startNginx((found as { bin: string }).bin, join(root, 'hub'));
  });
  after(async () => { await nginx?.stop(); rmSync(root, { recursive: true, force: true }); });

  test('the remote checkpoint equals the local one; the remote audit equals the local audit', { timeout: 120_000 }, async () => {
    const options = { endpoint: nginx.endpoint, token: null, proxy: null };
    const remote = await openRemoteCheckpoint('hf://corpus/gguf_suspect/model-Q8_0.gguf', options);
    try {
      const here = await openCheckpoint(local);
      assert.equal(remote.checkpoint.format, 'gguf');
      assert.equal(remote.checkpoint.headerHash, here.headerHash);
      assert.ok(remote.checkpoint.files[0].headerLength > 1 << 20, 'a header longer than the first read');
      assert.deepEqual(remote.checkpoint.tensors.map((x) => [x.name, x.dtype, x.begin, x.interleavedHeads]), here.tensors.map((x) => [x.name, x.dtype, x.begin, x.interleavedHeads]));
      assert.equal(remote.checkpoint.embeddedTokenizer?.tokens.length, 100_000);
    } finally {
      remote.close();
    }
    const refDir = mkdtempSync(join(root, 'ref-'));
    await writeSafetensors(join(refDir, 'model.safetensors'), model.map((x) => ({ name: x.name, dtype: 'F32' as const, shape: x.shape, data: encodeFloats('F32', x.data) })));
    const fp = await fingerprintPath(join(refDir, 'model.safetensors'), { id: 'ggufref' });
    const { result } = await auditRemote('hf://corpus/gguf_suspect/model-Q8_0.gguf', [fp], options);
    const here = await auditCheckpoint(local, [fp]);
    assert.equal(result.components.find((c) => c.name === 'language')!.comparisons[0].verdict, 'derived');
    assert.equal(JSON.stringify(result.components), JSON.stringify(here.components));
  });
});
