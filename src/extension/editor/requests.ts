// The host's side of the webview's requests (src/shared/protocol.ts, `Requests`): one table, per method a check of
// its params and what answers it. Every request with an id gets exactly one reply: the result, or an error for a
// failure, an unknown method or params that do not fit. vscode-free; the webview tests drive this same table with a
// session made from their fixtures.
import type { ErrorInfo, FindingChange, FindingDraft, FindingState, Method, Params, ReplyMessage, Requests, TensorDetail, TensorPage, TensorQuery, TensorStats, TreeNode } from '../../shared/protocol';
import { COMPONENTS, TENSOR_SORT_KEYS } from '../../shared/vocabulary';
import { parseFindingDraft } from '../../shared/findingsView';
import { t } from '../../core/l10n';
import { ReviewStoreError } from '../../core/review';
import type { AuditResult, ComponentName, TensorSortKey } from '../../shared/protocol';
import { toErrorInfo } from './checkpointSession';

/** What the requests read: the checkpoint's inventory (a real session, or a fixture's in the webview tests). */
export interface RequestSession {
  query(q: TensorQuery): TensorPage;
  treeChildren(path: string): TreeNode[];
  detail(id: number): Promise<TensorDetail>;
}

/** The findings changes a request can make (the document's DocumentReview). */
export interface RequestReview {
  add(draft: FindingDraft, audit?: AuditResult): Promise<{ id: string }>;
  update(id: string, draft: FindingDraft): Promise<{ id: string }>;
  setState(id: string, state: FindingState): Promise<{ id: string }>;
  remove(id: string): Promise<{ id: string }>;
  undo(): Promise<boolean>;
}

/** Everything a request may use; each getter throws a readable error when the panel has no such thing. */
export interface RequestContext {
  session(): Promise<RequestSession>;
  tensorStats(id: number): TensorStats | null;
  review(): RequestReview;
  auditOutcome?(): AuditResult | undefined;
  saveReviewAs?(): PromiseLike<boolean>;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 200;
const SORT_KEYS: ReadonlySet<string> = new Set<string>(TENSOR_SORT_KEYS);
export const COMPONENT_SET: ReadonlySet<string> = new Set<string>(COMPONENTS);
const FINDING_STATES: ReadonlySet<string> = new Set<FindingState>(['suggested', 'confirmed', 'rejected']);

export function parseQuery(v: unknown): TensorQuery | undefined {
  if (!isObj(v)) return undefined;
  const { filter, regex, component, prefix, sortKey, descending, start, count } = v;
  if (typeof filter !== 'string' || typeof regex !== 'boolean' || typeof descending !== 'boolean') return undefined;
  if (typeof sortKey !== 'string' || !SORT_KEYS.has(sortKey)) return undefined;
  if (!isInt(start) || !isInt(count) || start < 0 || count < 0) return undefined;
  if (component !== undefined && (typeof component !== 'string' || !COMPONENT_SET.has(component))) return undefined;
  if (prefix !== undefined && typeof prefix !== 'string') return undefined;
  return {
    filter, regex, sortKey: sortKey as TensorSortKey, descending, start, count,
    ...(component !== undefined ? { component: component as ComponentName } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
  };
}

function draftOf(v: unknown): FindingDraft | undefined {
  try {
    return parseFindingDraft(v);
  } catch {
    return undefined;
  }
}

/** A findings change: its id when it made one; a change kept in memory (read-only folder) says why. */
async function change(run: () => Promise<{ id: string } | boolean | void>): Promise<FindingChange> {
  try {
    const r = await run();
    return r && typeof r === 'object' ? { findingId: r.id } : {};
  } catch (e) {
    if (e instanceof ReviewStoreError && e.code === 'read-only') return { kept: e.message };
    throw e;
  }
}

interface Handler<M extends Method> {
  parse(p: Obj): Params<M> | undefined;
  run(ctx: RequestContext, p: Params<M>): Promise<Requests[M]['result']>;
}

const none = (): Record<string, never> => ({});

export const HANDLERS: { [M in Method]: Handler<M> } = {
  queryTensors: {
    parse: (p) => { const query = parseQuery(p.query); return query && { query }; },
    run: async (ctx, p) => (await ctx.session()).query(p.query),
  },
  getTreeChildren: {
    parse: (p) => (typeof p.path === 'string' ? { path: p.path } : undefined),
    run: async (ctx, p) => (await ctx.session()).treeChildren(p.path),
  },
  getTensorDetail: {
    parse: (p) => (isInt(p.id) ? { id: p.id } : undefined),
    run: async (ctx, p) => (await ctx.session()).detail(p.id),
  },
  getTensorStats: {
    parse: (p) => (isInt(p.id) ? { id: p.id } : undefined),
    run: async (ctx, p) => { await ctx.session(); return ctx.tensorStats(p.id); },
  },
  addFinding: {
    parse: (p) => { const draft = draftOf(p.draft); return draft && { draft }; },
    run: (ctx, p) => change(() => ctx.review().add(p.draft, ctx.auditOutcome?.())),
  },
  updateFinding: {
    parse: (p) => { const draft = draftOf(p.draft); return draft && isId(p.id) ? { id: p.id, draft } : undefined; },
    run: (ctx, p) => change(() => ctx.review().update(p.id, p.draft)),
  },
  setFindingState: {
    parse: (p) => (isId(p.id) && typeof p.state === 'string' && FINDING_STATES.has(p.state) ? { id: p.id, state: p.state as FindingState } : undefined),
    run: (ctx, p) => change(() => ctx.review().setState(p.id, p.state)),
  },
  deleteFinding: {
    parse: (p) => (isId(p.id) ? { id: p.id } : undefined),
    run: (ctx, p) => change(() => ctx.review().remove(p.id)),
  },
  undoFindingChange: { parse: none, run: (ctx) => change(() => ctx.review().undo()) },
  saveReviewAs: {
    parse: none,
    run: (ctx) => change(async () => {
      if (!ctx.saveReviewAs) throw new Error(t('saving the review elsewhere is not available here'));
      await ctx.saveReviewAs();
    }),
  },
};

/** The id of a raw request envelope, or undefined when there is none to reply to. */
export function requestId(raw: unknown): number | undefined {
  return isObj(raw) && raw.type === 'request' && isInt(raw.id) ? raw.id : undefined;
}

/** Answers one raw request envelope (its id already known): never throws, always one reply. */
export async function answerRequest(ctx: RequestContext, raw: Obj & { id: number }, log: (line: string) => void = () => undefined): Promise<ReplyMessage> {
  const method = typeof raw.method === 'string' ? raw.method : '';
  const fail = (error: ErrorInfo): ReplyMessage => ({ type: 'reply', id: raw.id, method, ok: false, error });
  if (!Object.prototype.hasOwnProperty.call(HANDLERS, method)) return fail({ message: t('unknown request {0}', method.slice(0, 60)), code: 'bad-request' });
  const handler = HANDLERS[method as Method] as Handler<Method>;
  const params = isObj(raw.params) ? handler.parse(raw.params) : undefined;
  if (!params) return fail({ message: t('the request {0} does not have the expected parameters', method), code: 'bad-request' });
  try {
    return { type: 'reply', id: raw.id, method, ok: true, result: await handler.run(ctx, params) };
  } catch (e) {
    const error = toErrorInfo(e);
    if (e instanceof ReviewStoreError) error.code = e.code;
    log(`webview request ${method} failed: ${error.message}`);
    return fail(error);
  }
}
