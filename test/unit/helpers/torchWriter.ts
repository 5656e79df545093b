// Writes PyTorch checkpoints the way torch.save(state_dict, f) does with its default zip format and pickle protocol 2
// (written from the format, not from torch's code): entries archive/data.pkl, archive/byteorder, archive/data/<key>,
// archive/version, archive/.data/serialization_id, all STORED, each local header padded with an "FB" extra field so
// that the entry's data starts on a 64-byte boundary, as PyTorchStreamWriter does. Options write hostile variants.
import { writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { encodeFloats } from '../../../src/core/format/writer';
import { crc32 } from '../../../src/core/format/pytorch/zip';

// ---------------------------------------------------------------------------------------------------------------
// Pickle

/** Emits pickle opcodes; memoizes strings and globals by value like CPython's pickler does for interned objects. */
export class PickleBuilder {
  private readonly chunks: Buffer[] = [];
  private readonly memo = new Map<string, number>();
  private next = 0;

  raw(...bytes: number[]): this { this.chunks.push(Buffer.from(bytes)); return this; }
  rawBuffer(b: Uint8Array): this { this.chunks.push(Buffer.from(b)); return this; }

  proto(v = 2): this { return this.raw(0x80, v); }
  stop(): this { return this.raw(0x2e); }
  mark(): this { return this.raw(0x28); }
  emptyDict(): this { return this.raw(0x7d).put(); }
  emptyList(): this { return this.raw(0x5d).put(); }
  emptyTuple(): this { return this.raw(0x29); }
  /** A tuple of the `n` values just written (after mark() when n > 3): TUPLE1–3 or MARK … TUPLE, then memoized. */
  tuple(n: number): this {
    if (n === 0) return this.emptyTuple();
    if (n <= 3) return this.raw(0x84 + n).put();
    return this.raw(0x74).put();
  }
  reduce(): this { return this.raw(0x52).put(); }
  build(): this { return this.raw(0x62); }
  setItem(): this { return this.raw(0x73); }
  setItems(): this { return this.raw(0x75); }
  append(): this { return this.raw(0x61); }
  appends(): this { return this.raw(0x65); }
  persId(): this { return this.raw(0x51); }
  newFalse(): this { return this.raw(0x89); }
  newTrue(): this { return this.raw(0x88); }
  none(): this { return this.raw(0x4e); }

  /** BINPUT / LONG_BINPUT of the top of the stack under the next memo index. */
  put(): this {
    const i = this.next++;
    if (i < 256) return this.raw(0x71, i);
    const b = Buffer.alloc(5);
    b[0] = 0x72;
    b.writeUInt32LE(i, 1);
    return this.rawBuffer(b);
  }

  get(i: number): this {
    if (i < 256) return this.raw(0x68, i);
    const b = Buffer.alloc(5);
    b[0] = 0x6a;
    b.writeUInt32LE(i, 1);
    return this.rawBuffer(b);
  }

  /** An integer as protocol 2 writes it: BININT1, BININT2, BININT or LONG1. */
  int(v: number | bigint): this {
    const n = BigInt(v);
    if (n >= 0n && n < 256n) return this.raw(0x4b, Number(n));
    if (n >= 0n && n < 65536n) return this.raw(0x4d, Number(n) & 0xff, Number(n) >> 8);
    if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      const b = Buffer.alloc(5);
      b[0] = 0x4a;
      b.writeInt32LE(Number(n), 1);
      return this.rawBuffer(b);
    }
    const bytes: number[] = [];
    let x = n;
    while (x !== 0n && x !== -1n) { bytes.push(Number(x & 0xffn)); x >>= 8n; }
    if (n > 0n && bytes[bytes.length - 1] & 0x80) bytes.push(0);
    if (n < 0n && !(bytes[bytes.length - 1] & 0x80)) bytes.push(0xff);
    return this.raw(0x8a, bytes.length, ...bytes);
  }

  /** A str: BINUNICODE (memoized; a repeated string is a BINGET). */
  str(s: string, memoize = true): this {
    const key = `s:${s}`;
    const known = this.memo.get(key);
    if (memoize && known !== undefined) return this.get(known);
    const bytes = Buffer.from(s, 'utf8');
    const head = Buffer.alloc(5);
    head[0] = 0x58;
    head.writeUInt32LE(bytes.length, 1);
    this.rawBuffer(head).rawBuffer(bytes);
    if (!memoize) return this;
    this.memo.set(key, this.next);
    return this.put();
  }

  /** GLOBAL module\nname\n (memoized; a repeated global is a BINGET). */
  global(module: string, name: string): this {
    const key = `g:${module}.${name}`;
    const known = this.memo.get(key);
    if (known !== undefined) return this.get(known);
    this.rawBuffer(Buffer.concat([Buffer.from([0x63]), Buffer.from(`${module}\n${name}\n`, 'latin1')]));
    this.memo.set(key, this.next);
    return this.put();
  }

  /** STACK_GLOBAL of two strings. */
  stackGlobal(module: string, name: string): this {
    return this.str(module, false).str(name, false).raw(0x93);
  }

  bytes(): Buffer { return Buffer.concat(this.chunks); }
}

