// Debian's nginx as a user-level test server: own prefix and config in a temp dir, a free port on 127.0.0.1,
// `daemon off` and no master process (so it runs as the calling user), stopped by stop(). Serves a folder laid out as
// <root>/<owner>/<repo>/<file> under the Hub's URL layout /{owner}/{repo}/resolve/{revision}/{file} with native Range
// support, and answers X-Repo-Commit like the Hub. Installs nginx-light with apt-get when missing and running as root.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_COMMIT = '0123456789abcdef0123456789abcdef01234567';

export interface NginxServer {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /** Access log lines so far: "<status> <range> <bytes sent> <uri>". */
  accessLog(): string[];
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];

function findNginx(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/** The nginx binary, installing Debian's nginx-light when missing and allowed; else a reason to skip. */
export function ensureNginx(): { bin: string } | { skip: string } {
  let bin = findNginx();
  if (bin) return { bin };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (!root || !apt) return { skip: `nginx is not installed and cannot be installed here (${!root ? 'not root' : 'no apt-get'}); install Debian's nginx-light` };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light'], { env, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8', timeout: 300_000 });
    r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light'], { env, encoding: 'utf8', timeout: 300_000 });
  }
  bin = findNginx();
  return bin ? { bin } : { skip: `apt-get install nginx-light failed: ${(r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').slice(-2).join(' ').slice(0, 300)}` };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`nginx exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not start listening in time');
}

/** Starts nginx serving `root` (<root>/<owner>/<repo>/<file>, symlinks followed). */
export async function startNginx(bin: string, root: string): Promise<NginxServer> {
  const prefix = mkdtempSync(join(tmpdir(), 'wp-nginx-'));
  chmodSync(prefix, 0o755);
  for (const d of ['logs', 'tmp']) mkdirSync(join(prefix, d), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(prefix, 'nginx.conf');
    writeFileSync(conf, `
daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 512; }
http {
  default_type application/octet-stream;
  types { application/json json; }
  sendfile on;
  keepalive_requests 100000;
  log_format hub '$status "$http_range" $body_bytes_sent $request_uri';
  access_log ${prefix}/logs/access.log hub;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    location ~ ^/(?<owner>[^/]+)/(?<repo>[^/]+)/resolve/(?<rev>[^/]+)/(?<file>.+)$ {
      alias ${root}/$owner/$repo/$file;
      add_header X-Repo-Commit ${FAKE_COMMIT} always;
      add_header Accept-Ranges bytes always;
    }
    location / { return 404; }
  }
}
`);
    const child = spawn(bin, ['-p', prefix, '-c', conf, '-e', join(prefix, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => { stderr += d; });
    try {
      await waitForPort(port, child, 10_000);
    } catch (e) {
      lastError = new Error(`${(e as Error).message}: ${stderr.slice(0, 500)} ${readSafe(join(prefix, 'logs', 'error.log')).slice(-500)}`);
      child.kill('SIGKILL');
      continue;
    }
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      accessLog: () => readSafe(join(prefix, 'logs', 'access.log')).split('\n').filter(Boolean),
      stop: async () => {
        if (child.exitCode === null) {
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGQUIT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(prefix, { recursive: true, force: true });
      },
    };
  }
  rmSync(prefix, { recursive: true, force: true });
  throw lastError;
}

function readSafe(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}
