#!/usr/bin/env bash
# The site from the languages the matrix jobs built (each a folder scripts/ci/build-language.sh
# wrote, downloaded as artifacts): what the merge job of .github/workflows/publish.yml runs before
# the deploy. The languages are moved into SITE (replaced), then the files that span them are written.
#
#   scripts/ci/merge-site.sh [PARTS] [SITE]     PARTS defaults to parts, SITE to site
#
# Settings: HELPCENTER (.venv/bin/helpcenter).
set -euo pipefail

HELPCENTER=${HELPCENTER:-.venv/bin/helpcenter}
PARTS=${1:-parts}
SITE=${2:-site}
shopt -s nullglob
parts=("$PARTS"/*/)
if [[ ${#parts[@]} -eq 0 ]]; then
  echo "no language in $PARTS/: download the build jobs' artifacts first" >&2
  exit 2
fi
"$HELPCENTER" build --merge "${parts[@]}" --site-dir "$SITE"
