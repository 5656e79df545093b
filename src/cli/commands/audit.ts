import { loadLibraryIndex } from '../../core/library/libraryIndex';
import { openCheckpoint } from '../../core/format/checkpoint';
import { auditCheckpoint, compareCheckpoints } from '../../core/match/audit';
import { formatForPath } from '../../core/review/export/index';
import { notesOutputCheck, writeReviewNotes, type NotesOutput } from '../../core/review/notes';
import { checkOutputPath } from '../../core/outputPath';
import { isNotesLanguage, labelsFor, notesLanguageFor, type NotesLanguage } from '../../core/review/language';
import type { AuditResult, TensorEvidence } from '../../core/match/types';
import { formatPValue } from '../../core/match/pValue';
import { option, parseArgs, UsageError, type ParsedArgs } from '../args';
import { cancellableBySigint } from '../interrupt';
import { isAbortError } from '../../core/abort';
import { safeText, table } from '../format';
import type { CliIO } from '../io';
import { COMPONENT_WORD, MATCH_FLAG_WORD, RELATION_WORD, VERDICT_WORD } from '../labels';
import { displayLocale, t } from '../../core/l10n';
import { auditPhrase } from '../../core/auditPhrases';
import { familyCounts, NAMED_REFERENCES } from '../../core/match/families';
import { sidecarLines } from '../../core/sidecars/phrases';
import type { Component } from '../../core/naming/components';

/** The `audit --json` object of docs/architecture.md (Command line), plus extra fields. */
export function auditJson(result: AuditResult): unknown {
  const s = result.sidecars;
  return {
    checkpoint: result.checkpoint,
    components: result.components.map((c) => ({
      name: c.name, tensors: c.tensors, parameters: c.parameters, verdict: c.verdict, reference: c.reference, relation: c.relation,
      evidence: c.evidence,
      comparisons: c.comparisons.map((r) => ({ reference: r.reference, verdict: r.verdict, relation: r.relation, evidence: r.evidence, heatmap: r.heatmap, table: r.table, context: r.context })),
      ...(c.screening ? { screening: c.screening } : {}),
    })),
    references: result.references,
    method: result.method,
    notes: result.notes,
    ...(s ? { tokenizer: s.tokenizer, config: s.config, claims: s.claims } : {}),
    seconds: result.seconds,
  };
}

/** The audit's sentences (relations, notes) are data in English; the human output says them in the display language. */
const phrase = (text: string) => safeText(auditPhrase(text, t));

function referencesText(result: AuditResult): string {
  if (result.references.length === 0) return t('none');
  if (result.references.length <= NAMED_REFERENCES) return result.references.map((r) => safeText(r.id)).join(', ');
  return t('{0} (families: {1})', result.references.length, familiesText(result.references));
}

/** "llama 334, qwen2_5_vl 333, unknown family 335", largest first. */
function familiesText(refs: AuditResult['references']): string {
  return familyCounts(refs).map(([f, n]) => `${f ? safeText(f) : t('unknown family')} ${n}`).join(', ');
}

function screeningLines(result: AuditResult): string[] {
  const lines: string[] = [];
  for (const c of result.components) {
    const s = c.screening;
    if (!s) continue;
    lines.push(t('{0}: of {1} references, {2} ruled out by shape, {3} by screening, {4} by the budget; {5} compared in full',
      COMPONENT_WORD[c.name] ?? c.name, s.references, s.references - s.withCandidates, s.withCandidates - s.shortlisted, s.shortlisted - s.compared, s.compared));
    if (s.runnersUp.length) {
      lines.push('  ' + t('runners-up: {0}', s.runnersUp.map((r) => r.signal
        ? t('{0} ({1}, score {2})', safeText(r.reference), r.signal, r.score.toFixed(1))
        : t('{0} (best sketch |r| {1})', safeText(r.reference), r.bestR.toFixed(2))).join('; ')));
    }
  }
  return lines;
}

const componentWord = (c: Component): string => COMPONENT_WORD[c] ?? c;

export function auditText(result: AuditResult): string {
  const lines = [t('{0}: {1} tensors, {2} parameters; references: {3}', safeText(result.checkpoint.path), result.checkpoint.tensors, result.checkpoint.parameters, referencesText(result)), ''];
  lines.push(table([
    [t('component'), t('tensors'), t('verdict'), t('reference'), t('matched/informative'), t('covered'), t('median r'), t('combined p'), t('relation')],
    ...result.components.map((c) => [COMPONENT_WORD[c.name] ?? c.name, String(c.tensors), VERDICT_WORD[c.verdict] ?? c.verdict, safeText(c.reference ?? '-'),
      `${c.evidence.matchedTensors}/${c.evidence.informativeTensors}`, `${(100 * c.evidence.coveredParameterFraction).toFixed(0)}%`,
      c.evidence.medianR === null ? '-' : c.evidence.medianR.toFixed(3), formatPValue(c.evidence.log10PValue), phrase(c.relation)]),
  ], [1, 4, 5, 6]));
  lines.push(...screeningLines(result));
  for (const n of result.notes) lines.push(t('note: {0}', phrase(n)));
  if (result.sidecars) lines.push(...sidecarLines(result.sidecars, componentWord).map(safeText));
  lines.push(t('({0} s)', result.seconds.toFixed(2)));
  return lines.join('\n') + '\n';
}

