#!/usr/bin/env bash
# Declare or clear the incident in progress and commit data/active_incident.yml to main: what
# .github/workflows/incident.yml runs before it publishes the site.
#
# Input (environment, as the workflow's inputs): ACTION (declare|clear), INCIDENT (a type: a file in
# docs/incidents/), START (ISO 8601 with a timezone; empty: now), NOTE_JA, NOTE_EN (optional notes).
# Settings: HELPCENTER (.venv/bin/helpcenter), HELPCENTER_INCIDENT_BRANCH (main).
# Output: `sha=<the commit to publish>` and `changed=true|false` in $GITHUB_OUTPUT (or on stdout).
set -euo pipefail

HELPCENTER=${HELPCENTER:-.venv/bin/helpcenter}
BRANCH=${HELPCENTER_INCIDENT_BRANCH:-main}
FILE=${HELPCENTER_INCIDENT_FILE:-data/active_incident.yml}
OUTPUT=${GITHUB_OUTPUT:-/dev/stdout}
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-github-actions[bot]}
export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME}
export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}

case ${ACTION:-} in
  declare)
    args=(declare "${INCIDENT:?INCIDENT: the incident type to declare}")
    [[ -n ${START:-} ]] && args+=(--start "$START")
    [[ -n ${NOTE_JA:-} ]] && args+=(--note "ja=$NOTE_JA")
    [[ -n ${NOTE_EN:-} ]] && args+=(--note "en=$NOTE_EN")
    ;;
  clear) args=(clear) ;;
  *)
    echo "ACTION must be declare or clear, not '${ACTION:-}'" >&2
    exit 2
    ;;
esac

summary=$("$HELPCENTER" incident "${args[@]}")
echo "$summary"
if [[ -e $FILE ]] || git ls-files --error-unmatch -- "$FILE" >/dev/null 2>&1; then
  git add -A -- "$FILE"
fi
if git diff --cached --quiet -- "$FILE"; then
  echo "main already says so: nothing to commit"
  echo "changed=false" >>"$OUTPUT"
else
  git commit -q -m "Incident banner: $summary" -m "By the incident workflow (helpcenter incident ${args[*]})."
  for attempt in 1 2 3; do  # main may have moved since the checkout: replay the commit on top of it
    if git push -q origin "HEAD:refs/heads/$BRANCH"; then
      break
    fi
    if [[ $attempt -eq 3 ]]; then
      echo "::error::could not push to $BRANCH (is it protected against the workflow's pushes?)" >&2
      exit 1
    fi
    git pull -q --rebase origin "$BRANCH"
  done
  echo "changed=true" >>"$OUTPUT"
fi
echo "sha=$(git rev-parse HEAD)" >>"$OUTPUT"
