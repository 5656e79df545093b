// Opening GGUF files: the header read in growing pieces up to the header limit, llama.cpp's conventions applied
// (interleaved q/k rows), and the files of a split model (`name-00001-of-00003.gguf`) found.
import { basename } from 'node:path';
import { CheckpointError } from '../errors';
import { t } from '../../l10n';
import { headerLimits, type HeaderOptions } from '../header';
import { RangeReader } from '../rangeReader';
import { NeedMoreBytes, parseGgufHeader, tooLarge, type GgufHeader } from './header';
import { ggufNumber, ggufString } from './values';
import { ggufConfig } from './config';
import { ggufTokenizer } from './tokenizer';

/** The first read of a GGUF header; reads grow ×4 while the header goes on, up to the header limit. */
export const GGUF_FIRST_READ = 1 << 20;

/** Reads and parses the header of one GGUF file; `raw` is its header bytes (hashed as the file's identity). */
export async function readGgufHeader(path: string, options: HeaderOptions = {}, fileIndex = 0): Promise<{ header: GgufHeader; raw: Buffer }> {
  const { maxHeaderBytes } = headerLimits(options);
  const reader = await RangeReader.open(path);
  try {
    const most = Math.min(reader.size, maxHeaderBytes);
    let length = Math.min(most, GGUF_FIRST_READ);
    for (;;) {
      const bytes = await reader.readDirect(0, length);
      try {
        const header = completeGgufHeader(parseGgufHeader(bytes, reader.size, path, fileIndex, options), basename(path));
        return { header, raw: bytes.subarray(0, header.headerLength) };
      } catch (e) {
        if (!(e instanceof NeedMoreBytes)) throw e;
        if (length >= most) throw tooLarge(length, maxHeaderBytes, path);
        length = Math.min(most, length * 4);
      }
    }
  } finally {
    await reader.close();
  }
}

/** llama.cpp's conventions applied to a parsed header, its configuration and its tokenizer (`name`: the file's name). */
export function completeGgufHeader(header: GgufHeader, name: string): GgufHeader {
  applyConventions(header);
  header.config = ggufConfig(header.values);
  header.tokenizer = ggufTokenizer(header.values, name);
  return header;
}

/**
 * Architectures whose q/k rows llama.cpp's converter interleaves per head (its `permute` for Llama-style rotary
 * embeddings); other architectures keep Hugging Face's order.
 */
const INTERLEAVED_ARCHITECTURES = new Set(['llama', 'mistral', 'granite', 'granitemoe', 'deci', 'llama4']);

function applyConventions(header: GgufHeader): void {
  const arch = ggufString(header.values, 'general.architecture');
  if (!arch || !INTERLEAVED_ARCHITECTURES.has(arch)) return;
  const heads = ggufNumber(header.values, `${arch}.attention.head_count`);
  const kvHeads = ggufNumber(header.values, `${arch}.attention.head_count_kv`) ?? heads;
  for (const tensor of header.tensors) {
    const m = /^blk\.\d+\.attn_([qk])\.(weight|bias)$/.exec(tensor.name);
    if (!m) continue;
    const h = m[1] === 'q' ? heads : kvHeads;
    if (h && Number.isInteger(h) && h > 0) tensor.interleavedHeads = h;
  }
}

const SPLIT = /^(.*)-(\d{5})-of-(\d{5})\.gguf$/;

/** The files of the split model that `name` belongs to (itself alone when it is not one), in order. */
export function ggufSplitNames(name: string, siblings: string[]): string[] {
  const m = SPLIT.exec(name);
  if (!m) return [name];
  const total = Number(m[3]);
  const names = Array.from({ length: total }, (_, i) => `${m[1]}-${String(i + 1).padStart(5, '0')}-of-${m[3]}.gguf`);
  const present = new Set(siblings);
  const missing = names.find((n) => !present.has(n));
  if (missing) throw new CheckpointError('missing-shard', t('split file {0} of the GGUF model is missing', missing), { file: name });
  return names;
}

/** A folder's GGUF model: its one file, or the files of its one split model. */
export function ggufFolderNames(folder: string, names: string[]): string[] {
  const gguf = names.filter((n) => n.endsWith('.gguf'));
  const models = new Set(gguf.map((n) => SPLIT.exec(n)?.[1] ?? n));
  if (models.size > 1) {
    throw new CheckpointError('invalid-index', t('folder holds {0} GGUF models; open one of its .gguf files', models.size), { file: folder });
  }
  return ggufSplitNames(basename(gguf[0]), gguf);
}
