// SentencePiece `tokenizer.model`: a protobuf ModelProto, read without a protobuf runtime. Only the fields a
// tokenizer fingerprint needs are decoded (pieces with score and type, the trainer's model type, the normaliser's
// name); everything else is skipped by its wire type. The bytes are hostile: every length is checked against the
// end of its message, varints are at most 10 bytes, and the piece count and piece length are bounded.
import { t } from '../l10n';

export type PieceType = 'normal' | 'unknown' | 'control' | 'user-defined' | 'unused' | 'byte';

export interface SentencePieceModel {
  pieces: { piece: string; score: number; type: PieceType }[];
  /** TrainerSpec.model_type: 'unigram' (the default), 'bpe', 'word' or 'char'. */
  modelType: 'unigram' | 'bpe' | 'word' | 'char';
  /** NormalizerSpec.name ("nmt_nfkc", "identity", …), or null. */
  normalizer: string | null;
}

export const MAX_PIECES = 4_000_000;
const MAX_PIECE_BYTES = 4096;
const PIECE_TYPES: Record<number, PieceType> = { 1: 'normal', 2: 'unknown', 3: 'control', 4: 'user-defined', 5: 'unused', 6: 'byte' };
const MODEL_TYPES = { 1: 'unigram', 2: 'bpe', 3: 'word', 4: 'char' } as const;

/** Thrown for bytes that are not a ModelProto; the message says where (byte offset) and what, quoting nothing. */
export class ProtobufError extends Error {}

class Reader {
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}

  done(): boolean {
    return this.at >= this.end;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.at >= this.end) throw new ProtobufError(t('byte {0}: {1}', this.at, t('a number runs past the end of its message')));
      const b = this.bytes[this.at++];
      // Beyond 2^53 the value is not needed exactly (lengths that large fail the bounds check below anyway).
      value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return value;
    }
    throw new ProtobufError(t('byte {0}: {1}', this.at, t('a number is longer than 10 bytes')));
  }

  /** A length-delimited field's bounds, checked against this message's end. */
  sub(): Reader {
    const length = this.varint();
    if (length > this.end - this.at) throw new ProtobufError(t('byte {0}: {1}', this.at, t('a field of {0} bytes runs past the end of its message', length)));
    const r = new Reader(this.bytes, this.at, this.at + length);
    this.at += length;
    return r;
  }

  fixed32(): number {
    if (this.end - this.at < 4) throw new ProtobufError(t('byte {0}: {1}', this.at, t('a number runs past the end of its message')));
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 4).getFloat32(0, true);
    this.at += 4;
    return v;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.advance(8);
    else if (wire === 2) this.sub();
    else if (wire === 5) this.advance(4);
    else throw new ProtobufError(t('byte {0}: {1}', this.at, t('wire type {0} is not read', wire)));
  }

  private advance(n: number): void {
    if (this.end - this.at < n) throw new ProtobufError(t('byte {0}: {1}', this.at, t('a number runs past the end of its message')));
    this.at += n;
  }

  text(maxBytes: number): string {
    const r = this.sub();
    if (r.end - r.at > maxBytes) throw new ProtobufError(t('byte {0}: {1}', r.at, t('a string is longer than {0} bytes', maxBytes)));
    return Buffer.from(r.bytes.buffer, r.bytes.byteOffset + r.at, r.end - r.at).toString('utf8');
  }

  /** Calls `field` for each (number, wire type) of this message; `field` reads or skips the value. */
  fields(field: (n: number, wire: number) => void): void {
    while (!this.done()) {
      const key = this.varint();
      const wire = key % 8;
      field(Math.floor(key / 8), wire);
    }
  }
}

export function parseSentencePiece(bytes: Uint8Array): SentencePieceModel {
  const out: SentencePieceModel = { pieces: [], modelType: 'unigram', normalizer: null };
  const top = new Reader(bytes, 0, bytes.length);
  top.fields((n, wire) => {
    if (n === 1 && wire === 2) {
      if (out.pieces.length >= MAX_PIECES) throw new ProtobufError(t('more than {0} pieces', MAX_PIECES));
      const m = top.sub();
      let piece = '';
      let score = 0;
      let type: PieceType = 'normal';
      m.fields((k, w) => {
        if (k === 1 && w === 2) piece = m.text(MAX_PIECE_BYTES);
        else if (k === 2 && w === 5) score = m.fixed32();
        else if (k === 3 && w === 0) type = PIECE_TYPES[m.varint()] ?? 'normal';
        else m.skip(w);
      });
      out.pieces.push({ piece, score, type });
    } else if (n === 2 && wire === 2) {
      const m = top.sub();
      m.fields((k, w) => {
        if (k === 3 && w === 0) out.modelType = MODEL_TYPES[m.varint() as 1 | 2 | 3 | 4] ?? 'unigram';
        else m.skip(w);
      });
    } else if (n === 3 && wire === 2) {
      const m = top.sub();
      m.fields((k, w) => {
        if (k === 1 && w === 2) out.normalizer = m.text(256);
        else m.skip(w);
      });
    } else top.skip(wire);
  });
  if (out.pieces.length === 0) throw new ProtobufError(t('no pieces: not a SentencePiece model'));
  return out;
}
