// Prototype-chain lookups (issue 12, class 6): tensor names `__proto__`, `constructor`, `….toString`, dtypes and
// command names like Object.prototype keys find nothing in the lookup tables (module kinds, dtype aliases, labels,
// commands), and a `"__proto__"` key survives the canonical JSON (review store, JSON notes). Through dist/cli.js
// (inspect, stats, fingerprint, audit --notes) and the core API.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERDICT_WORD } from '../../src/cli/labels';
import { readFingerprint } from '../../src/core/fingerprint/io';
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { dtypeSize, parseDType } from '../../src/core/format/dtype';
import { encodeFloats, writeSafetensors } from '../../src/core/format/writer';
import { classifyTensor, MODULE_KINDS } from '../../src/core/naming/classify';
import { stableStringify } from '../../src/core/review/canonical';
import { exportReview, LABELS, type ReviewReport } from '../../src/core/review/index';
import { RELATION_WORD } from '../../src/shared/relationWords';
import { tempDir } from './helpers/reviewFs';
import { assertCleanFailure, evidenceWith, findingWith, runCli, storeText, writeLibrary } from './helpers/hostileOutputs';

const PROTO_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
const NAMES = [
  ...PROTO_KEYS,
  'model.layers.0.mlp.constructor.weight', 'model.layers.0.self_attn.toString.weight', 'model.layers.1.mlp.__proto__',
  'model.layers.1.self_attn.hasOwnProperty', 'valueOf.weight', 'model.embed_tokens.weight',
];

let dir: string;
let path: string;

before(async () => {
  dir = tempDir('wp-hard-proto-');
  path = join(dir, 'proto.safetensors');
  // writeSafetensors builds its header without a prototype, so "__proto__" is written as a tensor name.
  await writeSafetensors(path, NAMES.map((name, i) => ({ name, dtype: 'F32', shape: [8, 8], data: encodeFloats('F32', Array.from({ length: 64 }, (_, k) => Math.cos(i * 64 + k * 1.7)) ) })),
    Object.fromEntries([['__proto__', 'metadata key'], ['constructor', 'x']]));
});

test('classification: names like Object.prototype keys get a module kind from the list, never {} or a function', () => {
  for (const name of NAMES) {
    const role = classifyTensor(name);
    assert.equal(typeof role.kind, 'string', name);
    assert.ok((MODULE_KINDS as readonly string[]).includes(role.kind), `${name}: ${String(role.kind)}`);
  }
});

test('dtypes: "constructor" and other prototype keys are unknown dtypes, in the core and through inspect (exit 2)', async () => {
  for (const d of PROTO_KEYS) {
    assert.equal(parseDType(d), undefined, d);
  }
  assert.equal(dtypeSize('F32'), 4);
  const files = await Promise.all(['constructor', '__proto__', 'toString'].map(async (dtype) => {
    const header = Buffer.from(JSON.stringify({ w: { dtype, shape: [1], data_offsets: [0, 4] } }).padEnd(64, ' '));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(header.length));
    const file = join(dir, `dtype-${dtype}.safetensors`);
    writeFileSync(file, Buffer.concat([prefix, header, Buffer.alloc(4)]));
    return { file, dtype };
  }));
  const runs = await Promise.all(files.map(({ file }) => runCli(['inspect', file])));
  runs.forEach((r, i) => assertCleanFailure(r, files[i].file, `unknown dtype "${files[i].dtype}"`));
});

test('inspect --json, stats --json and fingerprint keep every prototype-named tensor, with string kinds', async () => {
  const wpf = join(dir, 'proto.wpf');
  const [inspect, stats, fingerprint] = await Promise.all([
    runCli(['inspect', path, '--json']),
    runCli(['stats', path, '--json', '--no-cache', '--workers', '0']),
    runCli(['fingerprint', path, '--out', wpf]),
  ]);
  for (const r of [inspect, stats, fingerprint]) assert.equal(r.code, 0, r.stderr);
  const inv = JSON.parse(inspect.stdout) as { checkpoint: { metadata: Record<string, string> }; tensors: { name: string; kind: unknown }[] };
  assert.deepEqual(inv.tensors.map((t) => t.name).sort(), [...NAMES].sort());
  for (const t of inv.tensors) assert.ok((MODULE_KINDS as readonly unknown[]).includes(t.kind), `${t.name}: kind ${JSON.stringify(t.kind)}`);
  assert.ok(Object.hasOwn(inv.checkpoint.metadata, '__proto__'), 'a "__proto__" metadata key is kept');
  assert.equal(inv.checkpoint.metadata.constructor, 'x');
  const st = JSON.parse(stats.stdout) as { tensors: { name: string; count: number }[] };
  assert.deepEqual(st.tensors.map((t) => t.name).sort(), [...NAMES].sort());
  assert.ok(st.tensors.every((t) => t.count === 64));
  const fp = await readFingerprint(wpf);
  assert.deepEqual(fp.tensors.map((t) => t.name).sort(), [...NAMES].sort());
  for (const t of fp.tensors) assert.ok((MODULE_KINDS as readonly string[]).includes(t.kind), `${t.name}: ${String(t.kind)}`);
});

