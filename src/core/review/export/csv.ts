// CSV export (RFC 4180, CRLF): one table holding the match rows of every component × reference, when the report has
// statistics one row of statistics per tensor, and the records beside the weights (claim, claim-check, tokenizer,
// config); the `record` column says which. Every text cell goes
// through csvText (quoting, formula neutralising), ids included.
import { classifyAll } from '../../naming/classify';
import { labelsOf } from './common';
import { sidecarsCsv } from './sidecars';
import { csvNumber, csvText } from './escape';
import type { ReviewReport } from './report';

export const CSV_COLUMNS = [
  'record', 'component', 'tensor', 'dtype', 'shape', 'reference', 'reference_tensor', 'relation', 'block', 'r', 'n', 'z', 'z_empirical', 'p', 'log10_p',
  'candidates', 'matched', 'exact', 'hash_confirmed', 'dtype_exact', 'permuted', 'permutation_confirmed', 'hidden_permuted', 'suspect_layer',
  'reference_layer', 'kind', 'parameters', 'count', 'finite', 'mean', 'std', 'min', 'max', 'absmax', 'l2', 'zeros', 'nan', 'posinf', 'neginf',
  'skewness', 'kurtosis', 'p1', 'p50', 'p99', 'stats_method',
  'file', 'field', 'value', 'reference_value', 'jaccard', 'shared_tokens', 'same_id_tokens', 'same_id_expected', 'merge_prefix',
] as const;

type Column = (typeof CSV_COLUMNS)[number];

const bool = (b: boolean) => (b ? 'true' : 'false');

function line(cells: Partial<Record<Column, string>>): string {
  return CSV_COLUMNS.map((c) => cells[c] ?? '').join(',');
}

export function exportCsv(report: ReviewReport): string {
  const headers = labelsOf(report).csvColumns ?? {};
  const lines: string[] = [CSV_COLUMNS.map((c) => csvText(headers[c] ?? c)).join(',')];
  for (const c of report.audit?.components ?? []) {
    for (const cmp of c.comparisons) {
      for (const r of cmp.table) {
        lines.push(line({
          record: 'match', component: csvText(c.name), tensor: csvText(r.suspect), reference: csvText(cmp.reference), reference_tensor: csvText(r.reference),
          relation: csvText(r.relation), block: csvNumber(r.block), r: csvNumber(r.r), n: csvNumber(r.n), z: csvNumber(r.z), z_empirical: csvNumber(r.zEmpirical),
          p: csvNumber(r.p), log10_p: csvNumber(r.log10P), candidates: csvNumber(r.candidates), matched: bool(r.matched), exact: bool(r.exact),
          hash_confirmed: bool(r.hashConfirmed), dtype_exact: bool(r.dtypeExact), permuted: bool(r.permuted),
          permutation_confirmed: bool(r.permutationConfirmed), hidden_permuted: bool(r.hiddenPermuted), suspect_layer: csvNumber(r.suspectLayer),
          reference_layer: csvNumber(r.referenceLayer), kind: csvText(r.suspectKind), parameters: csvNumber(r.parameters),
        }));
      }
    }
  }
  const stats = report.stats ?? [];
  const roles = classifyAll(stats.map((s) => s.name));
  stats.forEach((s, i) => {
    lines.push(line({
      record: 'stats', component: csvText(roles[i].component), tensor: csvText(s.name), dtype: csvText(s.dtype), shape: csvText(`[${s.shape.join(', ')}]`),
      suspect_layer: csvNumber(roles[i].layer), kind: csvText(roles[i].kind), parameters: csvNumber(s.count), count: csvNumber(s.count), finite: csvNumber(s.finite),
      mean: csvNumber(s.mean), std: csvNumber(s.std), min: csvNumber(s.min), max: csvNumber(s.max), absmax: csvNumber(s.absmax), l2: csvNumber(s.l2),
      zeros: csvNumber(s.zeros), nan: csvNumber(s.nan), posinf: csvNumber(s.posinf), neginf: csvNumber(s.neginf), skewness: csvNumber(s.skewness),
      kurtosis: csvNumber(s.kurtosis), p1: csvNumber(s.p1), p50: csvNumber(s.p50), p99: csvNumber(s.p99), stats_method: csvText(s.method),
    }));
  });
  for (const record of sidecarsCsv(report)) lines.push(line(record as Partial<Record<Column, string>>));
  return lines.join('\r\n') + '\r\n';
}
