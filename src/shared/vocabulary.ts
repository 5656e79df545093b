// The closed lists host and webview check messages and saved state against, each written once: components (from
// core's naming), tensor sort keys (core's inventory), and the editor's views.
export { COMPONENTS } from '../core/naming/components';
export { TENSOR_SORT_KEYS } from '../core/inventory/types';

export const VIEW_NAMES = ['overview', 'tensors', 'statistics', 'provenance', 'findings'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
