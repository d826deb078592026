#!/usr/bin/env bash
# Puts the release build of lna on PATH: a symbolic link <bin>/lna → <repo>/.build/release/lna, where <bin> is
# $LNA_BIN_DIR, else ~/.local/bin. Builds first when the binary is missing. Idempotent; says where it installed and,
# when <bin> is not on PATH, the line to add to the shell profile.
# Usage: scripts/install.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="${LNA_BIN_DIR:-$HOME/.local/bin}"
binary="$here/.build/release/lna"

log() { printf '[install] %s\n' "$*" >&2; }

if [ ! -x "$binary" ]; then
  log "building lna (swift build -c release --product lna)"
  (cd "$here" && swift build -c release --product lna)
fi
mkdir -p "$bin_dir"
ln -sfn "$binary" "$bin_dir/lna"
log "installed $bin_dir/lna → $binary"
case ":$PATH:" in
  *":$bin_dir:"*) log "lna is on PATH: try \`lna models list\`" ;;
  *) log "$bin_dir is not on PATH; add it (then open a new shell):"
     log "  echo 'export PATH=\"$bin_dir:\$PATH\"' >> ~/.bashrc" ;;
esac
