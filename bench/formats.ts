// npm run bench (formats): `weightprint stats --json --no-cache` on a ≥ 1 GB Q8_0 GGUF, a ≥ 1 GB Q4_K GGUF and a
// ≥ 1 GB F32 PyTorch .bin (generated once under bench/.data/, git-ignored), warm page cache, against a baseline
// measured in the same run: a plain single-threaded loop (read 16 MiB, decode every block or float, sum and sum of
// squares), the least any reader must do. Prints GB/s of both, their ratio, and our peak RSS (/usr/bin/time -v). Options: --runs N (3).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { f16Table65536 } from '../src/core/format/dtype';
import { crc32 } from '../src/core/format/pytorch/zip';
import { stateDictPickle } from '../test/unit/helpers/torchWriter';
import { median } from './timing';

const root = process.cwd();
const dataDir = join(root, 'bench', '.data');
const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Math.max(1, Number(args[args.indexOf('--runs') + 1]) || 3) : 3;
const GB = 1e9;

interface Case { type: 'Q8_0' | 'Q4_K' | 'F32'; id: number; elements: number; bytes: number }
const CASES: Case[] = [{ type: 'Q8_0', id: 8, elements: 32, bytes: 34 }, { type: 'Q4_K', id: 12, elements: 256, bytes: 144 }, { type: 'F32', id: 0, elements: 1, bytes: 4 }];

const ROWS = 4096;
const COLS = 8192;
/** Tensors of [4096, 8192]: enough of them for ≥ 1 GB of blocks. */
function tensorsFor(c: Case): number {
  return Math.ceil(GB / ((ROWS * COLS) / c.elements * c.bytes));
}

function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; }
function u64(n: number): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; }
function str(s: string): Buffer { const b = Buffer.from(s); return Buffer.concat([u64(b.length), b]); }

/** Random blocks whose f16 scales are moderate (2^-9 … 2^-6), so every value is finite. */
function randomBlocks(c: Case, blocks: number, seed: number): Buffer {
  let s = seed >>> 0 || 1;
  const out = Buffer.alloc(blocks * c.bytes);
  for (let i = 0; i + 4 <= out.length; i += 4) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; out.writeUInt32LE(s, i); }
  const scales = c.type === 'Q8_0' ? [0] : [0, 2];
  for (let b = 0; b < blocks; b++) for (const at of scales) { out[b * c.bytes + at + 1] = 0x18 + (out[b * c.bytes + at + 1] & 7); }
  return out;
}

