// PyTorch checkpoints (.bin, .pt, .pth) in torch.save's zip format, read without executing anything
// (docs/pytorch-format.md): the zip directory (zip.ts), the state dict in <archive>/data.pkl (pickle.ts), and for
// each tensor its absolute byte range inside the stored entry <archive>/data/<key> of its storage.
import { CheckpointError, quoteCapped } from '../errors';
import { t } from '../../l10n';
import { dtypeSize } from '../dtype';
import { headerLimits, MAX_DIMS, type HeaderOptions, type SafetensorsHeader, type TensorInfo } from '../header';
import { RangeReader } from '../rangeReader';
import { kindOf, MAX_PICKLE_BYTES, readPickle, type PDict, type PStorage, type PTensor, type PValue } from './pickle';
import { METHOD_STORED, readSmallEntry, readZipEntries, type ZipEntry } from './zip';

/** File names this reader takes: .bin, .pt, .pth (case-insensitive). */
export function isTorchFileName(name: string): boolean {
  return /\.(bin|pt|pth)$/i.test(name);
}

/** Largest `byteorder` or `version` record read. */
const MAX_SMALL_RECORD = 64;
/** Keys of a training checkpoint that may hold the state dict (one level only). */
const WRAPPER_KEYS = ['state_dict', 'model', 'module'];

/** What the first bytes say the file is. */
function sniff(head: Buffer): 'zip' | 'legacy' | 'tar' | 'unknown' {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
  if (head.length >= 2 && head[0] === 0x80 && head[1] >= 0x02 && head[1] <= 0x05) return 'legacy';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return 'unknown';
}

/**
 * Reads a zip-format torch checkpoint: its tensors (pickle order, absolute byte ranges in the file) and `raw`, the
 * bytes of data.pkl (the checkpoint's header identity). Refuses everything docs/pytorch-format.md lists.
 */
export async function readTorchCheckpoint(path: string, options: HeaderOptions = {}, fileIndex = 0): Promise<{ header: SafetensorsHeader; raw: Uint8Array }> {
  const reader = await RangeReader.open(path);
  try {
    return await readOpened(reader, path, options, fileIndex);
  } finally {
    await reader.close();
  }
}

async function readOpened(reader: RangeReader, file: string, options: HeaderOptions, fileIndex: number): Promise<{ header: SafetensorsHeader; raw: Uint8Array }> {
  const limits = headerLimits(options);
  if (reader.size === 0) throw new CheckpointError('truncated', t('file is empty'), { file, byteOffset: 0 });
  const kind = sniff(await reader.readDirect(0, Math.min(262, reader.size)));
  if (kind === 'legacy') throw new CheckpointError('invalid-header', t('legacy (non-zip) torch format is not supported: the file starts with a pickle; re-save it with torch.save from PyTorch 1.6 or later'), { file, byteOffset: 0 });
  if (kind === 'tar') throw new CheckpointError('invalid-header', t('a tar archive (the oldest torch format) is not supported'), { file, byteOffset: 0 });
  if (kind === 'unknown') throw new CheckpointError('invalid-header', t('not a PyTorch checkpoint: the file starts with neither a zip header nor a pickle'), { file, byteOffset: 0 });

  const entries = await readZipEntries(reader, file);
  const archive = archiveFolder(entries, file);
  const byName = new Map(entries.map((e) => [e.name, e]));

  const byteorder = byName.get(`${archive}/byteorder`);
  if (byteorder) {
    const order = (await readSmallEntry(reader, byteorder, MAX_SMALL_RECORD, file)).toString('latin1');
    if (order !== 'little') throw new CheckpointError('invalid-header', t('byte order {0} is not supported (only little-endian files are read)', quoteCapped(order, 20)), { file, byteOffset: byteorder.dataOffset });
  }

  const pklEntry = byName.get(`${archive}/data.pkl`)!;
  const maxPickle = Math.min(MAX_PICKLE_BYTES, limits.maxHeaderBytes);
  const raw = await readSmallEntry(reader, pklEntry, maxPickle, file);
  const root = readPickle(raw, { file, baseOffset: pklEntry.method === METHOD_STORED ? pklEntry.dataOffset : undefined });
  const stateDict = findStateDict(root, file);

  const tensors: TensorInfo[] = [];
  /** Storage key → its entry and the storage reference first seen for it. */
  const storages = new Map<string, { entry: ZipEntry; storage: PStorage }>();
  /** Tensors by the entry of their storage. */
  const onEntry = new Map<ZipEntry, TensorInfo[]>();
  for (const [name, value] of stateDict.map) {
    if (typeof name !== 'string') throw new CheckpointError('invalid-header', t('the state dict has a key of type int, not a tensor name'), { file });
    const where = { file, tensor: name };
    if (value === null || typeof value !== 'object' || value.kind !== 'tensor') {
      throw new CheckpointError('invalid-header', t('the state dict holds a {0} here, not a tensor', kindOf(value)), where);
    }
    if (tensors.length === limits.maxTensors) {
      throw new CheckpointError('too-many-tensors', t('the state dict holds more than {0} tensors, the limit', limits.maxTensors), where);
    }
    const entry = storageEntry(value.storage, archive, byName, storages, name, file);
    const info = tensorInfo(name, value, entry, file, fileIndex);
    tensors.push(info);
    const list = onEntry.get(entry);
    if (list) list.push(info);
    else onEntry.set(entry, [info]);
  }

  const hiddenBytes = findHiddenBytes(onEntry, entries, archive);
  if (hiddenBytes.length && limits.hiddenBytes === 'refuse') {
    const total = hiddenBytes.reduce((s, h) => s + h.end - h.begin, 0);
    throw new CheckpointError('hidden-bytes', t('{0} byte(s) of tensor storage in {1} range(s) belong to no tensor of the state dict, the first [{2}, {3}) (hidden bytes escape every statistic and fingerprint)', total, hiddenBytes.length, hiddenBytes[0].begin, hiddenBytes[0].end), { file, byteOffset: hiddenBytes[0].begin });
  }

  const dataEntries = entries.filter((e) => e.name.startsWith(`${archive}/data/`));
  const dataStart = dataEntries.length ? Math.min(...dataEntries.map((e) => e.dataOffset)) : reader.size;
  const metadata: Record<string, string> = Object.create(null);
  metadata.format = 'pytorch';
  return {
    header: { file, fileSize: reader.size, headerLength: raw.length, dataStart, tensors, metadata, hiddenBytes },
    raw,
  };
}

