// Words of the CLI's human output that stand for ids of the results (verdicts, relations, flags, phases). English
// prints the id itself, as the CLI always has; other languages print the word for it. --json keeps the ids.
import { localisedRecord } from '../core/l10n';
import type { Verdict } from '../core/match/types';
import type { OutlierFlag } from '../core/stats';
import type { RemotePhase } from '../core/remote';

export { COMPONENT_SHORT_LABEL as COMPONENT_WORD } from '../shared/findingsView';

export const VERDICT_WORD: Record<Verdict, string> = localisedRecord({
  identical: 'identical', derived: 'derived', 'no-evidence': 'no-evidence', inconclusive: 'inconclusive',
});

export { RELATION_WORD } from '../shared/relationWords';

/** The evidence flags of a compared tensor, in the order the table lists them. */
export const MATCH_FLAG_WORD: Record<'match' | 'exact' | 'dtype' | 'permuted', string> = localisedRecord({
  match: 'match', exact: 'exact', dtype: 'dtype', permuted: 'permuted',
});

export const STATS_FLAG_WORD: Record<OutlierFlag | 'dequantised', string> = localisedRecord({
  empty: 'empty', nan: 'nan', inf: 'inf', 'all-zero': 'all-zero', constant: 'constant', 'extreme-kurtosis': 'extreme-kurtosis',
  dequantised: 'dequantised',
});

export const REMOTE_PHASE_WORD: Record<RemotePhase, string> = localisedRecord({
  index: 'index', planning: 'planning', fetching: 'fetching', done: 'done',
});
