#!/usr/bin/env bash
# What a reviewer of a pull request sees on its checks page without running anything: the translation
# status (`helpcenter report --markdown`) and the QA findings (`helpcenter check --warnings`), appended
# to $GITHUB_STEP_SUMMARY (or printed, run by hand). Run by .github/workflows/pr.yml.
set -uo pipefail

HELPCENTER=${HELPCENTER:-.venv/bin/helpcenter}
SUMMARY=${GITHUB_STEP_SUMMARY:-/dev/stdout}
{
  echo "## Translations"
  echo
  "$HELPCENTER" report --markdown 2>&1 || echo "_\`helpcenter report\` failed: see the check step's log._"
  echo
  echo "## QA findings (helpcenter check --warnings)"
  echo
  "$HELPCENTER" check --warnings --format markdown 2>&1
  echo
} >>"$SUMMARY"
exit 0