/** The arguments `audit` takes for local and hf:// suspects alike: one checkpoint, the notes' file and language. */
export function auditArgs(args: ParsedArgs): { lang: NotesLanguage; notes: string | undefined; notesFormat: ReturnType<typeof formatForPath> } {
  if (args.positionals.length !== 1) throw new UsageError(t('audit takes exactly one <checkpoint>'));
  // Without --lang the notes are in the language the CLI speaks (WEIGHTPRINT_LANG / the locale, see language.ts).
  const lang = option(args, 'lang') ?? notesLanguageFor(undefined, displayLocale());
  if (!isNotesLanguage(lang)) throw new UsageError(t('--lang takes ko or en (the language of the review notes)'));
  const notes = option(args, 'notes');
  const notesFormat = notes ? formatForPath(notes) : null;
  if (notes && !notesFormat) throw new UsageError(t('--notes takes a file ending in .md, .html, .json or .csv'));
  return { lang, notes, notesFormat };
}

/** One stderr line per sidecar that could not be read. */
export function sidecarProblems(result: AuditResult, io: CliIO): void {
  const s = result.sidecars;
  for (const p of [...(s?.claims.problems ?? []), ...(s?.tokenizer.problems ?? [])]) io.err(t('weightprint: sidecar not read: {0}', safeText(p)) + '\n');
}

export async function auditCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json', 'force', 'exhaustive'], options: ['library', 'notes', 'lang'] });
  const { lang, notes, notesFormat } = auditArgs(args);
  const folders = args.options.get('library') ?? [];
  // The library's index (refreshed from new or changed .wpf files): screening signatures in memory, each fingerprint
  // read again only when its reference is compared in full.
  const library = await loadLibraryIndex(folders);
  for (const p of library.problems) io.err(t('weightprint: skipped {0}: {1}', safeText(p.path), safeText(p.reason)) + '\n');
  for (const p of library.notices) io.err(t('weightprint: {0}', safeText(t('{0}: {1}', p.path, p.reason))) + '\n');
  const checkpoint = await openCheckpoint(args.positionals[0]);
  // The notes' path is checked before the audit, so a typo fails at once instead of after it.
  const output: NotesOutput = { force: args.flags.has('force'), inputs: library.problems.map((p) => p.path) };
  if (notes) await checkOutputPath(notes, notesOutputCheck({ checkpoint, library: library.references }, output));
  // Ctrl-C stops the matching within a tensor, as the editor's Cancel does.
  let result;
  try {
    result = await cancellableBySigint((signal) => auditCheckpoint(checkpoint, library, { signal, cascade: args.flags.has('exhaustive') ? 'never' : 'auto' }));
  } catch (e) {
    if (isAbortError(e)) {
      io.err(t('weightprint audit: cancelled') + '\n');
      return 130;
    }
    throw e;
  }
  // Sidecars beside the weights (tokenizer, config.json, adapter_config.json, the model card, __metadata__).
  sidecarProblems(result, io);
  if (notes) {
    // Findings of the review store beside the checkpoint, plus a suggested finding per component without one.
    const written = await writeReviewNotes(notes, { checkpoint, audit: result, library: library.references, options: { labels: labelsFor(lang) } }, notesFormat, output);
    const s = written.storeStatus;
    if (s && s.kind !== 'ok' && s.kind !== 'new') io.err(t('weightprint: review store not used: {0}', safeText(s.message)) + '\n');
  }
  io.out(args.flags.has('json') ? JSON.stringify(auditJson(result)) + '\n' : auditText(result));
  return 0;
}

export async function compareCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { flags: ['json'], options: [] });
  if (args.positionals.length !== 2) throw new UsageError(t('compare takes exactly two checkpoints <a> <b>'));
  const result = await compareCheckpoints(args.positionals[0], args.positionals[1]);
  sidecarProblems(result, io);
  if (args.flags.has('json')) {
    io.out(JSON.stringify(auditJson(result)) + '\n');
    return 0;
  }
  const lines = [auditText(result)];
  for (const c of result.components) {
    const top = c.comparisons[0];
    if (!top || top.table.length === 0) continue;
    lines.push(`${COMPONENT_WORD[c.name] ?? c.name}:`);
    lines.push(table([
      [t('b tensor'), t('a tensor'), t('relation'), 'r', 'z', 'p', t('flags')],
      ...top.table.map((r) => [safeText(r.suspect), safeText(r.reference), (RELATION_WORD[r.relation] ?? r.relation) + (r.block !== null ? ` ${r.block}` : ''),
        r.r.toFixed(4), r.z.toFixed(1), formatPValue(r.log10P), matchFlags(r).join(',')]),
    ], [3, 4]).split('\n').map((l) => '  ' + l).join('\n'));
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

function matchFlags(r: TensorEvidence): string[] {
  const flags: string[] = [];
  if (r.matched) flags.push(MATCH_FLAG_WORD.match);
  if (r.exact) flags.push(MATCH_FLAG_WORD.exact);
  if (r.dtypeExact) flags.push(MATCH_FLAG_WORD.dtype);
  if (r.permuted) flags.push(MATCH_FLAG_WORD.permuted);
  return flags;
}
