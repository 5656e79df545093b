// Where a checkpoint's sidecar files come from: its local folder (through safeRead: regular files only, bounded
// bytes), or a Hub-layout server (remote/sidecars.ts). A source answers null for a file that is absent; a file it
// cannot read is an error the readers turn into one problem line naming the file.
import { join } from 'node:path';
import { JsonSyntaxError } from '../format/jsonScan';
import { isUnsafeFileError, openRegularFile, readFileWithLimit } from '../format/safeRead';
import { t } from '../l10n';

export interface SidecarSource {
  /** The whole file, at most `maxBytes` (larger: an error), or null when absent. */
  read(name: string, maxBytes: number): Promise<Buffer | null>;
  /** The first `maxBytes` bytes of the file (a model card of any size), or null when absent. */
  readStart(name: string, maxBytes: number): Promise<Buffer | null>;
}

/** A problem the source words itself (a remote file: the server's answer); shown as it is. */
export class SidecarProblem extends Error {}

const absent = (e: unknown): boolean => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

export function localSidecars(folder: string): SidecarSource {
  return {
    async read(name, maxBytes) {
      try {
        return await readFileWithLimit(join(folder, name), maxBytes);
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
    },
    async readStart(name, maxBytes) {
      let opened;
      try {
        opened = await openRegularFile(join(folder, name));
      } catch (e) {
        if (absent(e)) return null;
        throw e;
      }
      try {
        const buf = Buffer.alloc(Math.min(opened.size, maxBytes));
        const { bytesRead } = await opened.handle.read(buf, 0, buf.length, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await opened.handle.close();
      }
    },
  };
}

/** The one line for a sidecar that could not be read (`limit`: the size limit it was read with). */
export function sidecarProblem(name: string, e: unknown, limit: number): string {
  if (e instanceof SidecarProblem) return e.message;
  if (isUnsafeFileError(e)) {
    return e.problem === 'too-large' ? t('{0}: over the {1}-byte limit for a sidecar; not read', name, e.limit ?? limit) : t('{0}: not a regular file', name);
  }
  if (e instanceof JsonSyntaxError) return e.kind === 'syntax' ? t('{0}: not valid JSON (at byte {1})', name, e.offset) : t('{0}: over the JSON limits ({1})', name, e.message);
  return t('{0}: cannot be read ({1})', name, (e as NodeJS.ErrnoException).code ?? String(e));
}
