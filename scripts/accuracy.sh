#!/usr/bin/env bash
# Reproduces the README's accuracy table: crisislint's findings on the labelled corpus of real
# announcements in ../shared/corpus, scored by ../shared/eval/eval.py, with the thresholds of
# issue 3 (precision >= 0.90, recall >= 0.85; a rule with fewer than 10 positive documents may
# have one miss and one false alarm). Exits 1 when a rule falls short.
#
#   scripts/accuracy.sh            # table and thresholds
#   scripts/accuracy.sh --show     # also list each wrongly judged document
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${CRISISLINT_SHARED:-../shared}
if [ ! -x "$shared/eval/eval.py" ] || [ ! -d "$shared/corpus/docs" ]; then
  echo "accuracy: $shared/eval/eval.py and $shared/corpus are needed (set CRISISLINT_SHARED)" >&2
  exit 2
fi
cargo build --release --quiet --locked --bin crisislint
"$shared/eval/eval.py" --bin target/release/crisislint --docs "$shared/corpus/docs" \
  --labels "$shared/corpus/labels.tsv" --min-precision 0.9 --min-recall 0.85 "$@"
