#!/usr/bin/env bash
# One language of the site, into the folder a matrix job uploads as its artifact: what each job of
# the `build` matrix in .github/workflows/publish.yml and pr.yml runs (README "Performance").
#
#   scripts/ci/build-language.sh LANG [OUT]     OUT defaults to parts/LANG
#
# Settings: HELPCENTER (.venv/bin/helpcenter).
set -euo pipefail

HELPCENTER=${HELPCENTER:-.venv/bin/helpcenter}
LANG_CODE=${1:?usage: $0 LANG [OUT]}
OUT=${2:-parts/$LANG_CODE}
"$HELPCENTER" build --language "$LANG_CODE" --out "$OUT"
