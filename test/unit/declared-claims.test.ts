// Declared provenance (src/core/sidecars): claims read from a folder's sidecars under the hostile-input rules, and
// set against a real audit of the fixture corpus (the copied-vision suspect matches vit_R).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPath } from '../../src/core/fingerprint/create';
import { auditCheckpoint } from '../../src/core/match/audit';
import type { AuditResult } from '../../src/core/match/types';
import { MAX_SIDECAR_BYTES, readDeclaredClaims } from '../../src/core/sidecars/claims';
import { checkClaims, repoKey } from '../../src/core/sidecars/claimsCheck';
import { CORPUS, ensureFixtureCorpus } from './helpers/corpus';
import { writeFingerprint } from '../../src/core/fingerprint/io';
import { runCli, tempDir } from './helpers/hostileFiles';

let audit: AuditResult;
let library = '';
before(async () => {
  await ensureFixtureCorpus();
  const refs = await Promise.all([['lm/lm_A', 'lm_A'], ['vision/vit_R', 'vit_R']].map(([p, id]) => fingerprintPath(join(CORPUS, `${p}.safetensors`), { id })));
  audit = await auditCheckpoint(join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors'), refs);
  library = tempDir('wp-claims-library-');
  for (const fp of refs) await writeFingerprint(join(library, `${fp.model.id}.wpf`), fp);
});

function folder(files: Record<string, string | Buffer>): string {
  const dir = tempDir('wp-claims-');
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  return dir;
}

test('claims come from config.json, adapter_config.json, the model card front matter and the header metadata', async () => {
  const dir = folder({
    'config.json': JSON.stringify({ _name_or_path: 'team/our-model', model_type: 'llava', architectures: ['LlavaForConditionalGeneration'], vision_config: { model_type: 'qwen2_5_vl' } }),
    'adapter_config.json': JSON.stringify({ base_model_name_or_path: 'Org/Base-7B' }),
    'README.md': '---\nlicense: apache-2.0\nbase_model:\n  - Org/Base-7B\n  - other/x\n---\n# Card\nbase_model: not-in-front-matter\n',
  });
  const { claims, problems } = await readDeclaredClaims(dir, { base_model: 'meta/base', format: 'pt' });
  assert.deepEqual(problems, []);
  assert.deepEqual(claims.map((c) => `${c.file} ${c.field} ${c.kind} ${c.value}`), [
    'config.json _name_or_path name-or-path team/our-model',
    'config.json model_type model-type llava',
    'config.json architectures architecture LlavaForConditionalGeneration',
    'config.json vision_config.model_type model-type qwen2_5_vl',
    'adapter_config.json base_model_name_or_path base-model Org/Base-7B',
    'README.md base_model base-model Org/Base-7B',
    'README.md base_model base-model other/x',
    'README.md license license apache-2.0',
    '__metadata__ base_model base-model meta/base',
  ]);
  assert.deepEqual(await readDeclaredClaims(tempDir('wp-claims-empty-')), { claims: [], problems: [] });
});

test('hostile sidecars give one line each naming the file, and nothing else of them is read', async () => {
  const dir = folder({
    'config.json': '{"model_type": "llama",',
    'adapter_config.json': '[1,2]',
    'README.md': '---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n',
  });
  const r = await readDeclaredClaims(dir);
  assert.deepEqual(r.claims, []);
  assert.equal(r.problems.length, 3, r.problems.join('\n'));
  assert.match(r.problems[0], /^config\.json: not valid JSON/);
  assert.equal(r.problems[1], 'adapter_config.json: not a JSON object');
  assert.match(r.problems[2], /^README\.md: the front matter (is not valid YAML|cannot be read)/);
  for (const p of r.problems) assert.ok(!p.includes('\n'));

  const big = folder({ 'config.json': Buffer.alloc(MAX_SIDECAR_BYTES + 1, 0x20), 'README.md': `---\nlicense: mit\n${'x: 1\n'.repeat(20_000)}` });
  mkdirSync(join(big, 'adapter_config.json'));
  const b = await readDeclaredClaims(big);
  assert.deepEqual(b.claims, []);
  assert.deepEqual(b.problems.map((p) => p.split(':')[0]), ['config.json', 'adapter_config.json', 'README.md']);
  assert.match(b.problems[0], /over the 4194304-byte limit/);

  const proto = folder({ 'config.json': '{"__proto__": {"model_type": "polluted"}, "_name_or_path": "a\\u202eb\\u0000c"}', 'README.md': '---\nbase_model: !!js/function "function () {}"\nlicense: [1, {x: 2}]\n---\n' });
  const p = await readDeclaredClaims(proto);
  assert.equal(({} as Record<string, unknown>).model_type, undefined);
  // An unknown tag is not a type: the value stays the plain string it was written as.
  assert.deepEqual(p.claims.map((c) => `${c.kind} ${c.value}`), ['name-or-path a\u202eb\u0000c', 'base-model function () {}']);
  assert.equal(p.claims[0].value, 'a\u202eb\u0000c', 'values stay data; the outputs render them inert');
  assert.ok(p.problems.every((l) => l.startsWith('README.md: ')), p.problems.join('\n'));

  const link = tempDir('wp-claims-link-');
  symlinkSync('/dev/zero', join(link, 'config.json'));
  assert.deepEqual((await readDeclaredClaims(link)).problems, ['config.json: not a regular file']);
  // A named pipe would block a plain open until a writer comes: it is refused at once.
  const fifo = tempDir('wp-claims-fifo-');
  execFileSync('mkfifo', [join(fifo, 'README.md')]);
  assert.deepEqual((await readDeclaredClaims(fifo)).problems, ['README.md: not a regular file']);
});

test('licence and notice files: their heading and copyright lines are claims; a broken one is one line', async () => {
  const dir = folder({
    LICENSE: '\n# Tongyi Qianwen LICENSE AGREEMENT\n\nTongyi Qianwen Release Date: August 3, 2023\n...\nCopyright (c) Alibaba Cloud. All Rights Reserved.\n',
    NOTICE: 'Copyright 2025 Zhipu AI\nThis product includes GLM-4.5-Air \u001b[31m weights.\n',
  });
  mkdirSync(join(dir, 'LICENSE.md'));
  const { claims, problems } = await readDeclaredClaims(dir);
  assert.deepEqual(claims.map((c) => `${c.file} ${c.field} ${c.kind}: ${c.value}`), [
    'LICENSE first line license: Tongyi Qianwen LICENSE AGREEMENT',
    'LICENSE copyright copyright: Copyright (c) Alibaba Cloud. All Rights Reserved.',
    'NOTICE copyright copyright: Copyright 2025 Zhipu AI',
  ]);
  assert.deepEqual(problems, ['LICENSE.md: not a regular file']);
});

test('claims against the weights: agreement, another reference, a declared base not found, undeclared reuse', () => {
  const vision = audit.components.find((c) => c.name === 'vision')!;
  assert.equal(vision.verdict, 'derived');
  assert.equal(vision.reference, 'vit_R');
  const claim = (value: string) => ({ file: 'README.md', field: 'base_model', kind: 'base-model' as const, value });
  const reused = audit.components.filter((c) => c.reference === 'vit_R').map((c) => c.name);

  assert.deepEqual(checkClaims([claim('hf://VIT_R@main')], audit).map((c) => `${c.kind} ${c.component} ${c.reference}`), reused.map((n) => `agrees ${n} vit_R`));
  assert.deepEqual(checkClaims([claim('lm_A')], audit).map((c) => `${c.kind} ${c.component} ${c.reference}`),
    ['declared-not-found null lm_A', ...reused.map((n) => `other-reference ${n} vit_R`)]);
  assert.deepEqual(checkClaims([], audit).map((c) => `${c.kind} ${c.component} ${c.reference}`), reused.map((n) => `undeclared-reuse ${n} vit_R`));
  assert.deepEqual(checkClaims([{ ...claim('apache-2.0'), kind: 'license' }], audit).map((c) => c.kind), reused.map(() => 'undeclared-reuse'));
  assert.equal(repoKey('https://huggingface.co/Qwen/Qwen2.5-VL-7B-Instruct/'), 'qwen/qwen2.5-vl-7b-instruct');
});

test('audit (CLI): the claims section in --json and the text, a broken sidecar on stderr', { timeout: 120_000 }, async () => {
  const dir = folder({ 'README.md': '---\nbase_model: lm_A\nlicense: "mit\\u001b[31m"\n---\n', 'config.json': '{oops' });
  copyFileSync(join(CORPUS, 'vl/suspect_vl_copied_vision.safetensors'), join(dir, 'model.safetensors'));
  const json = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library, '--json'], { killAfterMs: 100_000 });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(json.stderr, 'weightprint: sidecar not read: config.json: not valid JSON (at byte 1)\n');
  const claims = JSON.parse(json.stdout).claims;
  assert.deepEqual(claims.declared.map((c: { field: string; value: string }) => `${c.field}=${c.value}`), ['base_model=lm_A', 'license=mit\u001b[31m']);
  assert.deepEqual(claims.problems, ['config.json: not valid JSON (at byte 1)']);
  const kinds = claims.checks.map((c: { kind: string; component: string | null; reference: string }) => `${c.kind} ${c.component} ${c.reference}`);
  assert.ok(kinds.includes('declared-not-found null lm_A') && kinds.includes('other-reference vision vit_R'), kinds.join('\n'));
  const text = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library], { killAfterMs: 100_000, env: { WEIGHTPRINT_LANG: 'en' } });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^claim disagrees: README\.md base_model declares base model lm_A; the vision weights match vit_R$/m);
  assert.match(text.stdout, /^claim not supported: README\.md base_model declares base model lm_A; lm_A was checked and no component matches it$/m);
  assert.ok(!text.stdout.includes('\u001b'), 'the escape in the licence is rendered inert');
  const ko = await runCli(['audit', join(dir, 'model.safetensors'), '--library', library], { killAfterMs: 100_000, env: { WEIGHTPRINT_LANG: 'ko' } });
  assert.match(ko.stdout, /^선언과 불일치: README\.md base_model에 선언된 기반 모델 lm_A/m);
});
