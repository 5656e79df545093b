import { openCheckpoint } from '../../core/format/checkpoint';
import { dtypeBlock, isBlockDType, type DType } from '../../core/format/dtype';
import { buildInventory } from '../../core/inventory/inventory';
import { parseArgs, UsageError } from '../args';
import { formatBytes, formatCount, safeText, table } from '../format';
import { LazyList, writeJson } from '../jsonOut';
import type { CliIO } from '../io';
import { COMPONENT_WORD } from '../labels';
import { t } from '../../core/l10n';

/** A quantised block type's geometry (GGUF's GGML types), or null for plain element types and sub-byte floats. */
function quantisation(dtype: DType): { type: DType; blockElements: number; blockBytes: number; bitsPerWeight: number } | null {
  if (!isBlockDType(dtype) || dtype.startsWith('F')) return null;
  const { elements, bytes } = dtypeBlock(dtype);
  return { type: dtype, blockElements: elements, blockBytes: bytes, bitsPerWeight: (bytes * 8) / elements };
}

export async function inspectCommand(argv: string[], io: CliIO, maxHeaderBytes?: number): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: [] });
  if (args.positionals.length !== 1) throw new UsageError(t('inspect takes exactly one <checkpoint>'));
  const checkpoint = await openCheckpoint(args.positionals[0], { maxHeaderBytes });
  const inv = buildInventory(checkpoint);
  const s = inv.summary;
  if (args.flags.has('json')) {
    await writeJson(io, {
      checkpoint: {
        path: s.path, format: s.format, kind: s.kind, files: s.files, tensors: s.tensors, parameters: s.parameters, bytes: s.bytes,
        fileBytes: s.fileBytes, dtypes: Object.fromEntries(s.dtypes.map(({ dtype, ...d }) => [dtype, d])),
        components: s.components, family: s.family, metadata: Object.fromEntries(s.metadata), config: checkpoint.config ?? null,
        headerHash: s.headerHash, warnings: s.warnings,
      },
      // Made one at a time as they are written.
      tensors: new LazyList(inv.rows.length, (i) => {
        const r = inv.rows[i];
        return {
          name: r.name, dtype: r.dtype, quantisation: quantisation(checkpoint.tensors[i].dtype), shape: r.shape, file: r.file,
          offsets: [checkpoint.tensors[i].begin, checkpoint.tensors[i].end],
          component: r.component, layer: r.layer, kind: r.kind,
        };
      }),
    });
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${safeText(s.path)}`);
  lines.push('  ' + t('format: {0}', s.format));
  const size = [s.files.length, s.tensors, formatCount(s.parameters), s.parameters, formatBytes(s.bytes)];
  lines.push('  ' + (s.kind === 'sharded'
    ? t('{0} shards, {1} tensors, {2} parameters ({3}), {4} of tensor data', ...size)
    : t('{0} file(s), {1} tensors, {2} parameters ({3}), {4} of tensor data', ...size)));
  lines.push('  ' + t('family: {0}', s.family === 'unknown' ? t('unknown') : safeText(s.family)));
  lines.push('  ' + t('dtypes: {0}', s.dtypes.map((d) => t('{0} {1} tensors / {2}', d.dtype, d.tensors, formatCount(d.parameters))).join(', ')));
  lines.push('');
  lines.push(table([
    [t('component'), t('tensors'), t('parameters'), t('layers'), t('bytes')],
    ...s.components.map((c) => [COMPONENT_WORD[c.name] ?? c.name, String(c.tensors), String(c.parameters), String(c.layers), formatBytes(c.bytes)]),
  ], [1, 2, 3, 4]).split('\n').map((l) => '  ' + l).join('\n'));
  if (s.metadata.length) {
    lines.push('');
    lines.push('  ' + t('metadata: {0}', s.metadata.map(([k, v]) => `${safeText(k)}=${safeText(v.length > 80 ? v.slice(0, 77) + '...' : v)}`).join(', ')));
  }
  for (const w of s.warnings) lines.push('  ' + t('warning: {0}', safeText(w)));
  io.out(lines.join('\n') + '\n');
  return 0;
}