// ---------------------------------------------------------------------------------------------------------------
// Zip

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  /** Written deflated (method 8) instead of stored. */
  deflate?: boolean;
  /** Sizes and CRC written in the headers instead of the true ones (hostile variants). */
  declaredSize?: number;
  declaredCompressedSize?: number;
  crc?: number;
}

export interface ZipOptions {
  /** Writes zip64 records (local and central extra fields, the zip64 end record and locator) even when not needed. */
  zip64?: boolean;
  /** Data alignment (torch: 64). */
  align?: number;
}

/** A zip archive as PyTorchStreamWriter lays it out. */
export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const align = options.align ?? 64;
  const zip64 = options.zip64 ?? false;
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const stored = e.deflate ? deflateRawSync(e.data) : Buffer.from(e.data);
    const size = e.declaredSize ?? e.data.length;
    const csize = e.declaredCompressedSize ?? stored.length;
    const crc = e.crc ?? crc32(e.data);
    const method = e.deflate ? 8 : 0;
    const z64Local = zip64 ? extra(0x0001, u64s(size, csize)) : Buffer.alloc(0);
    const start = offset + 30 + name.length + z64Local.length + 4;
    const pad = (align - (start % align)) % align;
    const padding = extra(0x4246, Buffer.alloc(pad, 'Z'));
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(zip64 ? 0xffffffff : csize, 18);
    local.writeUInt32LE(zip64 ? 0xffffffff : size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(z64Local.length + padding.length, 28);
    parts.push(local, name, z64Local, padding, stored);

    const z64Central = zip64 ? extra(0x0001, u64s(size, csize, offset)) : Buffer.alloc(0);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(zip64 ? 45 : 20, 4);
    c.writeUInt16LE(zip64 ? 45 : 20, 6);
    c.writeUInt16LE(0, 8);
    c.writeUInt16LE(method, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(zip64 ? 0xffffffff : csize, 20);
    c.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt16LE(z64Central.length, 30);
    c.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    central.push(c, name, z64Central);
    offset += 30 + name.length + z64Local.length + padding.length + stored.length;
  }
  const cd = Buffer.concat(central);
  const cdOffset = offset;
  const tail: Buffer[] = [];
  if (zip64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(0x06064b50, 0);
    rec.writeBigUInt64LE(44n, 4);
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(entries.length), 24);
    rec.writeBigUInt64LE(BigInt(entries.length), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(cdOffset), 48);
    const loc = Buffer.alloc(20);
    loc.writeUInt32LE(0x07064b50, 0);
    loc.writeBigUInt64LE(BigInt(cdOffset + cd.length), 8);
    loc.writeUInt32LE(1, 16);
    tail.push(rec, loc);
  }
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  eocd.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  eocd.writeUInt32LE(zip64 ? 0xffffffff : cdOffset, 16);
  tail.push(eocd);
  return Buffer.concat([...parts, cd, ...tail]);
}

function extra(id: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(payload.length, 2);
  return Buffer.concat([head, payload]);
}

function u64s(...values: number[]): Buffer {
  const b = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 8 * i));
  return b;
}

// ---------------------------------------------------------------------------------------------------------------
// torch.save

export type TorchDType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const STORAGE_CLASS: Record<TorchDType, string> = {
  F32: 'FloatStorage', F16: 'HalfStorage', BF16: 'BFloat16Storage', F64: 'DoubleStorage', I64: 'LongStorage',
  I32: 'IntStorage', I16: 'ShortStorage', I8: 'CharStorage', U8: 'ByteStorage', BOOL: 'BoolStorage',
};

export interface TorchStorageSpec {
  dtype: TorchDType;
  values: number[];
  /** The storage type global, `module.name`, instead of torch.<X>Storage (e.g. torch.float16, torch.ComplexFloatStorage). */
  storageType?: string;
  /** The element count written in the persistent id instead of values.length. */
  numel?: number;
}

export interface TorchTensorSpec {
  name: string;
  /** Index into the storages. */
  storage: number;
  shape: number[];
  offset?: number;
  /** Default: contiguous row-major. */
  stride?: number[];
}

export interface TorchStateDict {
  storages: TorchStorageSpec[];
  tensors: TorchTensorSpec[];
}

export interface TorchWriteOptions {
  /** Nests the state dict under this key of a top-level dict (as training checkpoints do: {'state_dict': …}). */
  wrap?: string;
  /** Writes the tensors with torch._utils._rebuild_parameter around _rebuild_tensor_v2. */
  parameters?: boolean;
  /** data.pkl bytes instead of the state dict's pickle. */
  pickle?: Uint8Array;
  /** Entry names (without the archive folder, e.g. 'data/0') written deflated. */
  deflate?: string[];
  /** Per-entry overrides by name without the archive folder: declared sizes, CRC, another name (full, as written). */
  entries?: Record<string, Partial<Pick<ZipEntrySpec, 'declaredSize' | 'declaredCompressedSize' | 'crc'>> & { rename?: string }>;
  /** More entries, with full names. */
  extra?: ZipEntrySpec[];
  zip64?: boolean;
  /** Archive folder name (torch: 'archive'). */
  archive?: string;
}

