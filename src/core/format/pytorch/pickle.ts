// A pickle READER for the data.pkl of a PyTorch checkpoint (docs/pytorch-format.md). It never executes anything: it
// is a bounded stack machine over the opcodes torch.save writes (protocols 2–5), and a global is only ever a name
// checked against an allow-list — any other global (os.system, builtins.eval, …) is refused the moment it is read.
// The few allowed callables are interpreted here, as data: OrderedDict() is a dict, _rebuild_tensor_v2(…) a tensor
// reference, a persistent id ('storage', type, key, location, numel) a storage reference. Iterative throughout: a
// deeply nested pickle costs stack entries (bounded), never JavaScript stack frames.
import { CheckpointError, quoteCapped } from '../errors';
import { t } from '../../l10n';
import { lookupTable, ownValue } from '../../lookup';
import type { DType } from '../dtype';

/** Largest pickle read. */
export const MAX_PICKLE_BYTES = 64 * 1024 * 1024;
/** Most values on the pickle machine's stack (marks included). */
export const MAX_PICKLE_STACK = 1_000_000;
/** Most memo entries. */
export const MAX_PICKLE_MEMO = 1_000_000;
/** Most items in one list, tuple or dict. */
export const MAX_PICKLE_CONTAINER = 1_000_000;
/** Longest string or bytes value. */
export const MAX_PICKLE_STRING = 16 * 1024 * 1024;
/** Longest GLOBAL line (module or name). */
const MAX_GLOBAL_LINE = 256;

export interface PList { kind: 'list'; items: PValue[] }
export interface PTuple { kind: 'tuple'; items: PValue[] }
export interface PDict {
  kind: 'dict';
  /** Keys are strings or integers (another key type is refused); insertion order is kept. */
  map: Map<string | number, PValue>;
  /** The first key set twice, if any (Python would keep the last value silently; a state dict refuses it). */
  repeated?: string | number;
}
/** An allowed global used as a value (a class, a function, a dtype). */
export interface PGlobal { kind: 'global'; name: string }
export interface PStorage {
  kind: 'storage';
  /** The storage type or dtype global that named it, e.g. torch.FloatStorage, torch.float16. */
  typeName: string;
  /** Element type; undefined for a type this reader does not decode (refused where the storage is used). */
  dtype: DType;
  key: string;
  location: string;
  /** Number of elements (bytes for an untyped storage). */
  numel: number;
}
export interface PTensor {
  kind: 'tensor';
  storage: PStorage;
  offset: number;
  size: number[];
  stride: number[];
}
export interface PBytes { kind: 'bytes'; bytes: Uint8Array }
export type PValue = null | boolean | number | bigint | string | PBytes | PList | PTuple | PDict | PGlobal | PStorage | PTensor;

/** torch storage classes → element type. */
const STORAGE_DTYPES: Readonly<Record<string, DType>> = lookupTable({
  'torch.FloatStorage': 'F32', 'torch.HalfStorage': 'F16', 'torch.BFloat16Storage': 'BF16', 'torch.DoubleStorage': 'F64',
  'torch.LongStorage': 'I64', 'torch.IntStorage': 'I32', 'torch.ShortStorage': 'I16', 'torch.CharStorage': 'I8',
  'torch.ByteStorage': 'U8', 'torch.BoolStorage': 'BOOL',
  'torch.UntypedStorage': 'U8', 'torch.storage.UntypedStorage': 'U8',
});

/** torch dtype globals (newer persistent ids name the dtype itself) → element type. */
const TORCH_DTYPES: Readonly<Record<string, DType>> = lookupTable({
  'torch.float32': 'F32', 'torch.float': 'F32', 'torch.float16': 'F16', 'torch.half': 'F16', 'torch.bfloat16': 'BF16',
  'torch.float64': 'F64', 'torch.double': 'F64', 'torch.int64': 'I64', 'torch.long': 'I64', 'torch.int32': 'I32',
  'torch.int': 'I32', 'torch.int16': 'I16', 'torch.short': 'I16', 'torch.int8': 'I8', 'torch.uint8': 'U8',
  'torch.bool': 'BOOL', 'torch.uint16': 'U16', 'torch.uint32': 'U32', 'torch.uint64': 'U64',
  'torch.float8_e4m3fn': 'F8_E4M3', 'torch.float8_e5m2': 'F8_E5M2', 'torch.float8_e4m3fnuz': 'F8_E4M3FNUZ',
  'torch.float8_e5m2fnuz': 'F8_E5M2FNUZ', 'torch.float8_e8m0fnu': 'F8_E8M0',
});