/** A torch.save zip: 4 F32 storages of 256 MiB (one [16384, 4096] tensor each), stored and 64-byte aligned. */
function ensureBin(): string {
  const path = join(dataDir, 'bench-F32.bin');
  const rows = 16384; const cols = 4096; const n = 4;
  const bytes = rows * cols * 4;
  if (existsSync(path) && statSync(path).size > n * bytes) return path;
  mkdirSync(dataDir, { recursive: true });
  const pickle = stateDictPickle({
    storages: Array.from({ length: n }, () => ({ dtype: 'F32' as const, values: [], numel: rows * cols })),
    tensors: Array.from({ length: n }, (_, i) => ({ name: `model.layers.${i}.mlp.up_proj.weight`, storage: i, shape: [rows, cols] })),
  });
  const data = Buffer.alloc(bytes);
  let s = 12345;
  const f = new Float32Array(data.buffer, data.byteOffset, rows * cols);
  for (let i = 0; i < f.length; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; f[i] = (s / 4294967296 - 0.5) * 0.05; }
  const entries: { name: string; data: Buffer }[] = [
    { name: 'archive/data.pkl', data: pickle }, { name: 'archive/byteorder', data: Buffer.from('little') },
    ...Array.from({ length: n }, (_, i) => ({ name: `archive/data/${i}`, data })), { name: 'archive/version', data: Buffer.from('3\n') },
  ];
  const fd = openSync(path, 'w');
  const central: Buffer[] = [];
  let pos = 0;
  const write = (b: Buffer) => { writeSync(fd, b); pos += b.length; };
  try {
    const dataCrc = crc32(data);
    for (const e of entries) {
      const name = Buffer.from(e.name);
      const crc = e.data === data ? dataCrc : crc32(e.data);
      const pad = (64 - ((pos + 30 + name.length + 4) % 64)) % 64;
      const extra = Buffer.alloc(4 + pad); extra.writeUInt16LE(0x4246, 0); extra.writeUInt16LE(pad, 2);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(e.data.length, 22); local.writeUInt16LE(name.length, 26); local.writeUInt16LE(extra.length, 28);
      const at = pos;
      write(local); write(name); write(extra); write(e.data);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(crc, 16);
      c.writeUInt32LE(e.data.length, 20); c.writeUInt32LE(e.data.length, 24); c.writeUInt16LE(name.length, 28); c.writeUInt32LE(at, 42);
      central.push(c, name);
    }
    const cdStart = pos;
    const cd = Buffer.concat(central);
    write(cd);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(cdStart, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
  return path;
}

function ensureFile(c: Case): string {
  if (c.type === 'F32') return ensureBin();
  const path = join(dataDir, `bench-${c.type}.gguf`);
  const n = tensorsFor(c);
  const tensorBytes = (ROWS * COLS) / c.elements * c.bytes;
  if (existsSync(path) && statSync(path).size > n * tensorBytes) return path;
  mkdirSync(dataDir, { recursive: true });
  const meta = Buffer.concat([str('general.architecture'), u32(8), str('qwen2'), str('general.alignment'), u32(4), u32(32)]);
  const infos: Buffer[] = [];
  for (let i = 0; i < n; i++) infos.push(str(`blk.${i}.ffn_up.weight`), u32(2), u64(COLS), u64(ROWS), u32(c.id), u64(i * Math.ceil(tensorBytes / 32) * 32));
  const head = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(n), u64(2), meta, ...infos]);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, Buffer.alloc(Math.ceil(head.length / 32) * 32 - head.length));
    const chunk = randomBlocks(c, tensorBytes / c.bytes, 7 + c.id);
    for (let i = 0; i < n; i++) {
      chunk[0] ^= i; // not every tensor alike
      writeSync(fd, chunk);
      writeSync(fd, Buffer.alloc(Math.ceil(tensorBytes / 32) * 32 - tensorBytes));
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

/** The baseline: one pass, 16 MiB reads, each block dequantised by a plain loop into a running sum and sum of squares. */
function baseline(path: string, c: Case, ranges: [number, number][]): { seconds: number; mean: number; meanSquare: number } {
  const f16 = f16Table65536();
  const fd = openSync(path, 'r');
  const perRead = Math.floor((16 << 20) / c.bytes) * c.bytes;
  const buf = Buffer.alloc(perRead);
  let sum = 0; let sq = 0; let n = 0;
  const t0 = process.hrtime.bigint();
  for (const [begin, end] of ranges) for (let pos = begin; pos + c.bytes <= end; pos += perRead) {
    const got = readSync(fd, buf, 0, Math.min(perRead, end - pos), pos);
    if (c.type === 'F32') {
      const f = new Float32Array(buf.buffer, buf.byteOffset, got >> 2);
      for (let i = 0; i < f.length; i++) { const v = f[i]; sum += v; sq += v * v; }
      n += f.length;
      continue;
    }
    for (let o = 0; o + c.bytes <= got; o += c.bytes) {
      if (c.type === 'Q8_0') {
        const d = f16[buf[o] | (buf[o + 1] << 8)];
        for (let j = 0; j < 32; j++) { const v = d * ((buf[o + 2 + j] << 24) >> 24); sum += v; sq += v * v; }
      } else {
        const d = f16[buf[o] | (buf[o + 1] << 8)]; const dm = f16[buf[o + 2] | (buf[o + 3] << 8)];
        for (let s = 0; s < 8; s++) {
          const sc = s < 4 ? buf[o + 4 + s] & 63 : (buf[o + 8 + s] & 15) | ((buf[o + s] >> 6) << 4);
          const m = s < 4 ? buf[o + 8 + s] & 63 : (buf[o + 8 + s] >> 4) | ((buf[o + 4 + s] >> 6) << 4);
          const q0 = o + 16 + (s >> 1) * 32;
          for (let l = 0; l < 32; l++) { const q = s & 1 ? buf[q0 + l] >> 4 : buf[q0 + l] & 15; const v = d * sc * q - dm * m; sum += v; sq += v * v; }
        }
      }
      n += c.elements;
    }
  }
  closeSync(fd);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, mean: sum / n, meanSquare: sq / n };
}

function ours(path: string): { seconds: number; rssMb: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, join(root, 'dist', 'cli.js'), 'stats', path, '--json', '--no-cache'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`stats failed (${r.status}): ${r.stderr.slice(-1000)}`);
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  return { seconds, rssMb: m ? Number(m[1]) / 1024 : NaN };
}

/** The tensors' byte ranges (the baseline reads exactly those). */
function rangesOf(path: string): [number, number][] {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'inspect', path, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return (JSON.parse(r.stdout) as { tensors: { offsets: [number, number] }[] }).tensors.map((x) => x.offsets).sort((a, b) => a[0] - b[0]);
}

const rows: string[][] = [['file', 'GB', 'ours s', 'ours GB/s', 'ours peak RSS MB', 'baseline s', 'baseline GB/s', 'ours/baseline']];
for (const c of CASES) {
  const path = ensureFile(c);
  const size = statSync(path).size;
  spawnSync('sh', ['-c', `cat '${path}' > /dev/null`]);
  const ranges = rangesOf(path);
  const o: { seconds: number; rssMb: number }[] = [];
  const b: number[] = [];
  for (let k = 0; k < runs; k++) { o.push(ours(path)); b.push(baseline(path, c, ranges).seconds); }
  const os = median(o.map((x) => x.seconds)); const bs = median(b);
  rows.push([c.type === 'F32' ? 'F32 PyTorch .bin' : `${c.type} GGUF`, (size / GB).toFixed(2), os.toFixed(2), (size / GB / os).toFixed(2), Math.max(...o.map((x) => x.rssMb)).toFixed(0), bs.toFixed(2), (size / GB / bs).toFixed(2), (bs / os).toFixed(2)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((x, i) => x.padStart(widths[i])).join('  '));
console.log(`median of ${runs} runs, warm page cache; ours: weightprint stats --json --no-cache (2 workers, CLI start included); baseline: a plain single-threaded dequantise loop in this process`);
