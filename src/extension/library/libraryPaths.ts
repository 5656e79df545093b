// Expansion of `weightprint.libraryPaths` entries into absolute folders. vscode-free.
import { isAbsolute, join, resolve } from 'node:path';
import { t } from '../../core/l10n';

export interface PathContext {
  /** Workspace folders: name and file-system path, first one is `${workspaceFolder}`. */
  workspaceFolders: { name: string; path: string }[];
  home: string;
  /** The library folder in the extension's global storage: always first, where adds and imports go. */
  defaultFolder: string;
}

export interface ExpandedPaths {
  folders: string[];
  /** Entries that could not be expanded (e.g. `${workspaceFolder}` with no folder open), with the reason. */
  problems: { entry: string; reason: string }[];
}

/**
 * Expands `~`, `${workspaceFolder}`, `${workspaceFolder:name}`, `${userHome}` and `${env:NAME}`; a relative path is
 * taken relative to the first workspace folder. The default folder comes first; duplicates are dropped.
 */
export function expandLibraryPaths(entries: readonly string[], ctx: PathContext): ExpandedPaths {
  const folders = [resolve(ctx.defaultFolder)];
  const problems: ExpandedPaths['problems'] = [];
  for (const entry of entries) {
    let missing: string | undefined;
    let p = entry.trim().replace(/\$\{(workspaceFolder(?::([^}]+))?|userHome|env:([^}]+))\}/g, (whole, _all: string, name?: string, env?: string) => {
      if (whole === '${userHome}') return ctx.home;
      if (env !== undefined) return process.env[env] ?? '';
      const folder = name === undefined ? ctx.workspaceFolders[0] : ctx.workspaceFolders.find((f) => f.name === name);
      if (!folder) {
        missing = name === undefined ? t('no workspace folder is open') : t('no workspace folder is named {0}', JSON.stringify(name));
        return '';
      }
      return folder.path;
    });
    if (missing) {
      problems.push({ entry, reason: missing });
      continue;
    }
    if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) p = join(ctx.home, p.slice(1));
    if (!isAbsolute(p)) {
      const base = ctx.workspaceFolders[0]?.path;
      if (!base) {
        problems.push({ entry, reason: t('a relative path needs an open workspace folder') });
        continue;
      }
      p = join(base, p);
    }
    const abs = resolve(p);
    if (!folders.includes(abs)) folders.push(abs);
  }
  return { folders, problems };
}
