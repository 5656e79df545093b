// The read-only custom editor for .safetensors files and sharded-checkpoint index files.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { closeChangedCheckpoint, watchCheckpoint } from './checkpointWatcher';
import { CheckpointDocument } from './checkpointDocument';
import type { DocumentRegistry } from './openDocuments';
import type { JobsEnvironment } from '../jobs/documentJobs';
import type { ReviewEnvironment } from '../review/documentReview';
import { MessageRouter } from './messageRouter';
import { PanelRegistry } from './panelRegistry';
import { maxHeaderBytes } from '../settings';
import { makeNonce, renderWebviewHtml } from './webviewHtml';

import { VIEW_TYPE_FILE, VIEW_TYPE_INDEX } from './viewTypes';

export { VIEW_TYPE_FILE, VIEW_TYPE_INDEX };

/** Where the codicon stylesheet may be, first match wins: a copy among our assets, else the npm package. */
const CODICON_CANDIDATES = [
  ['media', 'codicons', 'codicon.css'],
  ['dist', 'codicons', 'codicon.css'],
  ['node_modules', '@vscode', 'codicons', 'dist', 'codicon.css'],
];

interface Assets {
  script: vscode.Uri;
  style: vscode.Uri;
  codicon: vscode.Uri;
  roots: vscode.Uri[];
}

export function resolveAssets(extensionUri: vscode.Uri): Assets {
  // The build writes both the script and the stylesheet (joined from media/styles) to dist/.
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const found = CODICON_CANDIDATES.find((parts) => fs.existsSync(vscode.Uri.joinPath(extensionUri, ...parts).fsPath)) ?? CODICON_CANDIDATES[2];
  const codicon = vscode.Uri.joinPath(extensionUri, ...found);
  const codiconDir = vscode.Uri.joinPath(codicon, '..');
  const roots = [dist];
  if (!roots.some((r) => codiconDir.path === r.path || codiconDir.path.startsWith(r.path + '/'))) roots.push(codiconDir);
  return { script: vscode.Uri.joinPath(dist, 'webview.js'), style: vscode.Uri.joinPath(dist, 'webview.css'), codicon, roots };
}

/** What the editor shares with the rest of the extension. */
export interface EditorServices {
  /** What each panel was sent and showed: kept only in test mode, for the integration tests' state command. */
  registry?: PanelRegistry;
  log: vscode.LogOutputChannel;
  documents: DocumentRegistry;
  /** The environment of a document's jobs (settings are read per resource). */
  jobsEnvironment(uri: vscode.Uri): JobsEnvironment;
  /** The environment of a document's review store (reviewer name, file watcher). */
  reviewEnvironment?(uri: vscode.Uri): ReviewEnvironment;
  manageLibrary(): PromiseLike<unknown>;
  /** "Add to library…" of an architecture match in the Overview: weightprint.addHubModel with the repo. */
  addHubModel?(repo: string): PromiseLike<unknown>;
  /** "Save Review As…" for a document (save dialog); resolves with whether it was saved. */
  saveReviewAs?(document: CheckpointDocument): PromiseLike<boolean>;
}

/** How long a document opened without an editor waits before reading its checkpoint anyway. */
const LOAD_GRACE_MS = 250;

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

export class CheckpointEditorProvider implements vscode.CustomReadonlyEditorProvider<CheckpointDocument> {
  private readonly registry: PanelRegistry | undefined;
  private readonly log: vscode.LogOutputChannel;

  constructor(
    private readonly viewType: string,
    private readonly extensionUri: vscode.Uri,
    private readonly services: EditorServices,
  ) {
    this.registry = services.registry;
    this.log = services.log;
  }

