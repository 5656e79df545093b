// The statistics part of the tensor detail pane: every statistic of the tensor, its outlier flags in words,
// and the histogram (linear or symlog bins) with its data table.
import type { TensorStats } from '../../src/shared/protocol';
import { append, h } from '../dom';
import { int, percent } from '../format';
import { histogramChart, scaleToggle } from '../charts/histogram';
import { num } from '../charts/svg';
import { flagNode } from './columns';

export type HistScale = 'linear' | 'symlog';

const METHOD: Record<TensorStats['method'], string> = {
  'exact-codes': 'exact (every code counted)',
  'exact-sort': 'exact (values sorted)',
  'float-buckets': 'float64 moments; percentiles and histogram from 65,536 fine buckets',
};

export function statsSection(s: TensorStats, flags: string[], scale: HistScale, setScale: (s: HistScale) => void): HTMLElement {
  const dl = h('dl', { class: 'kv stats-kv' });
  const add = (k: string, v: string | Node) => append(dl, h('dt', {}, k), h('dd', { class: 'mono' }, v));
  add('Elements', `${int(s.count)} (${int(s.finite)} finite)`);
  add('Mean', num(s.mean, 6));
  add('Std', num(s.std, 6));
  add('Min', num(s.min, 6));
  add('Max', num(s.max, 6));
  add('Abs max', num(s.absmax, 6));
  add('L2 norm', num(s.l2, 6));
  add('Zeros', `${int(s.zeros)} (${s.count ? percent(s.zeros, s.count) : '—'})`);
  add('NaN / +Inf / −Inf', `${int(s.nan)} / ${int(s.posinf)} / ${int(s.neginf)}`);
  add('Skewness', num(s.skewness, 5));
  add('Excess kurtosis', num(s.kurtosis, 5));
  add('Percentiles 1 / 50 / 99', `${num(s.p1, 5)} / ${num(s.p50, 5)} / ${num(s.p99, 5)}`);
  const err = s.percentileError;
  add('Method', `${METHOD[s.method] ?? s.method}${err.relative || err.absolute ? ` (percentile error ≤ ${num(err.relative, 2)}·|p| + ${num(err.absolute, 2)})` : ''}`);
  if (s.dequantised) add('Dequantised with', `${s.dequantised.scaleTensor} (blocks ${s.dequantised.block.join(' × ')})`);
  add('Flags', flagNode(flags) ?? 'none');
  const section = h('section', { class: 'detail-stats', 'aria-label': 'Statistics' }, h('h3', {}, 'Statistics'), dl);
  if (s.warning) section.append(h('p', { class: 'message warning' }, s.warning));
  const hist = scale === 'symlog' ? s.symlogHistogram ?? s.histogram : s.histogram ?? s.symlogHistogram;
  if (!hist) {
    section.append(h('p', { class: 'muted' }, 'No finite values: no histogram.'));
    return section;
  }
  const toggle = scaleToggle(hist.scale, setScale);
  section.append(histogramChart(hist, `Histogram (${hist.counts.length} ${hist.scale} bins)`, toggle).element);
  return section;
}
