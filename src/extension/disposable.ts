// The lifecycle base of the host's long-lived objects, as in VS Code's media preview: what an object creates
// (watchers, subscriptions, listeners) it registers, and disposing it disposes them once, newest first. Something
// registered after disposal is disposed at once. vscode-free (anything with a dispose method).

export interface DisposableLike {
  dispose(): unknown;
}

export abstract class Disposable implements DisposableLike {
  private disposedFlag = false;
  private readonly owned: DisposableLike[] = [];

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  protected register<T extends DisposableLike>(d: T): T {
    if (this.disposedFlag) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // one owner's failure does not keep the others alive
      }
    }
  }
}
