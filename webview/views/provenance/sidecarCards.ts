// Provenance, after the component cards: the evidence beside the weights (result.sidecars, docs/tokenizer.md). The
// Tokenizer card sets the suspect's tokenizer against each reference compared (relation, reasons, overlap, same ids
// against the neighbouring-id null, merge order); the Configuration card sets config.json beside one reference's,
// chosen in a dropdown. Context for the reviewer, never a weight verdict. Strings from files render as text only.
import type { AuditResult } from '../../../src/shared/protocol';
import { CONFIG_FACT_KEY, configComparisonLine, tokenizerReasonWord, tokenizerRelationWord } from '../../../src/shared/sidecarPhrases';
import { t } from '../../../src/core/l10n';
import { ce, h, icon, replace, type Child } from '../../dom';
import { int } from '../../format';
import { staticTable } from '../table';
import { warningLine } from '../sidecarOverview';
import { componentLabel } from './verdictTable';

type Sidecars = NonNullable<AuditResult['sidecars']>;
type TokenizerComparison = Sidecars['tokenizer']['comparisons'][number];
type ConfigComparison = Sidecars['config']['comparisons'][number];
type ConfigValue = ConfigComparison['rows'][number]['suspect'];
type Relation = TokenizerComparison['relation'];

const RELATION_ICON: Record<Relation, string> = { identical: 'copy', derived: 'git-merge', 'no-evidence': 'circle-slash' };

const ratio = (x: number) => x.toFixed(2);
/** A number stays on the line of the word before it ("Jaccard 0.44", "ρ 1.00", "~7.6"), in every language. */
const keepNumbers = (s: string): string => s.replace(/ (?=[~≈]?-?\d)/g, '\u00a0');

/** The tokenizer relation as an icon AND words (never colour alone). */
function relationBadge(r: Relation): HTMLElement {
  return h('span', { class: `tok-relation tok-relation-${r}`, 'data-relation': r }, icon(RELATION_ICON[r] ?? 'question'), h('span', {}, tokenizerRelationWord(r)));
}

const lines = (...xs: (string | null)[]): Child => {
  const shown = xs.filter((x): x is string => x !== null);
  return shown.length ? h('span', { class: 'cell-lines fig' }, ...shown.map((x) => h('span', {}, keepNumbers(x)))) : '—';
};

function comparisonRow(c: TokenizerComparison): Child[] {
  const reference = h('span', { class: 'cell-lines' }, h('span', { class: 'mono reference-id' }, c.reference),
    c.exact ? null : h('span', { class: 'muted sketch-note' }, t('estimated from sketches')));
  const why = c.relation === 'no-evidence' || !c.reasons.length
    ? h('span', { class: 'muted null-note why' }, t('Independent tokenizers trained on similar text share common tokens and their first merges.'))
    : h('ul', { class: 'reasons why' }, ...c.reasons.map((r) => h('li', {}, tokenizerReasonWord(r))));
  return [reference, relationBadge(c.relation), why,
    h('span', { class: 'fig' }, keepNumbers(t('{0} learned tokens shared (Jaccard {1})', int(c.sharedTokens), ratio(c.jaccard)))),
    h('span', { class: 'fig' }, keepNumbers(t('{0} at the same ids (neighbouring ids predict ~{1})', int(c.sameIdTokens), c.sameIdExpected.toFixed(1)))),
    lines(
      c.mergePrefix === null ? null : t('first {0} merges the same', int(c.mergePrefix)),
      c.mergeRankCorrelation === null ? null : t('merge order ρ {0} over {1} shared merges', ratio(c.mergeRankCorrelation), int(c.sharedMerges ?? 0)),
      c.scoreCorrelation === null ? null : t('score order ρ {0}', ratio(c.scoreCorrelation)),
    )];
}

function card(id: string, title: string, tag: string, ...body: Child[]): HTMLElement {
  return h('section', { class: 'sidecar-card', id, 'aria-labelledby': `${id}-title` },
    h('header', { class: 'card-head' }, h('h3', { id: `${id}-title` }, title), h('span', { class: 'context-tag' }, icon('info'), h('span', {}, tag))),
    ...body);
}

