// The "Review Findings" side bar view: the findings of every open checkpoint, grouped by checkpoint and component.
// A click reveals the finding's tensor or component in the checkpoint editor; the context menu confirms, rejects
// or deletes (commands in reviewCommands.ts).
import * as vscode from 'vscode';
import { t } from '../../core/l10n';
import type { Finding } from '../../shared/protocol';
import {
  CONFIDENCE_LABEL, findingVerdictLabel, groupFindings, rationaleLine, shortTime, STATE_ICON, STATE_LABEL, summaryText, targetLabel, VERDICT_LABEL, type FindingGroup,
} from '../../shared/findingsView';
import type { DocumentReview } from './documentReview';

export const FINDINGS_VIEW = 'weightprint.reviewFindings';
export const REVEAL_FINDING_COMMAND = 'weightprint.revealFinding';

export type FindingsNode =
  | { kind: 'checkpoint'; review: DocumentReview }
  | { kind: 'group'; review: DocumentReview; group: FindingGroup; label: string; findings: Finding[] }
  | { kind: 'finding'; review: DocumentReview; finding: Finding };

const STATUS_ICON: Record<string, string> = {
  'hash-mismatch': 'warning', unreadable: 'error', 'newer-schema': 'warning', 'read-only': 'lock', unavailable: 'circle-slash',
};

export class FindingsTreeProvider implements vscode.TreeDataProvider<FindingsNode>, vscode.Disposable {
  private readonly reviews = new Map<string, DocumentReview>();
  private readonly emitter = new vscode.EventEmitter<FindingsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** Called by every document review after a change (and when it is disposed). */
  changed(review: DocumentReview, disposed: boolean): void {
    if (disposed) {
      if (this.reviews.get(review.uri) === review) this.reviews.delete(review.uri);
    } else {
      this.reviews.set(review.uri, review);
    }
    // Coalesce bursts (a merge and its write) into one refresh.
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.emitter.fire(undefined);
        void vscode.commands.executeCommand('setContext', 'weightprint.hasOpenReviews', this.reviews.size > 0);
      }, 50);
    }
  }

  all(): DocumentReview[] {
    return [...this.reviews.values()].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  }

  review(uri: string): DocumentReview | undefined {
    return this.reviews.get(uri);
  }

  getChildren(node?: FindingsNode): FindingsNode[] {
    if (!node) return this.all().map((review) => ({ kind: 'checkpoint', review }));
    if (node.kind === 'checkpoint') {
      const r = node.review;
      return groupFindings(r.findings, (n) => r.componentOf(n)).map((g) => ({ kind: 'group', review: r, group: g.group, label: g.label, findings: g.findings }));
    }
    if (node.kind === 'group') return node.findings.map((finding) => ({ kind: 'finding', review: node.review, finding }));
    return [];
  }

  getTreeItem(node: FindingsNode): vscode.TreeItem {
    if (node.kind === 'checkpoint') {
      const r = node.review;
      const status = r.status();
      const item = new vscode.TreeItem(r.title, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `cp:${r.uri}`;
      item.description = summaryText(r.findings);
      item.tooltip = `${vscode.Uri.parse(r.uri).fsPath}\n${status.message}${status.path ? `\n${t('Review file: {0}', status.path)}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(STATUS_ICON[status.kind] ?? 'file-binary');
      item.contextValue = `weightprint.reviewCheckpoint${r.snapshot().canUndo ? '.canUndo' : ''}`;
      item.resourceUri = undefined;
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `grp:${node.review.uri}:${node.group}`;
      item.description = `${node.findings.length}`;
      item.iconPath = new vscode.ThemeIcon(node.group === 'model' ? 'symbol-module' : 'symbol-namespace');
      item.contextValue = 'weightprint.findingGroup';
      return item;
    }
    const f = node.finding;
    const item = new vscode.TreeItem(t('{0}: {1}', VERDICT_LABEL[f.verdict], targetLabel(f.target)), vscode.TreeItemCollapsibleState.None);
    item.id = `f:${node.review.uri}:${f.id}`;
    item.description = `${STATE_LABEL[f.state]} · ${CONFIDENCE_LABEL[f.confidence]}`;
    item.iconPath = new vscode.ThemeIcon(STATE_ICON[f.state]);
    // Plain text: the rationale is the reviewer's Markdown, never rendered here.
    item.tooltip = t('{0} ({1}, {2} confidence)', findingVerdictLabel(f), STATE_LABEL[f.state], CONFIDENCE_LABEL[f.confidence]) + `\n${targetLabel(f.target)}\n` +
      t('{0} · updated {1}', f.reviewer, shortTime(f.updated)) + (f.rationale ? `\n\n${rationaleLine(f.rationale, 400)}` : '');
    item.contextValue = `weightprint.finding.${f.state}`;
    item.command = { command: REVEAL_FINDING_COMMAND, title: t('Show in Checkpoint Editor'), arguments: [{ uri: node.review.uri, id: f.id }] };
    item.accessibilityInformation = { label: t('{0} finding on {1}, {2}', findingVerdictLabel(f), targetLabel(f.target), STATE_LABEL[f.state]) };
    return item;
  }

  getParent(node: FindingsNode): FindingsNode | undefined {
    if (node.kind === 'checkpoint') return undefined;
    if (node.kind === 'group') return { kind: 'checkpoint', review: node.review };
    return undefined;
  }

  /** The tree as text, for the integration tests. */
  describe(): { label: string; description?: string; status: string; groups: { label: string; findings: { label: string; description: string; contextValue: string }[] }[] }[] {
    return this.all().map((r) => ({
      label: r.title,
      description: summaryText(r.findings),
      status: r.status().kind,
      groups: this.getChildren({ kind: 'checkpoint', review: r }).map((g) => ({
        label: (g as { label: string }).label,
        findings: this.getChildren(g).map((f) => {
          const item = this.getTreeItem(f);
          return { label: String(item.label), description: String(item.description), contextValue: String(item.contextValue) };
        }),
      })),
    }));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
