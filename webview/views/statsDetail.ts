// The statistics part of the tensor detail pane: every statistic of the tensor, its outlier flags in words,
// and the histogram (linear or symlog bins) with its data table.
import type { TensorStats } from '../../src/shared/protocol';
import { append, h } from '../dom';
import { int, percent } from '../format';
import { histogramChart, scaleToggle } from '../charts/histogram';
import { num } from '../charts/svg';
import { flagNode } from './columns';
import { localisedRecord, t } from '../../src/core/l10n';
import { statsWarning } from '../../src/shared/statsPhrases';

export type HistScale = 'linear' | 'symlog';

const METHOD: Record<TensorStats['method'], string> = localisedRecord({
  'exact-codes': 'exact (every code counted)',
  'exact-sort': 'exact (values sorted)',
  'float-buckets': 'float64 moments; percentiles and histogram from 65,536 fine buckets',
});

export function statsSection(s: TensorStats, flags: string[], scale: HistScale, setScale: (s: HistScale) => void): HTMLElement {
  const dl = h('dl', { class: 'kv stats-kv' });
  const add = (k: string, v: string | Node) => append(dl, h('dt', {}, k), h('dd', { class: 'mono' }, v));
  add(t('Elements'), t('{0} ({1} finite)', int(s.count), int(s.finite)));
  add(t('Mean'), num(s.mean, 6));
  add(t('Std'), num(s.std, 6));
  add(t('Min'), num(s.min, 6));
  add(t('Max'), num(s.max, 6));
  add(t('Abs max'), num(s.absmax, 6));
  add(t('L2 norm'), num(s.l2, 6));
  add(t('Zeros'), `${int(s.zeros)} (${s.count ? percent(s.zeros, s.count) : '—'})`);
  add('NaN / +Inf / −Inf', `${int(s.nan)} / ${int(s.posinf)} / ${int(s.neginf)}`);
  add(t('Skewness'), num(s.skewness, 5));
  add(t('Excess kurtosis'), num(s.kurtosis, 5));
  add(t('Percentiles 1 / 50 / 99'), `${num(s.p1, 5)} / ${num(s.p50, 5)} / ${num(s.p99, 5)}`);
  const err = s.percentileError;
  add(t('Method'), `${METHOD[s.method] ?? s.method}${err.relative || err.absolute ? ` ${t('(percentile error ≤ {0}·|p| + {1})', num(err.relative, 2), num(err.absolute, 2))}` : ''}`);
  if (s.dequantised) add(t('Dequantised with'), t('{0} (blocks {1})', s.dequantised.scaleTensor, s.dequantised.block.join(' × ')));
  add(t('Flags'), flagNode(flags) ?? t('none'));
  const section = h('section', { class: 'detail-stats', 'aria-label': t('Statistics') }, h('h3', {}, t('Statistics')), dl);
  if (s.warning) section.append(h('p', { class: 'message warning' }, statsWarning(s.warning)));
  const hist = scale === 'symlog' ? s.symlogHistogram ?? s.histogram : s.histogram ?? s.symlogHistogram;
  if (!hist) {
    section.append(h('p', { class: 'muted' }, t('No finite values: no histogram.')));
    return section;
  }
  const toggle = scaleToggle(hist.scale, setScale);
  section.append(histogramChart(hist, t('Histogram ({0} {1} bins)', hist.counts.length, hist.scale), toggle).element);
  return section;
}
