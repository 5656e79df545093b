// The statistics' warnings in the display language. src/core/stats/plan.ts writes them as English data, so the stats
// cache and `stats --json` are the same whatever the UI language; the editor's statistics view and the CLI's table
// say them again through a translator. An unknown warning is kept as written.
import { t, Translate } from '../core/l10n';

// Shapes are digits and commas, so the scale tensor's name (untrusted, any text) is whatever follows.
const UNMAPPED_SCALE = /^not dequantised: scale shape \[([\d,]*)\] does not map onto weight shape \[([\d,]*)\] \(([\s\S]*)\)$/;

/** A TensorStats.warning in the translator's language (default: the installed bundle's). */
export function statsWarning(text: string, tr: Translate = t): string {
  const m = UNMAPPED_SCALE.exec(text);
  if (!m) return text;
  return tr('not dequantised: {0} ({1})', tr('scale shape [{0}] does not map onto weight shape [{1}]', m[1], m[2]), m[3]);
}
