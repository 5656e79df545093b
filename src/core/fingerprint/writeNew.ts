// Writing a fingerprint into a library folder without ever replacing a file there: atomically (core's writeAtomic:
// temp file in the same folder, fsync, publish, folder fsync) and published with link(2), which fails when the name
// exists, instead of rename(2), which would replace it. Two writers of one name (two processes adding the same model)
// therefore leave exactly one whole file, and never a half-written one.
import { promises as fsp } from 'node:fs';
import { writeAtomic } from '../atomicWrite';
import { nodeStoreFs } from '../fsLayer';
import { t } from '../l10n';
import { FingerprintError } from './errors';
import { checkFingerprint, MAX_FINGERPRINT_BYTES, serializeFingerprint } from './io';
import type { Fingerprint } from './types';

/** Thrown by writeNewFingerprint when `path` exists (whatever it holds); nothing was written. */
export class FingerprintExistsError extends FingerprintError {
  constructor(path: string) {
    super(path, t('a file of that name exists and is not replaced'), 'io');
  }
}

/** Publishes `from` as `to` unless `to` exists. File systems without hard links fall back to a checked rename. */
async function publishNew(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw e;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
    // No hard links here (FAT, some network shares): a look first, then rename. A writer racing in between could
    // still be replaced; the window is one system call wide.
    const exists = await fsp.lstat(to).then(() => true, (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? false : Promise.reject(err)));
    if (exists) throw Object.assign(new Error(`EEXIST: ${to}`), { code: 'EEXIST' });
    await fsp.rename(from, to);
    return;
  }
  await fsp.unlink(from);
}

/**
 * Writes `fp` as the new file `path` (its folder must exist). Refuses, with nothing written, what readFingerprint would
 * reject (FingerprintError kind `refused`) and an existing `path` (FingerprintExistsError); other failures are
 * FingerprintError kind `io` naming the file system's error code.
 */
export async function writeNewFingerprint(path: string, fp: Fingerprint): Promise<void> {
  checkFingerprint(fp, path);
  const bytes = Buffer.from(serializeFingerprint(fp), 'utf8');
  if (bytes.length > MAX_FINGERPRINT_BYTES) throw new FingerprintError(path, t('it would be larger than {0} bytes', MAX_FINGERPRINT_BYTES), 'refused');
  try {
    await writeAtomic({ ...nodeStoreFs, rename: publishNew }, path, bytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FingerprintExistsError(path);
    throw new FingerprintError(path, t('cannot write the fingerprint ({0})', (e as NodeJS.ErrnoException).code ?? String(e)), 'io');
  }
}
