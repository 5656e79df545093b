// GGUF metadata values: the twelve scalar types, strings and (nested) arrays, read within the bytes at hand.
import { CheckpointError } from '../errors';
import { t } from '../../l10n';
import { need, readString, readU32, readU64, type Cursor } from './cursor';

export interface GgufArray {
  type: 'array';
  itemType: number;
  items: GgufValue[];
}

/** 64-bit integers beyond 2^53 are kept as their decimal text. */
export type GgufValue = number | string | boolean | GgufArray;

/** Byte sizes of the fixed-size value types (gguf_type): uint8 … float64; 8 is string, 9 array. */
const SIZES: Readonly<Record<number, number>> = Object.freeze(Object.assign(Object.create(null), {
  0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8,
}));

/** Arrays nested deeper than this are refused (llama.cpp writes none nested at all). */
const MAX_ARRAY_DEPTH = 4;

export function readValue(cur: Cursor, type: number, depth = 0): GgufValue {
  if (type === 8) return readString(cur);
  if (type === 9) {
    if (depth >= MAX_ARRAY_DEPTH) throw new CheckpointError('invalid-header', t('metadata arrays nested more than {0} deep', MAX_ARRAY_DEPTH), { file: cur.file, byteOffset: cur.at });
    const itemType = readU32(cur);
    const n = readU64(cur, t('array length'));
    // Every item takes at least one byte (a string at least 8): a length the bytes cannot hold is caught before
    // anything is allocated for it.
    const least = itemType === 8 ? 8 : SIZES[itemType] ?? 1;
    if (n * least > cur.bytes.length - cur.at) need(cur, Number.MAX_SAFE_INTEGER);
    const items: GgufValue[] = [];
    for (let i = 0; i < n; i++) items.push(readValue(cur, itemType, depth + 1));
    return { type: 'array', itemType, items };
  }
  const size = SIZES[type];
  if (size === undefined) throw new CheckpointError('invalid-header', t('unknown metadata value type {0}', type), { file: cur.file, byteOffset: cur.at - 4 });
  need(cur, size);
  const b = cur.bytes;
  const at = cur.at;
  cur.at += size;
  switch (type) {
    case 0: return b.readUInt8(at);
    case 1: return b.readInt8(at);
    case 2: return b.readUInt16LE(at);
    case 3: return b.readInt16LE(at);
    case 4: return b.readUInt32LE(at);
    case 5: return b.readInt32LE(at);
    case 6: return b.readFloatLE(at);
    case 7: return b[at] !== 0;
    case 10: { const v = b.readBigUInt64LE(at); return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : String(v); }
    case 11: { const v = b.readBigInt64LE(at); return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : String(v); }
    default: return b.readDoubleLE(at);
  }
}

/** Items of an array shown in metadata text before "…". */
const SHOWN_ITEMS = 8;
/** Characters of a string value shown in metadata text. */
const SHOWN_CHARS = 4096;

/** A value as the string that Checkpoint.metadata holds: arrays as their length and first items. */
export function ggufMetadataText(v: GgufValue): string {
  if (typeof v === 'string') return v.length > SHOWN_CHARS ? v.slice(0, SHOWN_CHARS) + '…' : v;
  if (typeof v !== 'object') return String(v);
  const head = v.items.slice(0, SHOWN_ITEMS).map((x) => (typeof x === 'object' ? `[${x.items.length}]` : JSON.stringify(typeof x === 'string' && x.length > 40 ? x.slice(0, 40) + '…' : x)));
  return `[${v.items.length}] ${head.join(', ')}${v.items.length > SHOWN_ITEMS ? ', …' : ''}`;
}

/** A number-valued metadata entry, if it is one. */
export function ggufNumber(values: Map<string, GgufValue>, key: string): number | undefined {
  const v = values.get(key);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A string-valued metadata entry, if it is one. */
export function ggufString(values: Map<string, GgufValue>, key: string): string | undefined {
  const v = values.get(key);
  return typeof v === 'string' ? v : undefined;
}
