// The Overview's sections about what the checkpoint's own files say, shown once an audit has run (its
// result.sidecars): the declared provenance — claims of config.json, adapter_config.json, the model card and the
// header metadata, each base-model claim checked against the verdicts — and the suspect's tokenizer. Context beside
// the weight evidence. Every string in them comes from the files: rendered as text only (h(), literal()).
import type { AuditResult } from '../../src/shared/protocol';
import { claimCheckLine } from '../../src/shared/sidecarPhrases';
import { t } from '../../src/core/l10n';
import { h, icon, literalText, type Child } from '../dom';
import { int } from '../format';
import { staticTable } from './table';
import { componentLabel } from './provenance/verdictTable';

export type Sidecars = NonNullable<AuditResult['sidecars']>;
type ClaimCheck = Sidecars['claims']['checks'][number];
type Tokenizer = NonNullable<Sidecars['tokenizer']['suspect']>;

/** Chat template digests are shown to this many hex digits (the whole digest in the tooltip). */
const HASH_SHOWN = 12;

function section(id: string, title: string, ...body: Child[]): HTMLElement {
  return h('section', { class: `section sidecar-overview ${id}-section`, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...body);
}

/** A line that something is wrong or disagrees: a warning icon and the words (never colour alone). */
export function warningLine(text: string, cls = ''): HTMLElement {
  return h('div', { class: `message warning ${cls}`.trim() }, icon('warning'), h('span', {}, text));
}

/** A claim checked against the verdicts: disagreements as warnings, an agreement as plain information. */
function checkLine(k: ClaimCheck): HTMLElement {
  const flagged = k.kind !== 'agrees';
  return h('div', { class: `message ${flagged ? 'warning' : 'info'} claim-check`, 'data-kind': k.kind },
    icon(flagged ? 'warning' : 'info'), h('span', {}, claimCheckLine(k, componentLabel)));
}

export function declaredSection(s: Sidecars): HTMLElement {
  const c = s.claims;
  const claims = c.declared.length
    ? h('div', { class: 'table-scroll' }, staticTable(t('Declared claims'), [{ label: t('File') }, { label: t('Field') }, { label: t('Value') }],
      c.declared.map((d) => [h('span', { class: 'mono' }, d.file), h('span', { class: 'mono' }, d.field), h('span', { class: 'mono value-text' }, d.value)]), 'claims-table'))
    : h('p', { class: 'muted claims-empty' }, t('No claims declared in config.json, adapter_config.json, the model card or the header metadata.'));
  const checks = c.checks.length
    ? h('div', { class: 'claim-checks' }, ...c.checks.map(checkLine))
    : c.declared.length ? h('p', { class: 'muted claim-checks-none' }, t('Nothing to check against the verdicts: no component is reused, and no declared base model is among the references compared.')) : null;
  return section('declared', t('Declared provenance'),
    h('p', { class: 'muted' }, t('What the checkpoint’s own files say about its origin, checked against the verdicts above: context for the reviewer, not evidence about the weights.')),
    claims, checks,
    ...c.problems.map((p) => warningLine(p, 'sidecar-problem')));
}

const names = (xs: readonly string[]): Child => (xs.length ? h('span', { class: 'mono' }, xs.join(', ')) : h('span', { class: 'muted' }, t('none')));

function specialTokens(tok: Tokenizer): Child {
  if (!tok.specialTokens.length) return h('span', { class: 'muted' }, t('none'));
  return h('ul', { class: 'special-tokens', 'aria-label': t('Special tokens') }, ...tok.specialTokens.map((s) => h('li', { class: 'special-token' },
    h('span', { class: 'mono token-content' }, s.content), ' ',
    h('span', { class: 'muted' }, s.id === null ? t('{0}, no id', s.role) : t('{0}, id {1}', s.role, int(s.id))))));
}

function chatTemplate(sha: string | null): Child {
  if (!sha) return h('span', { class: 'muted' }, t('none'));
  const shown = sha.length > HASH_SHOWN ? `${sha.slice(0, HASH_SHOWN)}…` : sha;
  return h('span', { class: 'mono chat-template-hash', title: literalText(sha) }, `SHA-256 ${shown}`);
}

export function tokenizerSection(s: Sidecars): HTMLElement {
  const tok = s.tokenizer.suspect;
  const problems = s.tokenizer.problems.map((p) => warningLine(p, 'sidecar-problem'));
  if (!tok) {
    return section('tokenizer', t('Tokenizer'),
      h('p', { class: 'muted tokenizer-empty' }, problems.length ? t('The tokenizer files beside the checkpoint could not be read.') : t('No tokenizer files beside the checkpoint.')),
      ...problems);
  }
  const dl = h('dl', { class: 'kv tokenizer-kv', id: 'tokenizer-summary' });
  const add = (k: string, v: Child) => dl.append(h('dt', {}, k), h('dd', {}, v));
  add(t('Type'), h('span', { class: 'mono' }, tok.type));
  add(t('Ids'), tok.tokens === tok.vocabSize ? int(tok.vocabSize) : t('{0} ({1} with a token)', int(tok.vocabSize), int(tok.tokens)));
  add(t('Learned tokens'), h('span', {}, int(tok.learned), ' ', h('span', { class: 'muted' }, t('(not special, added, byte or single-character)'))));
  add(t('Merges'), tok.merges ? int(tok.merges) : h('span', { class: 'muted' }, t('none')));
  add(t('Files'), names(tok.files));
  add(t('Special tokens'), specialTokens(tok));
  add(t('Normaliser'), names(tok.normalizer));
  add(t('Pre-tokeniser'), names(tok.preTokenizer));
  add(t('Decoder'), names(tok.decoder));
  if (tok.tokenizerClass) add(t('Tokenizer class'), h('span', { class: 'mono' }, tok.tokenizerClass));
  add(t('Chat template'), chatTemplate(tok.chatTemplateSha256));
  return section('tokenizer', t('Tokenizer'), dl, ...problems);
}
