import { t } from '../l10n';

export class FingerprintError extends Error {
  /**
   * `invalid`: the file's content is wrong; `io`: it could not be read or written; `refused`: Weightprint would not
   * load it back, so it is not written.
   */
  constructor(readonly file: string, readonly reason: string, readonly kind: 'invalid' | 'io' | 'refused' = 'invalid') {
    super(kind === 'io' ? `${file}: ${reason}`
      : kind === 'refused' ? t('{0}: cannot make a fingerprint that Weightprint could load back: {1}', file, reason)
        : t('{0}: not a valid Weightprint fingerprint: {1}', file, reason));
    this.name = 'FingerprintError';
  }
}