export function tokenizerCard(s: Sidecars): HTMLElement {
  const tk = s.tokenizer;
  const context = h('p', { class: 'muted' }, t('The tokenizer is context, not a weight verdict: a model trained independently may adopt a published tokenizer, and reused weights may come with a new one.'));
  const problems = tk.problems.map((p) => warningLine(p, 'sidecar-problem'));
  const tag = t('context, not evidence');
  if (!tk.suspect) {
    return card('tokenizer-card', t('Tokenizer'), tag, context,
      h('p', { class: 'muted tokenizer-empty' }, problems.length ? t('The tokenizer files beside the checkpoint could not be read.') : t('No tokenizer files beside the checkpoint.')),
      ...problems);
  }
  const table = tk.comparisons.length
    ? h('div', { class: 'table-scroll' }, staticTable(t('Tokenizer against each reference'), [
      { label: t('Reference') }, { label: t('Relation') }, { label: t('Why') }, { label: t('Learned tokens') }, { label: t('Same ids') }, { label: t('Merges') },
    ], tk.comparisons.map(comparisonRow), 'tokenizer-table'))
    : h('p', { class: 'muted' }, t('No reference compared has a tokenizer fingerprint.'));
  const without = tk.withoutTokenizer.length
    ? h('p', { class: 'muted without-tokenizer' }, t('Compared without a tokenizer fingerprint (made before tokenizers were stored, or from a folder without tokenizer files): {0}', tk.withoutTokenizer.join(', ')))
    : null;
  return card('tokenizer-card', t('Tokenizer'), tag, context, table, without, ...problems);
}

const show = (v: ConfigValue): Child => (v === null ? h('span', { class: 'muted' }, '—') : h('span', { class: 'mono' }, String(v)));

function sameCell(r: ConfigComparison['rows'][number]): Child {
  if (r.same) return h('span', { class: 'config-mark config-same' }, icon('check'), h('span', {}, t('same value')));
  if (r.suspect === null || r.reference === null) return h('span', { class: 'config-mark config-one-side muted' }, icon('dash'), h('span', {}, t('one side only')));
  return h('span', { class: 'config-mark config-differs' }, icon('close'), h('span', {}, t('different')));
}

function configBody(c: ConfigComparison): Child[] {
  const table = staticTable(t('Configuration against {0}', c.reference), [
    { label: t('Component') }, { label: t('config.json key') }, { label: t('Suspect') }, { label: c.reference }, { label: t('Agreement') },
  ], c.rows.map((r) => [componentLabel(r.component), h('span', { class: 'mono' }, CONFIG_FACT_KEY[r.fact] ?? r.fact), show(r.suspect), show(r.reference), sameCell(r)]), 'config-table');
  for (const [i, r] of c.rows.entries()) if (r.same) table.tBodies[0]?.rows[i]?.classList.add('row-same');
  return [h('p', { class: 'config-summary' }, configComparisonLine(c, componentLabel)), h('div', { class: 'table-scroll' }, table)];
}

export function configCard(s: Sidecars): HTMLElement {
  const cfg = s.config;
  const tag = t('layout only, not evidence');
  const note = h('p', { class: 'muted' }, t('Every model of a family shares its layout: the same configuration is never evidence of reuse.'));
  if (!cfg.suspect) return card('config-card', t('Configuration'), tag, note, h('p', { class: 'muted config-empty' }, t('No config.json beside the checkpoint.')));
  if (!cfg.comparisons.length) return card('config-card', t('Configuration'), tag, note, h('p', { class: 'muted config-empty' }, t('No reference compared has a configuration in its fingerprint.')));
  const body = h('div', { class: 'config-body' }, ...configBody(cfg.comparisons[0]));
  let picker: HTMLElement | null = null;
  if (cfg.comparisons.length > 1) {
    const select = ce('vscode-single-select', { id: 'config-reference', 'aria-label': t('Reference to compare with') },
      ...cfg.comparisons.map((c, i) => ce('vscode-option', { value: String(i), selected: i === 0 }, c.reference))) as HTMLElement & { value: string };
    select.addEventListener('change', () => {
      const c = cfg.comparisons[Number(select.value)];
      if (c) replace(body, ...configBody(c));
    });
    picker = h('div', { class: 'config-picker' }, h('span', { class: 'muted', 'aria-hidden': 'true' }, t('Compare with')), select);
  }
  return card('config-card', t('Configuration'), tag, note, picker, body);
}

/** Both cards under one heading, after the component cards. */
export function sidecarSection(s: Sidecars): HTMLElement {
  return h('section', { class: 'section sidecar-section', 'aria-labelledby': 'sidecars-title' },
    h('h2', { id: 'sidecars-title' }, t('Beside the weights: tokenizer and configuration')),
    h('div', { class: 'sidecar-cards' }, tokenizerCard(s), configCard(s)));
}
