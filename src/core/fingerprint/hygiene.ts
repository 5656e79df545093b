// Reference-library hygiene: where each fingerprint came from (model.origin) and which entries look like duplicates
// or stale revisions. vscode-free; the Reference Library view (src/extension/library/referenceLibrary.ts) shows the result.
import { t } from '../l10n';
import type { FingerprintOrigin } from './types';

/** What hygiene needs of a library entry (a LibraryModelSummary or a loaded fingerprint's model). */
export interface HygieneInput {
  id: string;
  headerHash: string;
  origin?: FingerprintOrigin | null;
}

export type HygieneIssue =
  /** Same header hash as another entry: the same tensors (names, shapes, dtypes, files) fingerprinted twice. */
  | { kind: 'duplicate-header'; others: string[] }
  /** Same repo (and path) and revision as another entry fetched remotely. */
  | { kind: 'duplicate-revision'; others: string[]; repo: string; revision: string }
  /** Same repo (and path) fetched at another commit later: this (older) fetch may be out of date. */
  | { kind: 'stale'; newer: string; repo: string; commit: string | null; newerCommit: string | null };

export interface HygieneReport {
  /** Issues by entry id (entries without issues are absent). */
  issues: Map<string, HygieneIssue[]>;
}

/** The Hub URL of an origin: endpoint/repo/tree/revision[/path]. Never holds credentials (the origin has none). */
export function originUrl(o: FingerprintOrigin): string {
  const base = o.endpoint.replace(/\/+$/, '');
  return `${base}/${o.repo}/tree/${encodeURIComponent(o.revision)}${o.path ? `/${o.path}` : ''}`;
}

/** One line: "Qwen/Qwen2.5-0.5B@main (commit 1234567) · fetched 2026-11-26". */
export function originDescription(o: FingerprintOrigin): string {
  const repo = `${o.repo}${o.path ? `/${o.path}` : ''}`;
  const fetched = o.fetchedAt.slice(0, 10);
  return o.commit
    ? t('{0}@{1} (commit {2}) · fetched {3}', repo, o.revision, o.commit.slice(0, 7), fetched)
    : t('{0}@{1} · fetched {2}', repo, o.revision, fetched);
}

function repoKey(o: FingerprintOrigin): string {
  return `${o.endpoint.replace(/\/+$/, '').toLowerCase()}\n${o.repo.toLowerCase()}\n${o.path}`;
}

/** Text of one issue, for tree descriptions and tooltips. */
export function issueText(issue: HygieneIssue): string {
  switch (issue.kind) {
    case 'duplicate-header': return t('duplicate: same header hash as {0}', issue.others.join(', '));
    case 'duplicate-revision': return t('duplicate: {0}@{1} is also {2}', issue.repo, issue.revision, issue.others.join(', '));
    case 'stale':
      if (!issue.newerCommit) return t('stale? {0} holds a later fetch of {1}', issue.newer, issue.repo);
      return issue.commit
        ? t('stale? {0} holds a later fetch of {1} (commit {2} vs {3})', issue.newer, issue.repo, issue.newerCommit.slice(0, 7), issue.commit.slice(0, 7))
        : t('stale? {0} holds a later fetch of {1} (commit {2})', issue.newer, issue.repo, issue.newerCommit.slice(0, 7));
  }
}

/**
 * Flags duplicates (same headerHash, or same repo+path+revision fetched twice) and stale revisions (same repo+path at
 * different commits: every fetch but the latest is "stale?"). Deterministic for the same entries in any order.
 */
export function libraryHygiene(entries: readonly HygieneInput[]): HygieneReport {
  const issues = new Map<string, HygieneIssue[]>();
  const push = (id: string, issue: HygieneIssue) => issues.set(id, [...(issues.get(id) ?? []), issue]);
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const byHash = new Map<string, string[]>();
  for (const e of sorted) if (e.headerHash) byHash.set(e.headerHash, [...(byHash.get(e.headerHash) ?? []), e.id]);
  for (const ids of byHash.values()) {
    if (ids.length < 2) continue;
    for (const id of ids) push(id, { kind: 'duplicate-header', others: ids.filter((x) => x !== id) });
  }

  const byRepo = new Map<string, { id: string; origin: FingerprintOrigin }[]>();
  for (const e of sorted) {
    if (!e.origin) continue;
    const k = repoKey(e.origin);
    byRepo.set(k, [...(byRepo.get(k) ?? []), { id: e.id, origin: e.origin }]);
  }
  for (const group of byRepo.values()) {
    if (group.length < 2) continue;
    const byRevision = new Map<string, string[]>();
    for (const g of group) byRevision.set(g.origin.revision, [...(byRevision.get(g.origin.revision) ?? []), g.id]);
    for (const [revision, ids] of byRevision) {
      if (ids.length < 2) continue;
      for (const id of ids) push(id, { kind: 'duplicate-revision', others: ids.filter((x) => x !== id), repo: group[0].origin.repo, revision });
    }
    const commits = new Set(group.map((g) => g.origin.commit ?? `?${g.origin.revision}`));
    if (commits.size < 2) continue;
    const latest = group.reduce((a, b) => (b.origin.fetchedAt > a.origin.fetchedAt || (b.origin.fetchedAt === a.origin.fetchedAt && b.id > a.id) ? b : a));
    const latestCommit = latest.origin.commit ?? `?${latest.origin.revision}`;
    for (const g of group) {
      if ((g.origin.commit ?? `?${g.origin.revision}`) === latestCommit) continue;
      push(g.id, { kind: 'stale', newer: latest.id, repo: g.origin.repo, commit: g.origin.commit, newerCommit: latest.origin.commit });
    }
  }
  return { issues };
}
