// A real checkpoint opened through the core (parser, inventory, paged reader): what the host would send.
import { openCheckpoint } from '../../src/core/format/checkpoint';
import { CheckpointReader } from '../../src/core/format/tensorData';
import { buildInventory } from '../../src/core/inventory/inventory';
import type { CheckpointFixture } from './fixtures';

const finite = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

export async function checkpointFixture(path: string): Promise<CheckpointFixture & { close(): Promise<void> }> {
  const checkpoint = await openCheckpoint(path);
  const inventory = buildInventory(checkpoint);
  const reader = new CheckpointReader(checkpoint);
  return {
    kind: 'checkpoint', summary: inventory.summary, rows: inventory.rows,
    async detail(id) {
      const row = inventory.rows[id];
      const tensor = checkpoint.tensors[id];
      if (!row || !tensor) throw new Error(`no tensor with id ${id}`);
      const values = await reader.readElements(tensor, 0, 64);
      return {
        row, filePath: checkpoint.files[tensor.fileIndex].path, offsets: [tensor.begin, tensor.end],
        firstValues: Array.from(values, finite), param: inventory.roles[id].param, expert: inventory.roles[id].expert,
      };
    },
    close: () => reader.close(),
  };
}