export function contiguousStride(shape: number[]): number[] {
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { stride[i] = s; s *= shape[i]; }
  return stride;
}

/** Little-endian bytes of values in a dtype. */
export function encodeValues(dtype: TorchDType, values: number[]): Uint8Array {
  switch (dtype) {
    case 'F32': case 'F64': case 'F16': case 'BF16': return encodeFloats(dtype, values);
    case 'I64': return new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
    case 'I32': return new Uint8Array(Int32Array.from(values).buffer);
    case 'I16': return new Uint8Array(Int16Array.from(values).buffer);
    case 'I8': return new Uint8Array(Int8Array.from(values).buffer);
    case 'U8': return Uint8Array.from(values);
    case 'BOOL': return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}

/** The data.pkl torch.save writes for a state dict (an OrderedDict with its _metadata attribute). */
export function stateDictPickle(sd: TorchStateDict, options: Pick<TorchWriteOptions, 'wrap' | 'parameters'> = {}): Buffer {
  const p = new PickleBuilder().proto(2);
  if (options.wrap) p.emptyDict().str(options.wrap);
  p.global('collections', 'OrderedDict').emptyTuple().reduce();
  for (let start = 0; start < sd.tensors.length; start += 1000) {
    const batch = sd.tensors.slice(start, start + 1000);
    if (batch.length > 1) p.mark();
    for (const x of batch) {
      const storage = sd.storages[x.storage];
      p.str(x.name);
      if (options.parameters) p.global('torch._utils', '_rebuild_parameter');
      p.global('torch._utils', '_rebuild_tensor_v2');
      p.mark();
      // The persistent id ('storage', storage type, key, location, numel).
      p.mark().str('storage');
      const [module, name] = splitGlobal(storage.storageType ?? `torch.${STORAGE_CLASS[storage.dtype]}`);
      p.global(module, name).str(String(x.storage)).str('cpu').int(storage.numel ?? storage.values.length).tuple(5);
      p.persId();
      p.int(x.offset ?? 0);
      tupleOf(p, x.shape);
      tupleOf(p, x.stride ?? contiguousStride(x.shape));
      p.newFalse();
      p.global('collections', 'OrderedDict').emptyTuple().reduce();
      p.tuple(6).reduce();
      if (options.parameters) p.newFalse().global('collections', 'OrderedDict').emptyTuple().reduce().tuple(3).reduce();
    }
    if (batch.length > 1) p.setItems();
    else p.setItem();
  }
  // The state dict's _metadata attribute: {'_metadata': OrderedDict({'': {'version': 1}})}, set by BUILD.
  p.emptyDict().str('_metadata').global('collections', 'OrderedDict').emptyTuple().reduce();
  p.str('').emptyDict().str('version').int(1).setItem().setItem();
  p.setItem().build();
  if (options.wrap) p.setItem();
  return p.stop().bytes();
}

function tupleOf(p: PickleBuilder, values: number[]): void {
  if (values.length > 3) p.mark();
  for (const v of values) p.int(v);
  p.tuple(values.length);
}

function splitGlobal(full: string): [string, string] {
  const dot = full.lastIndexOf('.');
  return [full.slice(0, dot), full.slice(dot + 1)];
}

/** The zip entries torch.save writes for a state dict (names with the archive folder). */
export function torchEntries(sd: TorchStateDict, options: TorchWriteOptions = {}): ZipEntrySpec[] {
  const archive = options.archive ?? 'archive';
  const records: [string, Uint8Array][] = [
    ['data.pkl', options.pickle ?? stateDictPickle(sd, options)],
    ['byteorder', Buffer.from('little')],
    ...sd.storages.map((s, i): [string, Uint8Array] => [`data/${i}`, encodeValues(s.dtype, s.values)]),
    ['version', Buffer.from('3\n')],
    ['.data/serialization_id', Buffer.from('1234567890123456789012345678901234567890')],
  ];
  const out = records.map(([name, data]): ZipEntrySpec => {
    const o = options.entries?.[name];
    return {
      name: o?.rename ?? `${archive}/${name}`, data, deflate: options.deflate?.includes(name),
      declaredSize: o?.declaredSize, declaredCompressedSize: o?.declaredCompressedSize, crc: o?.crc,
    };
  });
  return [...out, ...(options.extra ?? [])];
}

/** Writes `sd` to `path` as torch.save(state_dict, path) does. */
export function writeTorchFile(path: string, sd: TorchStateDict, options: TorchWriteOptions = {}): string {
  writeFileSync(path, buildZip(torchEntries(sd, options), { zip64: options.zip64 }));
  return path;
}

/** One storage per tensor, each tensor the whole of its storage. */
export function simpleStateDict(tensors: { name: string; dtype: TorchDType; shape: number[]; values: number[] }[]): TorchStateDict {
  return {
    storages: tensors.map((x) => ({ dtype: x.dtype, values: x.values })),
    tensors: tensors.map((x, i) => ({ name: x.name, storage: i, shape: x.shape })),
  };
}
