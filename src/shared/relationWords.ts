// How a suspect tensor lines up with its reference tensor (TensorEvidence.relation), in the display language: the
// audit keeps the ids as data (--json, review files), the editor and the CLI's tables show these words.
import { localisedRecord, t } from '../core/l10n';
import type { Relation } from '../core/match/types';

export const RELATION_WORD: Record<Relation, string> = localisedRecord({
  same: 'same', 'row-extended': 'row-extended', 'row-truncated': 'row-truncated', transposed: 'transposed', 'fused-part': 'fused-part', 'split-block': 'split-block', rotated: 'rotated', 'row-subset': 'row-subset', 'column-subset': 'column-subset',
});

/** The relation in words, with the block of a fused or split tensor ("fused-part (block 1)"). */
export function relationLabel(relation: Relation, block: number | null): string {
  const word = RELATION_WORD[relation] ?? relation;
  return block === null ? word : t('{0} (block {1})', word, block);
}
