// What a tensor does in its model, as the matching and the reports name it.
export const MODULE_KINDS = [
  'embedding', 'position-embedding', 'patch-embed', 'head',
  'attn-q', 'attn-k', 'attn-v', 'attn-o', 'attn-qkv', 'attn-q-a', 'attn-q-b', 'attn-kv-a', 'attn-kv-b',
  'mlp-gate', 'mlp-up', 'mlp-down', 'mlp-gate-up', 'router',
  'norm', 'conv', 'projector', 'buffer', 'unknown',
] as const;
export type ModuleKind = (typeof MODULE_KINDS)[number];
