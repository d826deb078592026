#!/bin/bash
# Record SIB-200 statistics on many machines: one Slurm array task per shard, then sum the shards.
#
#   sbatch --array=0-$((N-1)) scripts/dev/recording-slurm.sh        # N shards, e.g. N=16
#   (after all tasks finished)  scripts/dev/recording-slurm.sh merge
#
# Every task writes <out>/<lang>.shard-<i>-of-<N>.safetensors; requeued or preempted tasks continue from their
# checkpoint (--resume), so `sbatch --requeue` is safe. Statistics are additive counts, so the merged files equal
# a single-machine run exactly (over_zero, total_tokens; sum_act to Double rounding).
#SBATCH --job-name=lna-activation
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail
N=${N:-16}
MODEL=${MODEL:-gemma3-270m}
DATA=${DATA:-shared/datasets/sib200}
OUT=${OUT:-runs/sib200/shards}
LANGS=${LANGS:-en,zh,es,fr,de,ja,ru,bn,th,sw}

if [ "${1:-}" = "merge" ]; then
    for lang in ${LANGS//,/ }; do
        lna merge "$OUT"/"$lang".shard-*-of-"$N".safetensors --out runs/sib200/activations/"$lang".safetensors
    done
    exit 0
fi

lna activation --model "$MODEL" -l "$LANGS" -d "$DATA" --split train \
    --shard "$SLURM_ARRAY_TASK_ID/$N" --resume --out "$OUT"