  static register(context: vscode.ExtensionContext, viewType: string, services: EditorServices): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(viewType, new CheckpointEditorProvider(viewType, context.extensionUri, services), {
      // The webview keeps its UI state with setState and asks the host again after being recreated.
      webviewOptions: { retainContextWhenHidden: false },
      supportsMultipleEditorsPerDocument: true,
    });
  }

  /** Starts reading a document's checkpoint: called once its first panel has its HTML (or after a grace period). */
  private readonly beginLoad = new WeakMap<CheckpointDocument, () => void>();

  openCustomDocument(uri: vscode.Uri): CheckpointDocument {
    let begin!: () => void;
    const started = new Promise<void>((resolve) => { begin = resolve; });
    // VS Code resolves the editor right after opening the document; the timer only covers a document without one.
    const fallback = setTimeout(begin, LOAD_GRACE_MS);
    const document = CheckpointDocument.open(uri, maxHeaderBytes(uri), this.services.jobsEnvironment(uri), this.services.reviewEnvironment?.(uri), started);
    this.beginLoad.set(document, () => {
      clearTimeout(fallback);
      // A macrotask later, so that the HTML has left for the webview before the parse holds the thread.
      setTimeout(begin, 0);
    });
    document.onDidDispose(() => clearTimeout(fallback));
    this.services.documents.add(document);
    document.own(watchCheckpoint(document, (file) => {
      this.log.info(`${file} changed on disk: closing the editors of ${uri.fsPath}`);
      void closeChangedCheckpoint(uri, file, [VIEW_TYPE_FILE, VIEW_TYPE_INDEX]);
    }));
    document.onDidDispose(() => this.services.documents.remove(document));
    void document.load.then((r) => {
      if (r.ok) this.log.info(`opened ${uri.fsPath}: ${r.session.summary.tensors} tensors in ${r.session.summary.files.length} file(s)`);
      else this.log.warn(`cannot open ${uri.toString()}: ${r.error.message}`);
    });
    return document;
  }

  resolveCustomEditor(document: CheckpointDocument, panel: vscode.WebviewPanel): void {
    const state = this.registry?.add(this.viewType, document.uri.toString());
    const assets = resolveAssets(this.extensionUri);
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: assets.roots };
    if (state) state.localResourceRoots = assets.roots.map((r) => r.toString());

    const observer = state && this.registry ? this.registry.observer(state) : {};
    const router = new MessageRouter(document.load, (m) => webview.postMessage(m), observer, (line) => this.log.warn(line), {
      jobs: document.jobs,
      review: document.review,
      saveReviewAs: () => Promise.resolve(this.services.saveReviewAs?.(document) ?? false),
      manageLibrary: () => this.services.manageLibrary(),
      addHubModel: (repo: string) => this.services.addHubModel?.(repo) ?? Promise.resolve(undefined),
    });
    const subscriptions: vscode.Disposable[] = [
      webview.onDidReceiveMessage((m: unknown) => router.handle(m)),
      // Without retainContextWhenHidden a hidden panel's webview is destroyed; the new one says `ready` again.
      panel.onDidChangeViewState(() => { if (!panel.visible) router.webviewGone(); }),
    ];

    const nonce = makeNonce();
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce,
      scriptUri: webview.asWebviewUri(assets.script).toString(),
      styleUri: webview.asWebviewUri(assets.style).toString(),
      codiconUri: webview.asWebviewUri(assets.codicon).toString(),
      title: fileName(document.uri),
      // The webview's strings: the loaded bundle of VS Code's display language (none for English).
      l10n: { locale: vscode.env.language, strings: { ...(vscode.l10n.bundle ?? {}) } },
    });
    this.beginLoad.get(document)?.();
    this.beginLoad.delete(document);
    if (state) {
      // What the panel really got, read back from its HTML (test mode only).
      state.renders++;
      state.csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(webview.html)?.[1]?.replace(/&#39;|&apos;/g, "'");
    }

    panel.onDidDispose(() => {
      router.dispose();
      for (const s of subscriptions) s.dispose();
      if (state) this.registry?.remove(state);
    });
  }
}