/**
 * The archive's folder: the one top-level folder that holds a data.pkl. Every entry must be inside it (torch's own
 * reader asks the same).
 */
function archiveFolder(entries: ZipEntry[], file: string): string {
  const folders = entries.filter((e) => /^[^/]+\/data\.pkl$/.test(e.name)).map((e) => e.name.slice(0, e.name.indexOf('/')));
  if (folders.length === 0) throw new CheckpointError('invalid-header', t('the zip archive holds no <folder>/data.pkl: not a torch.save checkpoint'), { file });
  if (folders.length > 1) {
    throw new CheckpointError('invalid-header', t('the zip archive holds {0} data.pkl files in different top-level folders ({1}, {2}, …); torch.save writes one', folders.length, quoteCapped(folders[0], 40), quoteCapped(folders[1], 40)), { file });
  }
  const archive = folders[0];
  const outside = entries.find((e) => !e.name.startsWith(`${archive}/`));
  if (outside) throw new CheckpointError('invalid-header', t('zip entry {0} is outside the archive folder {1}', quoteCapped(outside.name), quoteCapped(archive, 40)), { file, byteOffset: outside.headerOffset });
  return archive;
}

const isDict = (v: PValue | undefined): v is PDict => v !== null && typeof v === 'object' && v.kind === 'dict';
const isTensor = (v: PValue): v is PTensor => v !== null && typeof v === 'object' && v.kind === 'tensor';

/** The state dict: the root dict if all its values are tensors, else its state_dict / model / module (one level). */
function findStateDict(root: PValue, file: string): PDict {
  if (!isDict(root)) throw new CheckpointError('invalid-header', t('data.pkl holds a {0}, not a dict of tensors', kindOf(root)), { file });
  let dict = root;
  if (![...root.map.values()].every(isTensor)) {
    const key = WRAPPER_KEYS.find((k) => isDict(root.map.get(k)));
    if (key === undefined) {
      throw new CheckpointError('invalid-header', t('data.pkl holds a dict whose values are not all tensors, and no state_dict, model or module dict in it'), { file });
    }
    dict = root.map.get(key) as PDict;
  }
  if (dict.repeated !== undefined) {
    throw new CheckpointError('duplicate-name', t('tensor name appears more than once in the state dict'), { file, tensor: String(dict.repeated) });
  }
  return dict;
}

