#!/bin/bash
# VolSeg batch segmentation as a SLURM job array: task K of N runs `volseg batch --shard K/N`.
# Tested on a single-node SLURM by src/test/java/org/volseg/cli/SlurmArrayTest.java; see docs/batch.md.
#
#   sbatch --array=1-N [--cpus-per-task=C --mem=M --time=T] volseg-array.sh MODEL INPUT OUTPUT [volseg batch options]
#
# N is ${SLURM_ARRAY_TASK_COUNT}. To run some tasks again (a task that was cancelled, timed out or
# preempted), submit only those with the original N in VOLSEG_SHARDS (sbatch passes the environment):
#
#   VOLSEG_SHARDS=N sbatch --array=2,5 volseg-array.sh MODEL INPUT OUTPUT [options]
#
# VOLSEG is the command that runs VolSeg's command line (default: `volseg` on the PATH; split at
# spaces, so it may carry arguments).
# Every task writes OUTPUT/summary-shard-K-of-N.csv; once all have finished, one run without
# --shard writes OUTPUT/summary.csv with every input (finished inputs are skipped in seconds).
#SBATCH --job-name=volseg
#SBATCH --output=volseg-%A_%a.log
set -euo pipefail
if [ $# -lt 3 ]; then
	echo "usage: sbatch --array=1-N $0 MODEL INPUT OUTPUT [volseg batch options]" >&2
	exit 2
fi
if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
	echo "$0: SLURM_ARRAY_TASK_ID is not set: submit with sbatch --array=1-N" >&2
	exit 2
fi
model=$1 input=$2 output=$3
shift 3
shards=${VOLSEG_SHARDS:-${SLURM_ARRAY_TASK_COUNT}}
threads=()
# With --cpus-per-task=C, TensorFlow uses C threads (do not also pass --threads); else all cores.
if [ -n "${SLURM_CPUS_PER_TASK:-}" ]; then threads=(--threads "$SLURM_CPUS_PER_TASK"); fi
# exec: scancel's SIGTERM reaches VolSeg itself, which cancels the current file (leaving no output
# for it) and keeps the shard summary of what finished.
exec ${VOLSEG:-volseg} batch --model "$model" --input "$input" --output "$output" \
	"${threads[@]}" --shard "${SLURM_ARRAY_TASK_ID}/${shards}" "$@"
