// The audit's English sentences (relations of components, the weak-evidence note, audit notes; made by
// src/core/match) in the display language: each known sentence is parsed and said again through a translator.
// An unknown sentence is kept as written. Used by the Korean review labels, the webview and the comparison report.
import type { Translate } from './l10n';

type Rule = [RegExp, (tr: Translate, m: RegExpExecArray) => string];

/** The tags of "derived (…)": evidence kinds, joined by ", ". */
function tag(tr: Translate, s: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^(\d+) exact$/.exec(s))) return tr('{0} exact', m[1]);
  if ((m = /^(\d+) permuted$/.exec(s))) return tr('{0} permuted', m[1]);
  if ((m = /^(\d+) with a rotated basis$/.exec(s))) return tr('{0} with a rotated basis', m[1]);
  if ((m = /^(\d+) pruned to a subset$/.exec(s))) return tr('{0} pruned to a subset', m[1]);
  switch (s) {
    case 'hidden dimension permuted': return tr('hidden dimension permuted');
    case 'hidden dimension pruned': return tr('hidden dimension pruned');
    case 'rows extended': return tr('rows extended');
    case 'rows truncated': return tr('rows truncated');
    case 'fused/split layout': return tr('fused/split layout');
    case 'transposed': return tr('transposed');
    default: return s;
  }
}

/** "token embeddings and LM head", "a, b and c": the part groups of a partial-reuse relation. */
function groups(tr: Translate, s: string): string {
  const items = s.split(/, | and /).map((g) => {
    switch (g) {
      case 'token embeddings': return tr('token embeddings');
      case 'LM head': return tr('LM head');
      case 'transformer blocks': return tr('transformer blocks');
      case 'other tensors': return tr('other tensors');
      default: return g;
    }
  });
  return items.length <= 1 ? items.join('') : tr('{0} and {1}', items.slice(0, -1).join(', '), items[items.length - 1]);
}

const RULES: Rule[] = [
  [/^no tensor matches$/, (tr) => tr('no tensor matches')],
  [/^identical copy$/, (tr) => tr('identical copy')],
  [/^no references$/, (tr) => tr('no references')],
  [/^identical up to dtype conversion \((\d+) of (\d+) tensors converted\)$/, (tr, m) => tr('identical up to dtype conversion ({0} of {1} tensors converted)', m[1], m[2])],
  [/^derived$/, (tr) => tr('derived')],
  [/^derived \((.+)\)$/, (tr, m) => tr('derived ({0})', m[1].split(', ').map((s) => tag(tr, s)).join(', '))],
  [/^(\d+) matching tensor\(s\), below the (\d+) needed with combined p < (\S+)$/, (tr, m) => (m[1] === '1'
    ? tr('1 matching tensor, below the {0} needed with combined p < {1}', m[2], m[3])
    : tr('{0} matching tensors, below the {1} needed with combined p < {2}', m[1], m[2], m[3]))],
  [/^(.+) reused; the (.+) show no evidence$/, (tr, m) => tr('{0} reused; the {1} show no evidence', groups(tr, m[1]), groups(tr, m[2]))],
  [/^(.+) reused; the (.+) shows no evidence$/, (tr, m) => tr('{0} reused; the {1} shows no evidence', groups(tr, m[1]), groups(tr, m[2]))],
  [/^many weak agreements, no tensor with a material effect$/, (tr) => tr('many weak agreements, no tensor with a material effect')],
  [/^only task-determined tensors agree \(output biases, per-class vectors\): the same task, not reused weights$/,
    (tr) => tr('only task-determined tensors agree (output biases, per-class vectors): the same task, not reused weights')],
  [/^task-determined tensors \(output biases, per-class vectors indexed by the label space\) agree between models trained for the same task; they are shown but never decide a verdict$/,
    (tr) => tr('task-determined tensors (output biases, per-class vectors indexed by the label space) agree between models trained for the same task; they are shown but never decide a verdict')],
  [/^none of the (\d+) reference\(s\) matches$/, (tr, m) => (m[1] === '1' ? tr('the 1 reference does not match') : tr('none of the {0} references matches', m[1]))],
  [/^(\d+) tensor\(s\) of reference (.+) are identical across unrelated references and give no evidence$/,
    (tr, m) => (m[1] === '1'
      ? tr('1 tensor of reference {0} is identical across unrelated references and gives no evidence', m[2])
      : tr('{0} tensors of reference {1} are identical across unrelated references and give no evidence', m[1], m[2]))],
  [/^(\d+) shortlisted reference\(s\) were not compared in full \(budget of (\d+)\); the verdicts rest on the (\d+) most promising$/,
    (tr, m) => tr('{0} shortlisted references were not compared in full (budget of {1}); the verdicts rest on the {2} most promising', m[1], m[2], m[3])],
  [/^permutation search stopped at its budget of (\S+) multiply-adds; some tensors were not searched$/,
    (tr, m) => tr('permutation search stopped at its budget of {0} multiply-adds; some tensors were not searched', m[1])],
  [/^reference (.+): its fingerprint has no Gram sketches \(made over HTTP Range\); rotated copies cannot be found against it \(fingerprint the downloaded files to add them\)$/,
    (tr, m) => tr('reference {0}: its fingerprint has no Gram sketches (made over HTTP Range); rotated copies cannot be found against it (fingerprint the downloaded files to add them)', m[1])],
  [/^reference (.+): a version-1 fingerprint has no Gram sketches; rotated copies cannot be found against it \(re-fingerprint to version 2\)$/,
    (tr, m) => tr('reference {0}: a version-1 fingerprint has no Gram sketches; rotated copies cannot be found against it (re-fingerprint to version 2)', m[1])],
  [/^hidden-dimension permutation recovered from (.+) against (.+): (\d+)\/(\d+) columns mapped$/,
    (tr, m) => tr('hidden-dimension permutation recovered from {0} against {1}: {2}/{3} columns mapped', m[1], m[2], m[3], m[4])],
  [/^hidden dimension pruned from (\d+) to (\d+) units, recovered from (.+) against (.+): (\d+)\/(\d+) kept units mapped$/,
    (tr, m) => tr('hidden dimension pruned from {0} to {1} units, recovered from {2} against {3}: {4}/{5} kept units mapped', m[1], m[2], m[3], m[4], m[5], m[6])],
  [/^Weak evidence, shown as context only: raw cosine of all-positive vectors \(norm weights\) is ~1 between unrelated models, and per-layer std curves are shaped by the architecture and training recipe\. Neither decides a verdict\.$/,
    (tr) => tr('Weak evidence, shown as context only: raw cosine of all-positive vectors (norm weights) is ~1 between unrelated models, and per-layer std curves are shaped by the architecture and training recipe. Neither decides a verdict.')],
];

/** An audit sentence in the translator's language (unchanged when it is not one the audit writes). */
export function auditPhrase(text: string, tr: Translate): string {
  for (const [re, say] of RULES) {
    const m = re.exec(text);
    if (m) return say(tr, m);
  }
  return text;
}
