// Where the evaluation corpus is: WEIGHTPRINT_CORPUS, else ../shared/corpus beside the repo.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS = resolve(process.env.WEIGHTPRINT_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus'));
export const CORPUS_PRESENT = existsSync(join(CORPUS, 'manifest.json'));
export const CORPUS_SKIP = CORPUS_PRESENT ? false : `corpus not found at ${CORPUS} (set WEIGHTPRINT_CORPUS)`;
