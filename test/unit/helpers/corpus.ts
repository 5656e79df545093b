// The generated fixture corpus (test/fixtures/corpus.ts): the evaluation corpus's layout, names, manifest and ground
// truth on trained-like tensors, made offline. Tests call ensureFixtureCorpus() (in before()) before reading CORPUS.
import { fixtureCorpusDir } from '../../fixtures/fixtureCorpus';

export { ensureFixtureCorpus } from '../../fixtures/fixtureCorpus';
export const CORPUS = fixtureCorpusDir();
