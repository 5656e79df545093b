// model.safetensors.index.json: {"metadata": {...}, "weight_map": {tensor name: shard file name}}.
import { readFile } from 'node:fs/promises';
import { CheckpointError } from './errors';
import { t } from '../l10n';

export interface ShardIndex {
  weightMap: Map<string, string>;
  metadata?: Record<string, unknown>;
  /** Distinct shard file names, sorted. */
  shards: string[];
}

const MAX_INDEX_BYTES = 256 * 1024 * 1024;

export async function readShardIndex(path: string): Promise<ShardIndex> {
  let text: string;
  try {
    const buf = await readFile(path);
    if (buf.length > MAX_INDEX_BYTES) throw new CheckpointError('invalid-index', t('index is {0} bytes, over the {1}-byte limit', buf.length, MAX_INDEX_BYTES), { file: path });
    text = buf.toString('utf8');
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CheckpointError(code === 'ENOENT' ? 'not-found' : 'io', code === 'ENOENT' ? t('index file not found') : t('cannot read index ({0})', String(code)), { file: path });
  }
  return parseShardIndex(text, path);
}

export function parseShardIndex(text: string, path: string): ShardIndex {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError('invalid-index', t('index is not valid JSON ({0})', String((e as Error).message).split('\n')[0].slice(0, 160)), { file: path });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CheckpointError('invalid-index', t('index is not a JSON object'), { file: path });
  }
  const o = parsed as Record<string, unknown>;
  const wm = o.weight_map;
  if (typeof wm !== 'object' || wm === null || Array.isArray(wm)) {
    throw new CheckpointError('invalid-index', t('index has no "weight_map" object'), { file: path });
  }
  const weightMap = new Map<string, string>();
  for (const [name, shard] of Object.entries(wm as Record<string, unknown>)) {
    if (typeof shard !== 'string' || shard.length === 0) {
      throw new CheckpointError('invalid-index', t('weight_map value is not a file name'), { file: path, tensor: name });
    }
    if (shard.includes('/') || shard.includes('\\') || shard === '..' || shard === '.') {
      throw new CheckpointError('invalid-index', t('shard name {0} points outside the checkpoint\'s folder', JSON.stringify(shard.slice(0, 100))), { file: path, tensor: name });
    }
    weightMap.set(name, shard);
  }
  if (weightMap.size === 0) throw new CheckpointError('empty', t('index lists no tensors'), { file: path });
  const metadata = typeof o.metadata === 'object' && o.metadata !== null && !Array.isArray(o.metadata) ? (o.metadata as Record<string, unknown>) : undefined;
  return { weightMap, metadata, shards: [...new Set(weightMap.values())].sort() };
}
