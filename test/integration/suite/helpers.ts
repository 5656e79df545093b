// Shared helpers of the integration tests (bundled into each test file; stateless on purpose).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'weightprint.weightprint';
export const VIEW_FILE = 'weightprint.checkpoint';
export const VIEW_INDEX = 'weightprint.checkpointIndex';

/** The repository root: dist-test/integration/<file>.js → ../.. */
export const REPO = path.resolve(__dirname, '..', '..');

export function corpusDir(): string {
  return process.env.WEIGHTPRINT_FIXTURE_CORPUS || path.join(REPO, 'test-artifacts', 'corpus');
}

/** A scratch folder: inside the opened workspace when there is one, else under the OS temp dir. */
export function scratchDir(name: string): string {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri;
  const root = ws?.scheme === 'file' ? ws.fsPath : fs.mkdtempSync(path.join(os.tmpdir(), 'weightprint-it-'));
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a small valid F32 safetensors file. */
export function writeSmallCheckpoint(file: string, tensors: { name: string; shape: number[] }[]): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * 4;
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  const data = Buffer.alloc(offset);
  for (let i = 0; i < offset / 4; i++) data.writeFloatLE((i % 17) / 16 - 0.5, i * 4);
  fs.writeFileSync(file, Buffer.concat([prefix, json, data]));
}

/** A file whose header length points past its end: a truncated download. */
export function writeTruncatedCheckpoint(file: string): void {
  const json = Buffer.from('{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([prefix, json.subarray(0, 20)]));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(100);
  }
}

// The host's own record of a panel (type only: nothing of the extension is loaded into the test bundle).
export type { PanelState } from '../../../src/extension/editor/panelRegistry';
import type { PanelState } from '../../../src/extension/editor/panelRegistry';

export async function panels(): Promise<PanelState[]> {
  return (await vscode.commands.executeCommand<PanelState[]>('weightprint.test.panels')) ?? [];
}

/** Waits until the panel showing `uri` has answered the webview's `ready`. */
export async function answeredPanel(uri: vscode.Uri, timeoutMs = 30_000): Promise<PanelState> {
  return waitFor(`the checkpoint panel for ${uri.fsPath} to answer its webview`, async () =>
    (await panels()).find((p) => p.uri === uri.toString() && p.sent), timeoutMs);
}

export async function activeCustomTab(viewType: string, uri?: vscode.Uri): Promise<vscode.TabInputCustom> {
  return waitFor(`a ${viewType} editor to be active`, () => {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputCustom && input.viewType === viewType && (!uri || input.uri.toString() === uri.toString())) return input;
    return undefined;
  });
}

/** Activates the extension (its test commands exist only then): for suites that must not depend on an earlier one. */
export async function activateExtension(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  await ext.activate();
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

// ---- What a person sees -----------------------------------------------------------------------------------
// Under code-server, the playwright driver answers "DOM snapshot" requests written to a handshake folder with the
// text of every webview on screen (and takes a screenshot). Under @vscode/test-electron there is no driver: the
// webview's own `rendered` report is used instead.

export interface WebviewFrameText {
  url: string;
  text: string;
  /** Font families the page has loaded (the codicon font among them when its stylesheet resolved). */
  fonts: string[];
}

export function domDriverAvailable(): boolean {
  return !!process.env.WEIGHTPRINT_HANDSHAKE;
}

let sequence = 0;

/** Asks the driver for the webviews' text (after clicking the element with text `click`, if given). */
export async function domSnapshot(screenshot: string, click?: string, timeoutMs = 15_000): Promise<WebviewFrameText[]> {
  const dir = process.env.WEIGHTPRINT_HANDSHAKE;
  assert.ok(dir, 'no playwright driver');
  const seq = `${process.pid}-${Date.now()}-${sequence++}`;
  const tmp = path.join(dir, `req-${seq}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify({ seq, screenshot, click }));
  fs.renameSync(tmp, path.join(dir, `req-${seq}.json`));
  const resFile = path.join(dir, `res-${seq}.json`);
  return waitFor(`the playwright driver to answer DOM request ${seq}`, () => {
    if (!fs.existsSync(resFile)) return undefined;
    return JSON.parse(fs.readFileSync(resFile, 'utf8')) as { frames: WebviewFrameText[]; error?: string };
  }, timeoutMs).then((res) => {
    if (res.error) throw new Error(`the driver could not click ${JSON.stringify(click)}: ${res.error}`);
    return res.frames;
  });
}

/** Polls the DOM until one webview's text satisfies `ok`; the last poll's screenshot is kept under `screenshot`. */
export async function waitForWebviewText(screenshot: string, ok: (text: string, frame: WebviewFrameText) => boolean, timeoutMs = 20_000, click?: string): Promise<string> {
  const end = Date.now() + timeoutMs;
  let seen: WebviewFrameText[] = [];
  for (let first = true; ; first = false) {
    seen = await domSnapshot(screenshot, first ? click : undefined);
    const hit = seen.find((f) => ok(f.text, f));
    if (hit) return hit.text;
    if (Date.now() > end) {
      throw new Error(`no webview showed the expected text within ${timeoutMs} ms; saw ${seen.length} webview(s):\n` +
        seen.map((f) => `--- ${f.url} (fonts: ${f.fonts.join(', ')})\n${f.text.slice(0, 1500)}`).join('\n'));
    }
    await sleep(300);
  }
}
