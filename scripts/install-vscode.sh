#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.100.3 = VS Code 1.100.3, server + web workbench) without
# any download outside the npm registry and Debian's apt, plus Debian chromium for the UI tests.
# Idempotent: a finished install leaves a stamp and later runs return at once.
#
#   usage: bash scripts/install-vscode.sh [DIR]   (default .vscode-test/code-server)
#   env:   CS_VERSION (default 4.100.3), SKIP_APT=1 (you provide rg, g++, make, python3, krb5 headers, chromium)
set -euo pipefail

CS_VERSION="${CS_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${1:-$ROOT/.vscode-test/code-server}"
mkdir -p "$DIR"; DIR="$(cd "$DIR" && pwd)"
CS="$DIR/node_modules/code-server"
VS="$CS/lib/vscode"
STAMP="$DIR/.installed-$CS_VERSION"
T0=$(date +%s)
say() { echo "[install-vscode +$(( $(date +%s) - T0 ))s] $*"; }
cs_cli() { HOME="$DIR/.home" XDG_CONFIG_HOME="$DIR/.home/.config" XDG_DATA_HOME="$DIR/.home/.local/share" \
             node "$CS/out/node/entry.js" "$@"; }

need_apt=()
command -v rg >/dev/null || need_apt+=(ripgrep)          # stands in for @vscode/ripgrep's GitHub download
[ -e /usr/include/krb5.h ] || need_apt+=(libkrb5-dev)     # headers for the kerberos addon
{ command -v g++ && command -v make; } >/dev/null || need_apt+=(build-essential)
command -v python3 >/dev/null || need_apt+=(python3)
command -v chromium >/dev/null || need_apt+=(chromium)    # the UI tests drive Debian's chromium
if [ "${SKIP_APT:-0}" != 1 ] && [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${need_apt[@]}" >/dev/null; }
fi

if [ -f "$STAMP" ] && cs_cli --version >/dev/null 2>&1; then
  say "code-server $CS_VERSION already installed in $DIR"; exit 0
fi
command -v rg >/dev/null || { echo "install-vscode: ripgrep (rg) is missing" >&2; exit 1; }

# node-gyp must build against the local Node headers instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ]; then
  NODE_PREFIX="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -e "$NODE_PREFIX/include/node/node_api.h" ] || { echo "install-vscode: no Node headers under $NODE_PREFIX/include/node" >&2; exit 1; }
  export npm_config_nodedir="$NODE_PREFIX"
fi
NODE_GYP="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || { echo "install-vscode: npm's node-gyp not found at $NODE_GYP" >&2; exit 1; }
export JOBS=max npm_config_build_from_source=true
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false npm_config_loglevel=error

say "npm install code-server@$CS_VERSION (scripts off: its postinstall would download ripgrep)"
cd "$DIR"
[ -f package.json ] || echo '{ "name": "kvm-patch-review-code-server", "private": true }' > package.json
npm install --ignore-scripts --save-exact "code-server@$CS_VERSION" >/dev/null
[ "$(node -p 'process.versions.node.split(".")[0]')" = "$(node -p "require('$CS/package.json').engines.node")" ] \
  || { echo "install-vscode: code-server $CS_VERSION needs Node $(node -p "require('$CS/package.json').engines.node")" >&2; exit 1; }

say "build argon2 from source"
npm rebuild argon2 >/dev/null 2>&1 || npm rebuild argon2 --foreground-scripts

say "install VS Code's own production modules"
(cd "$VS" && npm install --omit=dev --ignore-scripts >/dev/null)
for m in @vscode/spdlog native-watchdog node-pty kerberos; do
  say "node-gyp rebuild $m"
  log="$DIR/.build-${m//\//_}.log"
  (cd "$VS/node_modules/$m" && node "$NODE_GYP" rebuild >"$log" 2>&1) || { tail -30 "$log"; exit 1; }
done
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
ln -sfn "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VS" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar)
(cd "$VS/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VS/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
say "install the built-in extensions' modules"
(cd "$VS/extensions" && npm install --omit=dev --ignore-scripts >/dev/null && node postinstall.mjs >/dev/null)

say "verify"
(cd "$VS" && node --input-type=commonjs -e '
  const p = require("path"), r = m => require(p.resolve("node_modules", m));
  r("node-pty").spawn; r("@vscode/spdlog").createRotatingLogger; r("native-watchdog").start;
  r("kerberos").initializeClient; r("@parcel/watcher").subscribe;
  require("fs").statSync(r("@vscode/ripgrep").rgPath);')
cs_cli --version 2>/dev/null | grep -q "with Code" || { echo "install-vscode: code-server --version failed" >&2; exit 1; }
touch "$STAMP"
say "done: code-server $CS_VERSION in $DIR"
