#!/usr/bin/env bash
# Submit the shards as a job array and the merge as a job that starts when all of them succeeded.
#   bash deploy/slurm/submit.sh            (from the directory where shards/ and results/ should go)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p logs
array=$(sbatch --parsable "$here/shards.sbatch")
sbatch --dependency="afterok:${array}" "$here/merge.sbatch"
