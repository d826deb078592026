#!/usr/bin/env bash
# The must-show measurement of docs/eval.md on Gemma-3-270M, one resumable `lna eval` per language so that a
# run stopped by a deadline leaves complete cells of the languages it reached:
#   topic           SIB-200 topic accuracy, 0-shot, baseline and the language's own specific+related neurons off;
#   translate       en→X chrF/chrF++ and output-language rate, 1 shot, plain prompting and steering toward X;
#   topic-specific  the same as topic with the specific neurons only;
#   topic-cross     the full grid (every language's specific+related neurons off, on every column);
#   topic-cross-specific  the same with the specific neurons only, half the items per cell (ITEMS_PER_CELL / 2).
# Masks: `lna activation` + `lna autosweep` on the built-in corpus (the default `lna run`), unless RUN_DIR has them.
# Usage: scripts/dev/eval-gemma-sib200.sh [RUN_DIR] [ITEMS_PER_CELL] [TRANSLATION_ITEMS]
#        PHASES="topic translate" LANGS=en,fr scripts/dev/eval-gemma-sib200.sh …
# Summaries: python3 scripts/dev/eval-summary.py RUN_DIR/eval-*/eval.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run="${1:-/tmp/lna-runs/gemma-eval}"
n="${2:-100}"
nt="${3:-50}"
lna="${LNA:-$here/.build/release/lna}"
export LNA_MODELS_DIR="${LNA_MODELS_DIR:-/work/models}" LNA_SHARED_DIR="${LNA_SHARED_DIR:-/work/shared}"
langs="${LANGS:-en,zh,es,fr,de,ja,ru,bn,th,sw}"
phases="${PHASES:-topic translate topic-specific}"
mkdir -p "$run"
[ -f "$run/activations/sw.safetensors" ] || "$lna" activation -m gemma3-270m -d builtin --split train -l en,zh,es,fr,de,ja,ru,bn,th,sw --out "$run/activations" --resume
[ -f "$run/masks.json" ] || "$lna" autosweep --activations "$run/activations" --out "$run" > "$run/autosweep.txt"

topic() {   # topic CLASSES LANG (a language with its eval.json is done)
  [ -f "$run/eval-topic-$1/$2/eval.json" ] && return 0
  "$lna" eval -m gemma3-270m --task sib200-topic -l "$2" --shots 0 --limit "$n" \
    --masks "$run/masks.json" --deactivate "$2" --classes "$1" --out "$run/eval-topic-$1/$2"
}
for phase in $phases; do
  case "$phase" in
    topic) for l in ${langs//,/ }; do topic specific+related "$l"; done ;;
    topic-specific) for l in ${langs//,/ }; do topic specific "$l"; done ;;
    topic-cross)
      "$lna" eval -m gemma3-270m --task sib200-topic -l "$langs" --shots 0 --limit "$n" --masks "$run/masks.json" \
        --deactivate all --classes specific+related --out "$run/eval-topic-cross" ;;
    topic-cross-specific)
      "$lna" eval -m gemma3-270m --task sib200-topic -l "$langs" --shots 0 --limit "$((n / 2))" --masks "$run/masks.json" \
        --deactivate all --classes specific --out "$run/eval-topic-cross-specific" ;;
    translate)
      # Greedy, 1 shot (the same for every item), at most 64 new tokens, stop at the newline.
      for l in ${langs//,/ }; do
        [ "$l" = en ] || [ -f "$run/eval-translate/$l/eval.json" ] && continue
        "$lna" eval -m gemma3-270m --task translate --direction en-x -l "$l" --shots 1 --fixed-shots --limit "$nt" \
          --max-tokens 64 --masks "$run/masks.json" --stats "$run/activations" --steer '{lang}+mean' \
          --out "$run/eval-translate/$l"
      done ;;
    *) echo "unknown phase $phase" >&2; exit 2 ;;
  esac
done
