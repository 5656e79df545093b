// The components a checkpoint is divided into, once for every layer (naming, inventory, review, host, webview).
export const COMPONENTS = ['language', 'vision', 'audio', 'projector', 'other'] as const;
export type Component = (typeof COMPONENTS)[number];