/** The stored zip entry of a storage; the storage's size must match the entry's, and every reference must agree. */
function storageEntry(storage: PStorage, archive: string, byName: Map<string, ZipEntry>, seen: Map<string, { entry: ZipEntry; storage: PStorage }>, tensor: string, file: string): ZipEntry {
  const where = { file, tensor };
  const known = seen.get(storage.key);
  if (known) {
    if (known.storage.dtype !== storage.dtype || known.storage.numel !== storage.numel) {
      throw new CheckpointError('invalid-header', t('storage {0} is referenced as {1} × {2} and as {3} × {4}', quoteCapped(storage.key, 40), known.storage.numel, known.storage.typeName, storage.numel, storage.typeName), where);
    }
    return known.entry;
  }
  const name = `${archive}/data/${storage.key}`;
  const entry = byName.get(name);
  if (!entry) throw new CheckpointError('invalid-header', t('storage {0} has no zip entry {1}', quoteCapped(storage.key, 40), quoteCapped(name)), where);
  if (entry.method !== METHOD_STORED) {
    throw new CheckpointError('invalid-header', t('storage entry {0} is compressed (method {1}); torch.save stores storages uncompressed and this reader does not inflate them', quoteCapped(name), entry.method), { ...where, byteOffset: entry.dataOffset });
  }
  const bytes = storage.numel * dtypeSize(storage.dtype);
  if (!Number.isSafeInteger(bytes) || bytes !== entry.size) {
    throw new CheckpointError('size-mismatch', t('storage {0} holds {1} × {2} ({3} bytes) but its zip entry holds {4} bytes', quoteCapped(storage.key, 40), storage.numel, storage.typeName, bytes, entry.size), { ...where, byteOffset: entry.dataOffset });
  }
  seen.set(storage.key, { entry, storage });
  return entry;
}

/** A shape for a message: at most 8 dimensions. */
function shapeText(shape: number[]): string {
  return shape.length > 8 ? `[${shape.slice(0, 8).join(',')},…]` : JSON.stringify(shape);
}

function tensorInfo(name: string, tensor: PTensor, entry: ZipEntry, file: string, fileIndex: number): TensorInfo {
  const where = { file, tensor: name };
  const { size, stride, offset, storage } = tensor;
  if (size.length > MAX_DIMS) throw new CheckpointError('invalid-shape', t('shape has more than {0} dimensions', MAX_DIMS), where);
  if (stride.length !== size.length) {
    throw new CheckpointError('invalid-shape', t('stride {0} does not have the {1} dimensions of shape {2}', shapeText(stride), size.length, shapeText(size)), where);
  }
  let count = 1;
  for (const d of size) count *= d;
  if (!Number.isSafeInteger(count)) throw new CheckpointError('too-large', t('shape {0} has more than 2^53 elements', shapeText(size)), where);
  if (count > 0) {
    // Contiguous row-major: each stride is the product of the later sizes (a dimension of size 1 may have any stride).
    let expected = 1;
    for (let i = size.length - 1; i >= 0; i--) {
      if (size[i] !== 1 && stride[i] !== expected) {
        throw new CheckpointError('invalid-shape', t('stride {0} of shape {1} is not contiguous row-major (this reader takes only contiguous tensors; save tensor.contiguous())', shapeText(stride), shapeText(size)), where);
      }
      expected *= size[i];
    }
  }
  const elem = dtypeSize(storage.dtype);
  const beginInStorage = offset * elem;
  const endInStorage = (offset + count) * elem;
  if (!Number.isSafeInteger(endInStorage) || (count > 0 && offset + count > storage.numel) || offset > storage.numel) {
    throw new CheckpointError('out-of-range', t('elements [{0}, {1}) lie outside storage {2} of {3} elements', offset, offset + count, quoteCapped(storage.key, 40), storage.numel), { ...where, byteOffset: entry.dataOffset });
  }
  const begin = entry.dataOffset + beginInStorage;
  const end = entry.dataOffset + endInStorage;
  return { name, dtype: storage.dtype, shape: [...size], count, begin, end, fileIndex };
}

/**
 * Bytes of the storages no tensor covers: the rest of a storage of which the state dict keeps a part, and whole
 * <archive>/data/ entries no tensor uses (e.g. an optimizer's state beside the model).
 */
function findHiddenBytes(onEntry: Map<ZipEntry, TensorInfo[]>, entries: ZipEntry[], archive: string): { begin: number; end: number }[] {
  const out: { begin: number; end: number }[] = [];
  for (const entry of entries) {
    if (!entry.name.startsWith(`${archive}/data/`) || entry.size === 0) continue;
    const begin = entry.dataOffset;
    const end = begin + entry.size;
    const users = onEntry.get(entry);
    if (!users) { out.push({ begin, end }); continue; }
    let at = begin;
    for (const x of [...users].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
      if (x.begin > at) out.push({ begin: at, end: x.begin });
      at = Math.max(at, x.end);
    }
    if (end > at) out.push({ begin: at, end });
  }
  return out.sort((a, b) => a.begin - b.begin);
}
