// Hostile inputs for the hardening tests (issue 12): named pipes, device links, files over a limit, and the CLI run
// as a child process that reports its own peak memory.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFloats, writeSafetensors } from '../../../src/core/format/writer';

export const CLI = join(process.cwd(), 'dist', 'cli.js');

/** Named pipes and /dev/zero exist on POSIX systems only. */
export const POSIX_SKIP = process.platform === 'win32' ? 'named pipes and /dev/zero are POSIX' : false;

export function tempDir(prefix = 'wp-hostile-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A named pipe (FIFO) at `path`: opening it for reading blocks until a writer comes, and none ever does. */
export function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

// Loaded with --require into the CLI's process: writes its peak resident memory (KiB) where WP_TEST_RSS_FILE says.
const PRELOAD = join(tempDir('wp-rss-'), 'rss.js');
writeFileSync(PRELOAD, "process.on('exit', () => { const f = process.env.WP_TEST_RSS_FILE; if (f) require('fs').writeFileSync(f, String(process.resourceUsage().maxRSS)); });\n");

export interface CliRun {
  /** Exit code; null when the child was killed (it did not end by itself in time). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child, in bytes. */
  maxRss: number;
}

/**
 * Runs `node dist/cli.js ...args`. A child still running after `killAfterMs` is killed (code null), so a command
 * that blocks fails its test's assertions instead of holding the test run.
 */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {}): Promise<CliRun> {
  const rssDir = tempDir('wp-rss-');
  const rssFile = join(rssDir, 'maxrss');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', PRELOAD, CLI, ...args], {
      env: { ...process.env, ...options.env, WP_TEST_RSS_FILE: rssFile }, maxBuffer: 64 << 20,
      timeout: options.killAfterMs ?? 15_000, killSignal: 'SIGKILL',
    }, (error, stdout, stderr) => {
      let maxRss = NaN;
      try { maxRss = Number(readFileSync(rssFile, 'utf8')) * 1024; } catch { /* killed before exit */ }
      rmSync(rssDir, { recursive: true, force: true });
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr, maxRss });
    });
  });
}

/** A small valid checkpoint: two F32 matrices and a norm vector. */
export async function smallCheckpoint(path: string, names = ['model.layers.0.mlp.up_proj.weight', 'model.layers.0.mlp.down_proj.weight']): Promise<string> {
  const values = (n: number, seed: number) => encodeFloats('F32', Array.from({ length: n }, (_, i) => Math.sin(seed * 31 + i * 0.7) * 0.05));
  await writeSafetensors(path, [
    ...names.map((name, k) => ({ name, dtype: 'F32' as const, shape: [32, 16], data: values(512, k + 1) })),
    { name: 'model.norm.weight', dtype: 'F32', shape: [16], data: values(16, 9) },
  ]);
  return path;
}

/** A safetensors file from raw header bytes (or text) and `dataBytes` zero bytes of data. */
export function rawSafetensors(path: string, header: string | Buffer, dataBytes = 0): string {
  const json = typeof header === 'string' ? Buffer.from(header, 'utf8') : header;
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(path, Buffer.concat([prefix, json, Buffer.alloc(dataBytes)]));
  return path;
}

/** Something a config.json or index might be a link to: a token file. Must never appear in any output. */
export const SECRET = 'hf_TOKENs3cr3tDoNotPrintMe0123456789';
