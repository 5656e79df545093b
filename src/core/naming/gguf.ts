// GGUF tensor names (llama.cpp's): `token_embd`, `blk.N.attn_q`, `ffn_gate`, `output_norm`, `output`, and the `v.`
// (vision tower), `mm.` (projector) and `a.` (audio tower) names of multimodal GGUF files.
import { lookupTable } from '../lookup';
import type { Component } from './components';
import type { ModuleKind } from './kinds';

const ROOTS: Readonly<Record<string, Component>> = lookupTable({
  token_embd: 'language', token_embd_norm: 'language', blk: 'language', output_norm: 'language', output: 'language',
  rope_freqs: 'language', position_embd: 'language', token_types: 'language', v: 'vision', mm: 'projector', a: 'audio',
} as Record<string, Component>);

const LEAVES: Readonly<Record<string, ModuleKind>> = lookupTable({
  token_embd: 'embedding', position_embd: 'position-embedding', token_types: 'embedding', output: 'head', rope_freqs: 'buffer',
  patch_embd: 'patch-embed', class_embd: 'embedding',
  attn_q: 'attn-q', attn_k: 'attn-k', attn_v: 'attn-v', attn_output: 'attn-o', attn_out: 'attn-o', attn_qkv: 'attn-qkv',
  attn_q_a: 'attn-q-a', attn_q_b: 'attn-q-b', attn_kv_a_mqa: 'attn-kv-a', attn_kv_b: 'attn-kv-b',
  ffn_gate: 'mlp-gate', ffn_up: 'mlp-up', ffn_down: 'mlp-down', ffn_gate_inp: 'router',
  ffn_gate_exps: 'mlp-gate', ffn_up_exps: 'mlp-up', ffn_down_exps: 'mlp-down',
  ffn_gate_shexp: 'mlp-gate', ffn_up_shexp: 'mlp-up', ffn_down_shexp: 'mlp-down', ffn_gate_up_exps: 'mlp-gate-up',
} as Record<string, ModuleKind>);

/** Whether a name is written in GGUF's convention (its first segment is one of llama.cpp's roots). */
export function isGgufName(name: string): boolean {
  const dot = name.indexOf('.');
  const root = dot < 0 ? name : name.slice(0, dot);
  return ROOTS[root] !== undefined && (root !== 'output' || name === 'output.weight' || name === 'output.bias');
}

/** Component and module kind of a GGUF name (`param` already removed from `segments`). */
export function ggufRole(segments: string[]): { component: Component; kind: ModuleKind } {
  const component = ROOTS[segments[0]] ?? 'other';
  const named = segments.filter((s) => !/^\d+$/.test(s));
  const leaf = named[named.length - 1] ?? '';
  if (component === 'projector') return { component, kind: 'projector' };
  if (/(^|_)(norm|ln\d*)$/.test(leaf) || leaf.startsWith('ln_') || leaf.endsWith('_norm')) return { component, kind: 'norm' };
  return { component, kind: LEAVES[leaf] ?? 'unknown' };
}