const ORDERED_DICT = 'collections.OrderedDict';
const REBUILD_V2 = 'torch._utils._rebuild_tensor_v2';
const REBUILD = 'torch._utils._rebuild_tensor';
const REBUILD_PARAMETER = 'torch._utils._rebuild_parameter';
const TORCH_SIZE = 'torch.Size';
const CALLABLES = new Set([ORDERED_DICT, REBUILD_V2, REBUILD, REBUILD_PARAMETER, TORCH_SIZE]);

/** Whether a global may appear in a state dict's pickle. */
export function isAllowedGlobal(name: string): boolean {
  return CALLABLES.has(name) || ownValue(STORAGE_DTYPES, name) !== undefined || ownValue(TORCH_DTYPES, name) !== undefined;
}

/** The element type a storage type or dtype global stands for. */
export function globalDType(name: string): DType | undefined {
  return ownValue(STORAGE_DTYPES, name) ?? ownValue(TORCH_DTYPES, name);
}

/** A torch storage or dtype this reader knows of but does not read (complex, quantized, …): refused by name. */
function isUnsupportedTorchType(name: string): boolean {
  return /^torch\.(\w+Storage|complex\w*|c?float\w*|q\w+|quint\w+|bits\w+|int[1-7]|uint[1-7])$/.test(name);
}

export interface PickleWhere {
  file: string;
  /** Absolute offset of the pickle's first byte in the file (undefined when the pickle was inflated). */
  baseOffset?: number;
}

const MARK = Symbol('mark');
type Slot = PValue | typeof MARK;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A short name of a value's kind for messages (never its content: no recursion, nothing unbounded). */
export function kindOf(v: PValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None'; // l10n-ignore: Python's name
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v.kind === 'global') return v.name;
  return v.kind;
}

/**
 * Reads a pickle and returns the value STOP leaves. Throws CheckpointError (code invalid-header, or truncated /
 * too-large) with the byte offset of the opcode at fault.
 */
