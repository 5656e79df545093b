// The null model of one aligned comparison (docs/matching.md): the analytic Fisher-z null, an empirical null of shifted
// pairs within the sample grid, and the suspect against the reference's other same-shaped tensors.
import { fisherZ, log10BestOfK, log10TwoSided, pearson } from './stats';

/** r of aligned pairs after shifting the suspect's rows (or columns) within the sample grid: a null that keeps
 * every row- or column-aligned structure two independent models may share. Returns atanh(r) values. */
export function shiftNull(x: Float32Array, y: Float32Array, rows: number, w: number, maxShifts = 16): number[] {
  const out: number[] = [];
  const shifted = new Float32Array(x.length);
  if (rows >= 4) {
    const k = Math.min(maxShifts, rows - 1);
    for (let s = 1; s <= k; s++) {
      const shift = Math.max(1, Math.round((s * (rows - 1)) / (k + 1)));
      for (let i = 0; i < rows; i++) shifted.set(y.subarray(((i + shift) % rows) * w, ((i + shift) % rows) * w + w), i * w);
      out.push(fisherZ(pearson(x, shifted).r));
    }
  }
  if (w >= 4) {
    const k = Math.min(maxShifts, w - 1);
    for (let s = 1; s <= k; s++) {
      const shift = Math.max(1, Math.round((s * (w - 1)) / (k + 1)));
      for (let i = 0; i < rows; i++) for (let j = 0; j < w; j++) shifted[i * w + j] = y[i * w + ((j + shift) % w)];
      out.push(fisherZ(pearson(x, shifted).r));
    }
  }
  return out;
}

/** Each sampled row minus its projection on the rows' common direction (the normalised column mean): a trained LM
 * head's rows share one strong direction, which row-shifted pairs keep and which would absorb a true copy. */
export function withoutCommonRow(x: Float32Array, rows: number, w: number): Float32Array {
  const u = new Float64Array(w);
  for (let i = 0; i < rows; i++) for (let j = 0; j < w; j++) { const v = x[i * w + j]; if (Number.isFinite(v)) u[j] += v; }
  let norm = 0;
  for (let j = 0; j < w; j++) norm += u[j] * u[j];
  if (!(norm > 0)) return x;
  norm = Math.sqrt(norm);
  for (let j = 0; j < w; j++) u[j] /= norm;
  const out = new Float32Array(x.length);
  for (let i = 0; i < rows; i++) {
    let d = 0;
    for (let j = 0; j < w; j++) d += x[i * w + j] * u[j];
    for (let j = 0; j < w; j++) out[i * w + j] = x[i * w + j] - d * u[j];
  }
  return out;
}

function meanSd(values: number[]): { mean: number; sd: number } {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) * (v - m), 0) / Math.max(1, values.length - 1));
  return { mean: m, sd };
}

function robustCentre(values: number[]): { centre: number; spread: number } {
  const s = [...values].sort((a, b) => a - b);
  const med = s[s.length >> 1];
  const mad = [...s.map((v) => Math.abs(v - med))].sort((a, b) => a - b)[s.length >> 1];
  return { centre: med, spread: 1.4826 * mad };
}

/** Calibrated z and log10 p of one aligned comparison (analytic and empirical nulls). */
export function calibrate(r: number, n: number, nullShift: number[], nullOthers: number[], k: number):
  { z: number; zEmpirical: number | null; log10P: number } {
  const se = 1 / Math.sqrt(Math.max(1, n - 3));
  const fz = fisherZ(r);
  const z = fz / se;
  let lp = log10TwoSided(z);
  let zEmp: number | null = null;
  if (nullShift.length >= 8) {
    const { mean, sd } = meanSd(nullShift);
    const ze = (fz - mean) / Math.max(sd, se);
    zEmp = ze;
    lp = Math.max(lp, log10TwoSided(ze));
  }
  if (nullOthers.length >= 3) {
    const { centre, spread } = robustCentre(nullOthers);
    const zo = (fz - centre) / Math.max(spread, se);
    zEmp = zEmp === null ? zo : (Math.abs(zo) < Math.abs(zEmp) ? zo : zEmp);
    lp = Math.max(lp, log10TwoSided(zo));
  }
  return { z, zEmpirical: zEmp, log10P: log10BestOfK(lp, k) };
}
