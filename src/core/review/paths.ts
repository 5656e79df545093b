// Where a checkpoint's review store lives.
import { basename, join } from 'node:path';
import type { Checkpoint } from '../format/checkpoint';

export const REVIEW_SUFFIX = '.review.json';

/**
 * - one file `x.safetensors` → `x.safetensors.review.json` beside it;
 * - a sharded set → beside the index, `model.safetensors.index.json` → `model.safetensors.index.review.json`;
 * - a folder of unindexed .safetensors files → `<folder>/<folder name>.review.json`.
 */
export function reviewPathFor(checkpoint: Pick<Checkpoint, 'kind' | 'folder' | 'files'> & { indexPath?: string }): string {
  if (checkpoint.kind === 'sharded' && checkpoint.indexPath) return checkpoint.indexPath.replace(/\.json$/i, '') + REVIEW_SUFFIX;
  if (checkpoint.kind === 'file' && checkpoint.files.length === 1) return checkpoint.files[0].path + REVIEW_SUFFIX;
  return join(checkpoint.folder, basename(checkpoint.folder) + REVIEW_SUFFIX);
}

/** The name a review records for its checkpoint (for display only; the header hash is the key). */
export function checkpointDisplayName(checkpoint: Pick<Checkpoint, 'kind' | 'folder' | 'files'> & { indexPath?: string }): string {
  if (checkpoint.kind === 'sharded' && checkpoint.indexPath) return basename(checkpoint.indexPath);
  if (checkpoint.kind === 'file' && checkpoint.files.length === 1) return checkpoint.files[0].name;
  return basename(checkpoint.folder);
}