export function readPickle(bytes: Uint8Array, where: PickleWhere): PValue {
  if (bytes.length > MAX_PICKLE_BYTES) {
    throw new CheckpointError('too-large', t('data.pkl is {0} bytes, over the limit of {1}', bytes.length, MAX_PICKLE_BYTES), { file: where.file, byteOffset: where.baseOffset });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const stack: Slot[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PValue>();
  let pos = 0;
  let opAt = 0;

  const fail = (reason: string, code: 'invalid-header' | 'truncated' | 'too-large' = 'invalid-header'): CheckpointError =>
    new CheckpointError(code, t('pickle: {0}', reason), { file: where.file, byteOffset: where.baseOffset === undefined ? undefined : where.baseOffset + opAt });
  const need = (n: number): void => {
    if (pos + n > bytes.length) throw fail(t('the stream ends inside opcode 0x{0} at pickle byte {1} (truncated)', bytes[opAt].toString(16).padStart(2, '0'), opAt), 'truncated');
  };
  const u8 = (): number => { need(1); return bytes[pos++]; };
  const u16 = (): number => { need(2); const v = view.getUint16(pos, true); pos += 2; return v; };
  const i32 = (): number => { need(4); const v = view.getInt32(pos, true); pos += 4; return v; };
  const u32 = (): number => { need(4); const v = view.getUint32(pos, true); pos += 4; return v; };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) throw fail(t('a length of {0} runs past the end of the pickle', String(v)), 'truncated');
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    if (n > MAX_PICKLE_STRING) throw fail(t('a string of {0} bytes is over the limit of {1}', n, MAX_PICKLE_STRING), 'too-large');
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const text = (n: number): string => {
    try {
      return utf8.decode(take(n));
    } catch (e) {
      if (e instanceof CheckpointError) throw e;
      throw fail(t('a string is not valid UTF-8'));
    }
  };
  const line = (): string => {
    const start = pos;
    while (pos < bytes.length && bytes[pos] !== 0x0a) {
      if (pos - start >= MAX_GLOBAL_LINE) throw fail(t('a GLOBAL name is longer than {0} bytes', MAX_GLOBAL_LINE));
      pos++;
    }
    need(1);
    const s = Buffer.from(bytes.subarray(start, pos)).toString('latin1');
    pos++;
    return s;
  };
  const push = (v: Slot): void => {
    if (stack.length >= MAX_PICKLE_STACK) throw fail(t('the stack holds more than {0} values, the limit', MAX_PICKLE_STACK), 'too-large');
    stack.push(v);
  };
  const pop = (): PValue => {
    if (stack.length === 0 || (marks.length && marks[marks.length - 1] === stack.length)) throw fail(t('opcode 0x{0} at pickle byte {1} pops an empty stack', bytes[opAt].toString(16).padStart(2, '0'), opAt));
    return stack.pop() as PValue;
  };
  const top = (): PValue => {
    if (stack.length === 0 || (marks.length && marks[marks.length - 1] === stack.length)) throw fail(t('opcode 0x{0} at pickle byte {1} needs a value on the stack', bytes[opAt].toString(16).padStart(2, '0'), opAt));
    return stack[stack.length - 1] as PValue;
  };
  /** The values above the last MARK, which is removed. */
  const popMark = (): PValue[] => {
    const m = marks.pop();
    if (m === undefined) throw fail(t('opcode 0x{0} at pickle byte {1} has no MARK before it', bytes[opAt].toString(16).padStart(2, '0'), opAt));
    const items = stack.splice(m) as PValue[];
    stack.pop(); // the MARK itself
    if (items.length > MAX_PICKLE_CONTAINER) throw fail(t('a container holds more than {0} items, the limit', MAX_PICKLE_CONTAINER), 'too-large');
    return items;
  };
  const memoPut = (index: number): void => {
    if (!memo.has(index) && memo.size >= MAX_PICKLE_MEMO) throw fail(t('the memo holds more than {0} values, the limit', MAX_PICKLE_MEMO), 'too-large');
    memo.set(index, top());
  };
  const memoGet = (index: number): void => {
    const v = memo.get(index);
    if (v === undefined) throw fail(t('memo entry {0} is read before it is written', index));
    push(v);
  };
  const resolveGlobal = (module: string, name: string): PGlobal => {
    const full = `${module}.${name}`;
    if (isAllowedGlobal(full)) return { kind: 'global', name: full };
    if (isUnsupportedTorchType(full)) throw fail(t('tensor type {0} is not supported (complex, quantized and other dtypes are not read)', quoteCapped(full, 60)));
    throw fail(t('refers to global {0}, which is not on the allow-list of a PyTorch state dict (loading this file with torch.load could run code)', quoteCapped(full, 60)));
  };
  const setItem = (dict: PValue, key: PValue, value: PValue): void => {
    if (dict === null || typeof dict !== 'object' || dict.kind !== 'dict') throw fail(t('SETITEM on a {0}, not a dict', kindOf(dict)));
    if (typeof key !== 'string' && (typeof key !== 'number' || !Number.isInteger(key))) throw fail(t('a dict key of type {0} is not supported', kindOf(key)));
    if (dict.map.has(key)) dict.repeated ??= key;
    else if (dict.map.size >= MAX_PICKLE_CONTAINER) throw fail(t('a container holds more than {0} items, the limit', MAX_PICKLE_CONTAINER), 'too-large');
    dict.map.set(key, value);
  };
  const appendTo = (list: PValue, items: PValue[]): void => {
    if (list === null || typeof list !== 'object' || list.kind !== 'list') throw fail(t('APPEND on a {0}, not a list', kindOf(list)));
    if (list.items.length + items.length > MAX_PICKLE_CONTAINER) throw fail(t('a container holds more than {0} items, the limit', MAX_PICKLE_CONTAINER), 'too-large');
    for (const v of items) list.items.push(v);
  };
  const tuple = (items: PValue[]): PTuple => ({ kind: 'tuple', items });

  const call = (callable: PValue, args: PValue): PValue => {
    if (callable === null || typeof callable !== 'object' || callable.kind !== 'global') throw fail(t('REDUCE calls a {0}, not an allowed global', kindOf(callable)));
    if (args === null || typeof args !== 'object' || args.kind !== 'tuple') throw fail(t('REDUCE arguments for {0} are a {1}, not a tuple', callable.name, kindOf(args)));
    const a = args.items;
    switch (callable.name) {
      case ORDERED_DICT: {
        const dict: PDict = { kind: 'dict', map: new Map() };
        if (a.length === 0) return dict;
        const pairs = a[0];
        if (a.length > 1 || pairs === null || typeof pairs !== 'object' || (pairs.kind !== 'list' && pairs.kind !== 'tuple')) throw fail(t('OrderedDict is called with arguments other than a list of pairs'));
        for (const pair of pairs.items) {
          if (pair === null || typeof pair !== 'object' || pair.kind !== 'tuple' || pair.items.length !== 2) throw fail(t('OrderedDict is called with arguments other than a list of pairs'));
          setItem(dict, pair.items[0], pair.items[1]);
        }
        return dict;
      }
      case TORCH_SIZE: {
        const dims = a[0];
        if (a.length !== 1 || dims === null || typeof dims !== 'object' || (dims.kind !== 'tuple' && dims.kind !== 'list')) throw fail(t('torch.Size is called with arguments other than a tuple'));
        return tuple(dims.items);
      }
      case REBUILD_V2:
      case REBUILD: {
        const minArgs = callable.name === REBUILD ? 4 : 6;
        if (a.length < minArgs || a.length > minArgs + 1) throw fail(t('{0} is called with {1} arguments', callable.name, a.length));
        const storage = a[0];
        if (storage === null || typeof storage !== 'object' || storage.kind !== 'storage') throw fail(t('{0} is called on a {1}, not a storage', callable.name, kindOf(storage)));
        return { kind: 'tensor', storage, offset: intArg(a[1], 'storage_offset'), size: intTuple(a[2], 'size'), stride: intTuple(a[3], 'stride') };
      }
      case REBUILD_PARAMETER: {
        const data = a[0];
        if (a.length !== 3 || data === null || typeof data !== 'object' || data.kind !== 'tensor') throw fail(t('{0} is called with arguments other than (tensor, requires_grad, hooks)', callable.name));
        return data;
      }
      default:
        throw fail(t('REDUCE calls {0}, which a state dict never calls', quoteCapped(callable.name, 60)));
    }
  };
  const intArg = (v: PValue, what: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw fail(t('tensor {0} is a {1}, not a non-negative integer below 2^53', what, kindOf(v)));
    return v;
  };
  const intTuple = (v: PValue, what: string): number[] => {
    if (v === null || typeof v !== 'object' || (v.kind !== 'tuple' && v.kind !== 'list')) throw fail(t('tensor {0} is a {1}, not a tuple', what, kindOf(v)));
    return v.items.map((x) => intArg(x, what));
  };
  const persistent = (pid: PValue): PStorage => {
    if (pid === null || typeof pid !== 'object' || pid.kind !== 'tuple' || pid.items.length !== 5 || pid.items[0] !== 'storage') {
      throw fail(t('a persistent id is not (\'storage\', type, key, location, numel)'));
    }
    const [, type, key, location, numel] = pid.items;
    if (type === null || typeof type !== 'object' || type.kind !== 'global') throw fail(t('a persistent id names its storage type with a {0}, not a global', kindOf(type)));
    const dtype = globalDType(type.name);
    if (dtype === undefined) throw fail(t('{0} is not a storage type', quoteCapped(type.name, 60)));
    if (typeof key !== 'string' || typeof location !== 'string') throw fail(t('a persistent id\'s key or location is not a string'));
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw fail(t('a persistent id\'s element count is a {0}, not a non-negative integer below 2^53', kindOf(numel)));
    return { kind: 'storage', typeName: type.name, dtype, key, location, numel };
  };

  for (;;) {
    opAt = pos;
    if (pos >= bytes.length) throw fail(t('the stream ends at pickle byte {0} without STOP (truncated)', pos), 'truncated');
    const op = bytes[pos++];
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v < 2 || v > 5) throw fail(t('protocol {0} is not one of 2–5', v));
        break;
      }
      case 0x95: { // FRAME: an optimisation hint; the frame must lie within the stream.
        const n = u64();
        need(n);
        break;
      }
      case 0x2e: { // STOP
        const v = pop();
        return v;
      }
      case 0x28: // MARK
        if (stack.length >= MAX_PICKLE_STACK) throw fail(t('the stack holds more than {0} values, the limit', MAX_PICKLE_STACK), 'too-large');
        marks.push(stack.length + 1);
        stack.push(MARK);
        break;
      case 0x7d: push({ kind: 'dict', map: new Map() }); break; // EMPTY_DICT
      case 0x5d: push({ kind: 'list', items: [] }); break; // EMPTY_LIST
      case 0x29: push(tuple([])); break; // EMPTY_TUPLE
      case 0x85: { const a = pop(); push(tuple([a])); break; } // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push(tuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push(tuple([a, b, c])); break; } // TUPLE3
      case 0x74: push(tuple(popMark())); break; // TUPLE
      case 0x71: memoPut(u8()); break; // BINPUT
      case 0x72: memoPut(u32()); break; // LONG_BINPUT
      case 0x94: memoPut(memo.size); break; // MEMOIZE
      case 0x68: memoGet(u8()); break; // BINGET
      case 0x6a: memoGet(u32()); break; // LONG_BINGET
      case 0x4a: push(i32()); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: { // LONG1: little-endian two's complement
        const raw = take(u8());
        let v = 0n;
        for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]);
        if (raw.length && raw[raw.length - 1] & 0x80) v -= 1n << BigInt(8 * raw.length);
        push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: { need(8); push(view.getFloat64(pos, false)); pos += 8; break; } // BINFLOAT (big-endian)
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4e: push(null); break; // NONE
      case 0x58: push(text(u32())); break; // BINUNICODE
      case 0x8c: push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(text(u64())); break; // BINUNICODE8
      case 0x54: { // BINSTRING (Python 2 str, read as Latin-1 as Python 3 does with encoding='latin1')
        const n = i32();
        if (n < 0) throw fail(t('BINSTRING has a negative length'));
        push(Buffer.from(take(n)).toString('latin1'));
        break;
      }
      case 0x55: push(Buffer.from(take(u8())).toString('latin1')); break; // SHORT_BINSTRING
      case 0x43: push({ kind: 'bytes', bytes: take(u8()) }); break; // SHORT_BINBYTES
      case 0x42: push({ kind: 'bytes', bytes: take(u32()) }); break; // BINBYTES
      case 0x63: { const module = line(); const name = line(); push(resolveGlobal(module, name)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw fail(t('STACK_GLOBAL needs two strings, not a {0} and a {1}', kindOf(module), kindOf(name)));
        if (module.length > MAX_GLOBAL_LINE || name.length > MAX_GLOBAL_LINE) throw fail(t('a GLOBAL name is longer than {0} bytes', MAX_GLOBAL_LINE));
        push(resolveGlobal(module, name));
        break;
      }
      case 0x52: { const args = pop(); const callable = pop(); push(call(callable, args)); break; } // REDUCE
      case 0x81: { // NEWOBJ: cls.__new__(cls, *args), for the allowed classes
        const args = pop();
        const cls = pop();
        if (cls === null || typeof cls !== 'object' || cls.kind !== 'global' || (cls.name !== ORDERED_DICT && cls.name !== TORCH_SIZE)) {
          throw fail(t('NEWOBJ creates a {0}, which a state dict never creates', kindOf(cls)));
        }
        push(call(cls, args));
        break;
      }
      case 0x62: { // BUILD: the state of an OrderedDict (its _metadata attribute) is kept out of the way; nothing else is built.
        const state = pop();
        const obj = top();
        if (obj === null || typeof obj !== 'object' || (obj.kind !== 'dict' && obj.kind !== 'tensor')) throw fail(t('BUILD on a {0}', kindOf(obj)));
        if (state !== null && (typeof state !== 'object' || (state.kind !== 'dict' && state.kind !== 'tuple'))) throw fail(t('BUILD with a state of type {0}', kindOf(state)));
        break;
      }
      case 0x73: { const value = pop(); const key = pop(); setItem(top(), key, value); break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        if (items.length % 2) throw fail(t('SETITEMS with an odd number of values'));
        const dict = top();
        for (let i = 0; i < items.length; i += 2) setItem(dict, items[i], items[i + 1]);
        break;
      }
      case 0x61: { const v = pop(); appendTo(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); appendTo(top(), items); break; } // APPENDS
      case 0x51: push(persistent(pop())); break; // BINPERSID
      default:
        throw fail(t('unknown or unsupported opcode 0x{0} at pickle byte {1}', op.toString(16).padStart(2, '0'), opAt));
    }
  }
}
