// Header benchmark: parse + validate a 50,000-tensor header, build the inventory and the first table page,
// against the baseline of JSON.parse alone on the same bytes (measured in the same run). Also shows that opening
// does not depend on the data size: a 20 GB sparse checkpoint against a 20 MB one.
import { mkdir, open, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpoint } from '../src/core/format/checkpoint';
import { buildInventory } from '../src/core/inventory/inventory';
import { TensorTable } from '../src/core/inventory/query';
import { writeSafetensors } from '../src/core/format/writer';
import { writeMany } from '../test/fixtures/generate';
import { time } from './timing';

const dataDir = join(process.cwd(), 'bench', '.data');

async function main(): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const many = join(dataDir, 'many-50000-long.safetensors');
  // Long names as in merged multimodal checkpoints, so that the header is about 10 MB like the largest real ones.
  if (!existsSync(many)) await writeMany(many, 50_000, 'base_model.model.multi_modal_language_model.decoder.');
  const handle = await open(many, 'r');
  const prefix = Buffer.alloc(8);
  await handle.read(prefix, 0, 8, 0);
  const headerLength = Number(prefix.readBigUInt64LE(0));
  const headerText = Buffer.alloc(headerLength);
  await handle.read(headerText, 0, headerLength, 8);
  await handle.close();

  const baseline = await time(() => JSON.parse(headerText.toString('utf8')));
  const opened = await time(() => openCheckpoint(many));
  const inventory = await time(() => buildInventory(opened.value));
  const firstPage = await time(() => new TensorTable(inventory.value.rows).query({ filter: '', regex: false, sortKey: 'name', descending: false, start: 0, count: 60 }));
  const filtered = await time(() => new TensorTable(inventory.value.rows).query({ filter: 'experts\\.7\\d\\.', regex: true, sortKey: 'count', descending: true, start: 0, count: 60 }));

  console.log(`header: 50,000 tensors, ${(headerLength / 1e6).toFixed(1)} MB of JSON, file ${(((await stat(many)).size) / 1e9).toFixed(1)} GB (sparse)`);
  console.log(`  JSON.parse alone (baseline)        ${baseline.ms.toFixed(1)} ms`);
  console.log(`  openCheckpoint (parse + validate)  ${opened.ms.toFixed(1)} ms   ratio to baseline ${(opened.ms / baseline.ms).toFixed(2)}x   target < 300 ms: ${opened.ms < 300 ? 'met' : 'MISSED'}`);
  console.log(`  buildInventory (names → roles)     ${inventory.ms.toFixed(1)} ms`);
  console.log(`  first table page (sorted by name)  ${firstPage.ms.toFixed(1)} ms`);
  console.log(`  regex filter + sort by count       ${filtered.ms.toFixed(1)} ms`);

  // Same tensor inventory, 20 MB vs 20 GB of data: opening cost and memory must not follow the data size.
  const sizes: [string, number][] = [['20 MB', 20e6], ['20 GB', 20e9]];
  for (const [label, bytes] of sizes) {
    const path = join(dataDir, `sparse-${label.replace(' ', '')}.safetensors`);
    if (!existsSync(path)) {
      const n = 2000;
      const per = Math.floor(bytes / n / 4 / 4096) * 4096;
      await writeSafetensors(path, Array.from({ length: n }, (_, i) => ({ name: `model.layers.${Math.floor(i / 10)}.mlp.p${i % 10}.weight`, dtype: 'F32' as const, shape: [per / 4096 || 1, 4096] })));
    }
    const t = await time(async () => buildInventory(await openCheckpoint(path)), 5);
    global.gc?.();
    console.log(`  open + inventory, 2,000 tensors, ${label} of data: ${t.ms.toFixed(1)} ms, heap after ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB`);
  }
}

void main();
