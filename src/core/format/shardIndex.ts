// model.safetensors.index.json: {"metadata": {...}, "weight_map": {tensor name: shard file name}}.
// Read within limits (docs/limits.md) and walked without JSON.parse of the whole file: the weight map goes straight
// into a Map whose shard names are shared strings, so memory follows the number of entries.
import { CheckpointError, checkpointFileError, quoteCapped } from './errors';
import { t } from '../l10n';
import { DEFAULT_MAX_TENSORS } from './header';
import { JsonCursor } from './jsonCursor';
import { JsonSyntaxError, parseJsonBytes, scanJson } from './jsonScan';
import { readFileWithLimit } from './safeRead';

export interface ShardIndex {
  weightMap: Map<string, string>;
  metadata?: Record<string, unknown>;
  /** Distinct shard file names, sorted. */
  shards: string[];
}

/** Largest index file read (local and remote). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
/** Most JSON values in the index's "metadata" object. */
const MAX_METADATA_VALUES = 100_000;

export async function readShardIndex(path: string, maxTensors = DEFAULT_MAX_TENSORS): Promise<ShardIndex> {
  let bytes: Buffer;
  try {
    bytes = await readFileWithLimit(path, MAX_INDEX_BYTES);
  } catch (e) {
    throw checkpointFileError(e, path, t('index file not found'));
  }
  return parseShardIndex(bytes, path, maxTensors);
}

export function parseShardIndex(input: Uint8Array | string, path: string, maxTensors = DEFAULT_MAX_TENSORS): ShardIndex {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  // Two values per entry (name, shard) and a few for the rest, the metadata's own budget included.
  const problem = scanJson(bytes, { maxValues: 2 * maxTensors + MAX_METADATA_VALUES + 16 });
  if (problem?.kind === 'syntax') throw new CheckpointError('invalid-index', t('index is not valid JSON ({0})', problem.reason), { file: path, byteOffset: problem.offset });
  if (problem) throw new CheckpointError('invalid-index', t('index is over its limits for {0} tensors ({1})', maxTensors, problem.reason), { file: path, byteOffset: problem.offset });
  const cursor = new JsonCursor(bytes);
  if (cursor.peek() !== 0x7b) throw new CheckpointError('invalid-index', t('index is not a JSON object'), { file: path });
  let weightMap: Map<string, string> | undefined;
  let metadata: Record<string, unknown> | undefined;
  cursor.members((key) => {
    if (key === 'weight_map') weightMap = readWeightMap(cursor, path, maxTensors);
    else if (key === 'metadata') metadata = readMetadata(cursor, bytes, path);
    else cursor.skip();
  });
  if (!weightMap) throw new CheckpointError('invalid-index', t('index has no "weight_map" object'), { file: path });
  if (weightMap.size === 0) throw new CheckpointError('empty', t('index lists no tensors'), { file: path });
  return { weightMap, metadata, shards: [...new Set(weightMap.values())].sort() };
}

function readWeightMap(cursor: JsonCursor, path: string, maxTensors: number): Map<string, string> | undefined {
  if (cursor.peek() !== 0x7b) {
    cursor.skip();
    return undefined;
  }
  const weightMap = new Map<string, string>();
  const shardNames = new Map<string, string>();
  cursor.members((name, keyOffset) => {
    const shard = cursor.peek() === 0x22 ? (cursor.string() as string) : undefined;
    if (shard === undefined) cursor.skip();
    if (shard === undefined || shard.length === 0) {
      throw new CheckpointError('invalid-index', t('weight_map value is not a file name'), { file: path, tensor: name });
    }
    if (shard.includes('/') || shard.includes('\\') || shard === '..' || shard === '.') {
      throw new CheckpointError('invalid-index', t('shard name {0} points outside the checkpoint\'s folder', quoteCapped(shard)), { file: path, tensor: name });
    }
    if (!weightMap.has(name) && weightMap.size === maxTensors) {
      throw new CheckpointError('too-many-tensors', t('index lists more than {0} tensors, the limit', maxTensors), { file: path, byteOffset: keyOffset });
    }
    let shared = shardNames.get(shard);
    if (shared === undefined) shardNames.set(shard, (shared = shard));
    weightMap.set(name, shared);
  });
  return weightMap;
}

/** The "metadata" object, parsed on its own (it is small in real indexes and bounded here); anything else is none. */
function readMetadata(cursor: JsonCursor, bytes: Uint8Array, path: string): Record<string, unknown> | undefined {
  const isObject = cursor.peek() === 0x7b;
  const start = cursor.i;
  cursor.skip();
  if (!isObject) return undefined;
  try {
    return parseJsonBytes(bytes.subarray(start, cursor.i), { maxValues: MAX_METADATA_VALUES }) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    throw new CheckpointError('invalid-index', t('index "metadata" is over its limits ({0})', e.reason), { file: path, byteOffset: start + e.offset });
  }
}
