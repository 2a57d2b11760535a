#!/usr/bin/env bash
# The machine-translation pull request: one pull request from one fixed branch, never a push to main.
#
#   scripts/ci/translation-pr.sh prepare   before `helpcenter translate`: when the review pull request
#                                          is still open, merge its branch in, so that what it already
#                                          holds is not translated (and billed) again
#   scripts/ci/translation-pr.sh publish   after it: commit the changed catalogs, push the branch and
#                                          open the pull request or update its description
#                                          (`helpcenter report --markdown --ledger`)
#
# Run by .github/workflows/translate.yml from the repository root, with `gh` authenticated (GH_TOKEN)
# and `origin` writable. Settings (environment): HELPCENTER_PR_BRANCH (helpcenter/machine-translations),
# HELPCENTER_PR_BASE (main), HELPCENTER (.venv/bin/helpcenter), TRANSLATIONS (translations).
set -euo pipefail

BRANCH=${HELPCENTER_PR_BRANCH:-helpcenter/machine-translations}
BASE=${HELPCENTER_PR_BASE:-main}
HELPCENTER=${HELPCENTER:-.venv/bin/helpcenter}
TRANSLATIONS=${TRANSLATIONS:-translations}
TITLE="Machine translations to review"
export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-github-actions[bot]}
export GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-41898282+github-actions[bot]@users.noreply.github.com}
export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME}
export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}

open_pr() {  # the number of the open review pull request, or nothing
  gh pr list --head "$BRANCH" --base "$BASE" --state open --json number --jq '.[0].number // empty'
}

remote_branch() {  # the branch's commit as last fetched, or nothing
  git rev-parse -q --verify "refs/remotes/origin/$BRANCH" || true
}

prepare() {
  if ! git fetch -q origin "+refs/heads/$BRANCH:refs/remotes/origin/$BRANCH" 2>/dev/null; then
    echo "no branch $BRANCH yet: translating $BASE as it is"
    return 0
  fi
  local number
  number=$(open_pr)
  if [[ -z $number ]]; then
    echo "no open review pull request: translating $BASE as it is (the branch will be replaced)"
    return 0
  fi
  if git merge -q --no-edit -m "Merge the machine translations under review (#$number)" "origin/$BRANCH"; then
    echo "continuing pull request #$number: its translations are kept, only what changed since is sent"
  else
    git merge --abort
    echo "::warning title=Machine translations start again::the branch of #$number does not merge with $BASE; its translations are redone from $BASE (and billed again)"
  fi
}

publish() {
  if ! git status --porcelain --untracked-files=all -- "$TRANSLATIONS" | grep -q '\.po$'; then
    echo "no catalog changed: nothing to review"
    return 0
  fi
  git add -A -- "$TRANSLATIONS"
  local base_commit
  base_commit=$(git rev-parse --short "origin/$BASE")
  git commit -q -m "Machine translations (DeepL) for $BASE at $base_commit" \
    -m "$(tail -n 1 "$TRANSLATIONS/ledger.tsv" 2>/dev/null || true)"
  # Replace the branch only if it is still what was fetched (or still absent): never lose a commit
  # someone pushed to the pull request meanwhile.
  git push -q --force-with-lease="refs/heads/$BRANCH:$(remote_branch)" origin "HEAD:refs/heads/$BRANCH"

  local body
  body=$(mktemp)
  mapfile -t changed < <(git diff --name-only "origin/$BASE" HEAD -- "$TRANSLATIONS" | grep '\.po$' || true)
  {
    echo "Machine translations from DeepL of what changed in the Japanese articles on \`$BASE\`."
    echo "Review them (contributing/reviewing.md) and merge: nothing here is published before the merge."
    echo
    "$HELPCENTER" report --markdown --ledger "${changed[@]}"
  } >"$body"
  if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
    cat "$body" >>"$GITHUB_STEP_SUMMARY"
  fi
  local number
  number=$(open_pr)
  if [[ -n $number ]]; then
    gh pr edit "$number" --body-file "$body"
    echo "updated pull request #$number"
  else
    gh pr create --base "$BASE" --head "$BRANCH" --title "$TITLE" --body-file "$body"
  fi
  rm -f "$body"
}

case ${1:-} in
  prepare) prepare ;;
  publish) publish ;;
  *)
    echo "usage: $0 prepare|publish" >&2
    exit 2
    ;;
esac