test('the CLI: a command named like a prototype key is an unknown command (exit 1), not a crash', async () => {
  const runs = await Promise.all(['constructor', '__proto__', 'toString'].map((c) => runCli([c])));
  for (const r of runs) {
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /unknown command/);
    assert.doesNotMatch(r.stderr, /internal error/);
  }
  assert.equal(VERDICT_WORD['constructor' as never], undefined);
  assert.equal(RELATION_WORD['toString' as never], undefined);
});

test('canonical JSON keeps a "__proto__" key (JSON.parse makes it an ordinary key) instead of dropping it', () => {
  const value = JSON.parse('{"b": 1, "__proto__": {"polluted": true}, "a": [{"__proto__": 2}]}') as unknown;
  const text = stableStringify(value);
  assert.deepEqual(Object.keys(JSON.parse(text) as object), ['__proto__', 'a', 'b']);
  assert.match(text, /"__proto__": \{\n\s+"polluted": true/);
  assert.match(text, /"__proto__": 2/);
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});

test('audit --notes: "__proto__" keys of a review finding survive the JSON notes; prototype-named ids and relations render as text', async () => {
  const checkpoint = await openCheckpoint(path);
  const lib = join(dir, 'lib');
  await writeLibrary(lib, path, 'constructor');
  const finding = JSON.parse(JSON.stringify(findingWith('plain', 0, checkpoint.headerHash))) as Record<string, unknown>;
  const evidence = finding.evidence as Record<string, unknown>;
  evidence.relation = 'constructor';
  (evidence.tensors as Record<string, unknown>[])[0].relation = 'toString';
  // Keys named __proto__ as JSON text writes them: own keys after JSON.parse.
  const text = storeText(checkpoint.headerHash, 'proto.safetensors', [{ ...finding, id: '__proto__' }, { ...finding, id: 'constructor', created: '2025-01-02T00:00:00.000Z' }])
    .replace('"method": {', '"method": {\n        "__proto__": {"extra": 1},')
    .replace('"reviewer": "plain"', '"reviewer": "plain", "__proto__": "kept"');
  writeFileSync(`${path}.review.json`, text);
  const [json, md, html] = await Promise.all(['json', 'md', 'html'].map((f) => runCli(['audit', path, '--library', lib, '--notes', join(dir, `n.${f}`)])));
  for (const r of [json, md, html]) {
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /review store not used/, 'the store is valid');
  }
  const notes = JSON.parse(readFileSync(join(dir, 'n.json'), 'utf8')) as { review: { findings: Record<string, unknown>[] } };
  const ids = notes.review.findings.map((f) => f.id);
  assert.ok(ids.includes('__proto__') && ids.includes('constructor'), JSON.stringify(ids));
  const first = notes.review.findings.find((f) => f.id === '__proto__')!;
  assert.ok(Object.hasOwn(first, '__proto__'), 'the finding\'s "__proto__" key is in the JSON notes');
  assert.equal((first as Record<string, unknown>)['__proto__'], 'kept');
  assert.ok(Object.hasOwn((first.evidence as { method: object }).method, '__proto__'));
  for (const f of ['md', 'html']) {
    const out = readFileSync(join(dir, `n.${f}`), 'utf8');
    assert.doesNotMatch(out, /function Object\(\)|\[native code\]|\[object Object\]/, f);
    assert.match(out, /constructor/);
  }
});

test('the exporters look labels up by own key: a prototype-named verdict or relation is shown as itself', () => {
  const evidence: Record<string, unknown> = { ...evidenceWith('x'), auditVerdict: 'constructor', component: null, relation: 'toString' };
  (evidence.tensors as Record<string, unknown>[])[0].relation = '__proto__';
  const report = {
    generated: '2025-01-01T00:00:00.000Z', tool: { name: 'weightprint', version: '0' },
    checkpoint: { name: 'c', kind: 'constructor', headerHash: 'h', tensors: 0, parameters: 0, bytes: 0, files: [] },
    audit: null, findings: [{ ...findingWith('y'), verdict: 'valueOf', state: 'toString', confidence: 'hasOwnProperty', evidence }], library: [],
    options: { labels: LABELS },
  } as unknown as ReviewReport;
  for (const format of ['md', 'html'] as const) {
    const text = exportReview(report, format);
    assert.doesNotMatch(text, /function |native code|\[object Object\]/, format);
    const shown = format === 'md' ? text.replace(/\\(.)/g, '$1') : text; // Markdown escapes the underscores
    for (const w of ['valueOf', 'toString', 'hasOwnProperty', 'constructor', '__proto__']) assert.ok(shown.includes(w), `${format} shows ${w}`);
  }
});
