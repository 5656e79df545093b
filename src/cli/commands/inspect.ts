import { openCheckpoint } from '../../core/format/checkpoint';
import { buildInventory } from '../../core/inventory/inventory';
import { parseArgs, UsageError } from '../args';
import { formatBytes, formatCount, safeText, table } from '../format';
import type { CliIO } from '../main';

export async function inspectCommand(argv: string[], io: CliIO, maxHeaderBytes?: number): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: [] });
  if (args.positionals.length !== 1) throw new UsageError('inspect takes exactly one <checkpoint>');
  const checkpoint = await openCheckpoint(args.positionals[0], { maxHeaderBytes });
  const inv = buildInventory(checkpoint);
  const s = inv.summary;
  if (args.flags.has('json')) {
    io.out(JSON.stringify({
      checkpoint: {
        path: s.path, kind: s.kind, files: s.files, tensors: s.tensors, parameters: s.parameters, bytes: s.bytes,
        fileBytes: s.fileBytes, dtypes: Object.fromEntries(s.dtypes.map(({ dtype, ...d }) => [dtype, d])),
        components: s.components, family: s.family, metadata: Object.fromEntries(s.metadata), config: checkpoint.config ?? null,
        headerHash: s.headerHash, warnings: s.warnings,
      },
      tensors: inv.rows.map((r, i) => ({
        name: r.name, dtype: r.dtype, shape: r.shape, file: r.file, offsets: [checkpoint.tensors[i].begin, checkpoint.tensors[i].end],
        component: r.component, layer: r.layer, kind: r.kind,
      })),
    }, null, 1) + '\n');
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${safeText(s.path)}`);
  lines.push(`  ${s.kind === 'sharded' ? `${s.files.length} shards` : `${s.files.length} file(s)`}, ${s.tensors} tensors, ${formatCount(s.parameters)} parameters (${s.parameters}), ${formatBytes(s.bytes)} of tensor data`);
  lines.push(`  family: ${safeText(s.family)}`);
  lines.push(`  dtypes: ${s.dtypes.map((d) => `${d.dtype} ${d.tensors} tensors / ${formatCount(d.parameters)}`).join(', ')}`);
  lines.push('');
  lines.push(table([
    ['component', 'tensors', 'parameters', 'layers', 'bytes'],
    ...s.components.map((c) => [c.name, String(c.tensors), String(c.parameters), String(c.layers), formatBytes(c.bytes)]),
  ], [1, 2, 3, 4]).split('\n').map((l) => '  ' + l).join('\n'));
  if (s.metadata.length) {
    lines.push('');
    lines.push('  metadata: ' + s.metadata.map(([k, v]) => `${safeText(k)}=${safeText(v.length > 80 ? v.slice(0, 77) + '...' : v)}`).join(', '));
  }
  for (const w of s.warnings) lines.push(`  warning: ${safeText(w)}`);
  io.out(lines.join('\n') + '\n');
  return 0;
}
