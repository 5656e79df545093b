// The audit's verdicts in English words, written once: the exports (review/labels.ts) and, translated, the
// Provenance view and the comparison report (shared/findingsView.ts) say them.
import { messageRecord } from '../l10n';
import type { Verdict } from './types';

export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = messageRecord({
  identical: 'identical', derived: 'derived', 'no-evidence': 'no evidence of reuse', inconclusive: 'inconclusive',
});
