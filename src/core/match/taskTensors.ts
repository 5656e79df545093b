// Task-determined tensors: vectors indexed by the label space (output biases, per-class or per-coordinate vectors).
// Two models trained for the same task learn them alike (the mean face shape, class priors), so their agreement says
// the task is the same, not that weights were reused; they are shown but never decide a verdict.

export interface ShapeRole { shape: readonly number[]; layer: number | null }

/**
 * Flags 1-D tensors whose length is an output width: the rows of a matrix outside the repeated blocks that no matrix
 * reads (no tensor's second dimension has it) and that no tensor inside the blocks has as its first dimension.
 */
export function taskDetermined(tensors: readonly ShapeRole[]): boolean[] {
  const consumed = new Set<number>();
  const inner = new Set<number>();
  const outputs = new Set<number>();
  for (const t of tensors) {
    if (t.shape.length < 2) continue;
    consumed.add(t.shape[1]);
    if (t.layer !== null) inner.add(t.shape[0]);
  }
  for (const t of tensors) {
    if (t.shape.length >= 2 && t.layer === null && !consumed.has(t.shape[0]) && !inner.has(t.shape[0])) outputs.add(t.shape[0]);
  }
  return tensors.map((t) => t.shape.length === 1 && outputs.has(t.shape[0]));
}
