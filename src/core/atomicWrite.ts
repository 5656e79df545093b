// Atomic replacement of a file: a temp file in the same folder, write, fsync, close, (check), rename, folder fsync.
// A failure at any step leaves the old file (or none) in place, never a half-written one; the temp file is removed.
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { StoreFs } from './fsLayer';

let tempCounter = 0;

/**
 * Writes `bytes` to `target` through `fs`. `check`, when given, runs just before the rename and can veto it (returns
 * false, the temp file removed). Errors are the file system's, after the temp file is removed.
 */
export async function writeAtomic(fs: Pick<StoreFs, 'create' | 'rename' | 'unlink' | 'syncDir'>, target: string, bytes: Buffer,
  check?: () => Promise<boolean>): Promise<boolean> {
  const dir = dirname(target);
  const temp = join(dir, `.${basename(target)}.${process.pid}-${++tempCounter}-${randomBytes(3).toString('hex')}.tmp`);
  let created = false;
  try {
    const h = await fs.create(temp);
    created = true;
    try {
      await h.write(bytes);
      await h.sync();
    } finally {
      await h.close();
    }
    if (check && !(await check())) {
      await fs.unlink(temp).catch(() => undefined);
      return false;
    }
    await fs.rename(temp, target);
    created = false;
    await fs.syncDir(dir);
    return true;
  } catch (e) {
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw e;
  }
}
