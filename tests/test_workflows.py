"""The GitHub Actions workflows (.github/workflows/) and every command their steps run, run here.

What GitHub runs is only `make` targets, `helpcenter` commands and scripts/ci/*.sh, so each is run
locally: the workflows' own shell snippets are taken from the YAML and run with bash, `git push` goes
to a bare repository in tmp_path, `gh` is a stand-in that records its arguments, DeepL is
tests/deepl_server.py. The workflows themselves are checked with actionlint and by their structure
(permissions, concurrency, pins, where the DeepL secret may appear).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Run, article, make_project
from deepl_server import DeepLServer
from helpcenter import incidents, report
from helpcenter.project import load as load_project
from helpcenter.strings import source
from sitekit import SMALL, copy_site
from sitekit import run as run_venv

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
BIN = Path(sys.executable).parent
SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
BRANCH = "helpcenter/machine-translations"

PAGES = {
    "support/contact.md": article(
        "お問い合わせの方法",
        """
        お問い合わせの前に、登録メールアドレスをご確認ください。

        ## 必要な情報

        - 取引の日時
        - 取引の金額
        """,
    ),
    "outage/status.md": article(
        "障害の状況を確認する",
        """
        障害が起きたときは、公式のステータスページでお知らせします。
        """,
        category="outage",
        incidents=["outage"],
    ),
}


# --- helpers -----------------------------------------------------------------------------------------


def workflow(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as true
        data["on"] = data.pop(True)
    return data


def all_workflows() -> dict[str, dict[str, Any]]:
    return {path.name: workflow(path.name) for path in sorted(WORKFLOWS.glob("*.yml"))}


def step(job: dict[str, Any], name_part: str) -> dict[str, Any]:
    found = [s for s in job["steps"] if name_part in s.get("name", "")]
    assert len(found) == 1, f"one step named like {name_part!r}: {[s.get('name') for s in job['steps']]}"
    return found[0]


def runs(job: dict[str, Any]) -> list[str]:
    return [s["run"].strip() for s in job.get("steps", []) if "run" in s]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=git_env())
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def git_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "HELPCENTER_"))}
    env.update(
        GIT_AUTHOR_NAME="Writer",
        GIT_AUTHOR_EMAIL="writer@example.invalid",
        GIT_COMMITTER_NAME="Writer",
        GIT_COMMITTER_EMAIL="writer@example.invalid",
        GIT_CONFIG_GLOBAL="/dev/null",
        GIT_CONFIG_NOSYSTEM="1",
        NO_MKDOCS_2_WARNING="1",
    )
    env.update(extra)
    return env


def repository(tmp_path: Path, pages: dict[str, str] = PAGES) -> tuple[Path, Path]:
    """A small project committed on main in a clone of a bare `origin` (both in tmp_path)."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True, env=git_env())
    work = make_project(tmp_path / "work", pages)
    (work / ".gitignore").write_text("/translations/.lock\n/site/\n/.cache/\n", encoding="utf-8")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Articles")
    git(work, "remote", "add", "origin", str(origin))
    git(work, "push", "-q", "origin", "main")
    git(work, "fetch", "-q", "origin")
    return work, origin


def fake_gh(tmp_path: Path) -> Path:
    """A `gh` that records each call (arguments, and the body file's text) and keeps one pull request."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir(exist_ok=True)
    gh = bin_dir / "gh"
    gh.write_text(
        textwrap.dedent(
            """\
            #!/usr/bin/env bash
            set -euo pipefail
            state="$FAKE_GH_DIR/pr-number"
            printf '%s\\n' "$*" >> "$FAKE_GH_DIR/calls"
            for ((i = 1; i <= $#; i++)); do
              if [[ ${!i} == --body-file ]]; then j=$((i + 1)); cp "${!j}" "$FAKE_GH_DIR/body.md"; fi
            done
            case "$1 $2" in
              "pr list") [[ -s $state ]] && cat "$state" || true ;;
              "pr create") echo 7 > "$state"; echo "https://github.example/pull/7" ;;
              "pr edit") ;;
              *) echo "fake gh: unexpected $*" >&2; exit 1 ;;
            esac
            """
        ),
        encoding="utf-8",
    )
    gh.chmod(0o755)
    return bin_dir


def bash(
    script: str | Path, cwd: Path, env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """A script file, or a workflow's `run:` snippet in the shell GitHub runs it with (bash -e, pipefail)."""
    shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"]
    command = ["bash", str(script), *args] if isinstance(script, Path) else [*shell, script]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, input=stdin)


def translate(work: Path, srv: DeepLServer) -> None:
    result = run_venv(
        ["helpcenter", "translate"], work, DEEPL_AUTH_KEY=srv.auth_key, DEEPL_SERVER_URL=srv.url, **git_env()
    )
    assert result.returncode == 0, result.stderr


# --- actionlint and the structure of the workflows ---------------------------------------------------


def test_actionlint_accepts_every_workflow() -> None:
    actionlint = BIN / "actionlint" if (BIN / "actionlint").exists() else shutil.which("actionlint")
    if actionlint is None:
        pytest.fail("actionlint is missing: install the lock (`make install`), which has it")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 5
    result = subprocess.run([str(actionlint), "-no-color", *files], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_action_is_pinned_by_commit_sha_with_its_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
            if not m:
                continue
            ref, rest = m.groups()
            if ref.startswith("./"):
                assert ref in ("./.github/workflows/publish.yml", "./.github/workflows/site.yml"), f"{path.name}:{n}"
                continue
            assert SHA_PIN.match(ref), f"{path.name}:{n}: {ref} is not pinned by a full commit SHA"
            assert re.match(r"\s*# v\d+\.\d+\.\d+$", rest), f"{path.name}:{n}: add the version as `# vX.Y.Z`"


def test_permissions_are_per_job_and_least_privilege() -> None:
    writes: dict[tuple[str, str], dict[str, str]] = {}
    for name, wf in all_workflows().items():
        assert wf["permissions"] == {}, f"{name}: no permissions for the whole workflow"
        for job_id, job in wf["jobs"].items():
            assert "permissions" in job, f"{name}: job {job_id} must say what it needs"
            granted = {k: v for k, v in job["permissions"].items() if v == "write"}
            if granted:
                writes[name, job_id] = granted
            assert set(job["permissions"].values()) <= {"read", "write", "none"}
    assert writes == {
        ("translate.yml", "translate"): {"contents": "write", "pull-requests": "write"},
        ("publish.yml", "deploy"): {"pages": "write", "id-token": "write"},
        ("incident.yml", "declare"): {"contents": "write"},
        ("incident.yml", "publish"): {"pages": "write", "id-token": "write"},  # what publish.yml's deploy needs
    }
    assert workflow("publish.yml")["jobs"]["check"]["permissions"] == {"contents": "read"}
    assert workflow("pr.yml")["jobs"]["check"]["permissions"] == {"contents": "read"}


def test_the_deepl_secret_is_only_in_the_translate_step() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        secrets = re.findall(r"secrets\.\w+", text)
        if path.name != "translate.yml":
            assert secrets == [], f"{path.name} uses {secrets}"
    assert re.findall(r"secrets\.\w+", (WORKFLOWS / "translate.yml").read_text(encoding="utf-8")) == [
        "secrets.DEEPL_AUTH_KEY"
    ]
    job = workflow("translate.yml")["jobs"]["translate"]
    assert "secrets" not in json.dumps(job.get("env", {}))
    holders = [s["name"] for s in job["steps"] if "secrets." in json.dumps(s)]
    assert holders == ["Translate with DeepL (make translate)"]
    translate_step = step(job, "Translate with DeepL")
    assert translate_step["env"]["DEEPL_AUTH_KEY"] == "${{ secrets.DEEPL_AUTH_KEY }}"
    assert translate_step["env"]["DEEPL_SERVER_URL"] == "${{ vars.DEEPL_SERVER_URL }}"
    # the step only tests whether the key is there; it never expands it anywhere else (no echo, no argument)
    assert re.findall(r"\$\{?DEEPL_AUTH_KEY[^ \"]*", translate_step["run"]) == ["${DEEPL_AUTH_KEY:-}"]


def test_translate_runs_on_docs_changes_and_publishes_only_through_the_pull_request_branch() -> None:
    wf = workflow("translate.yml")
    assert wf["on"]["push"] == {"branches": ["main"], "paths": ["docs/**"]}
    assert "workflow_dispatch" in wf["on"]
    job = wf["jobs"]["translate"]
    assert job["env"]["HELPCENTER_PR_BRANCH"] == BRANCH
    assert runs(job) == [
        "make install",
        "bash scripts/ci/translation-pr.sh prepare",
        step(job, "Translate with DeepL")["run"].strip(),
        "bash scripts/ci/translation-pr.sh publish",
    ]
    assert "make translate" in step(job, "Translate with DeepL")["run"]
    assert "git push" not in (WORKFLOWS / "translate.yml").read_text(encoding="utf-8")
    assert step(job, "Open or update")["if"] == "${{ !cancelled() && steps.translate.outputs.ran == 'true' }}"


def test_publish_checks_builds_and_smoke_tests_before_the_deploy() -> None:
    wf = workflow("publish.yml")
    assert wf["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in wf["on"]
    assert wf["on"]["workflow_call"]["inputs"]["ref"]["type"] == "string"
    check, site, deploy = wf["jobs"]["check"], wf["jobs"]["site"], wf["jobs"]["deploy"]
    assert runs(check) == ["make install", "sudo make system-deps", "make test", "make check"]
    assert check["concurrency"]["cancel-in-progress"] is True
    assert site["needs"] == "check", "make test passes before anything is built"
    assert site["uses"] == "./.github/workflows/site.yml"
    assert site["with"] == {"ref": "${{ inputs.ref || github.sha }}", "pages": True}
    assert deploy["needs"] == "site"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/configure-pages", "actions/deploy-pages"]
    assert check["steps"][0]["with"]["ref"] == "${{ inputs.ref || github.sha }}"
    for wf_name in ("publish.yml", "pr.yml", "translate.yml", "incident.yml", "site.yml"):
        for job in workflow(wf_name)["jobs"].values():
            for s in job.get("steps", []):
                if s.get("uses", "").startswith("actions/setup-python@"):
                    assert s["with"]["cache"] == "pip" and s["with"]["cache-dependency-path"] == "requirements.lock"


def test_pull_requests_run_the_same_checks_and_summarize_for_reviewers() -> None:
    wf = workflow("pr.yml")
    assert "pull_request" in wf["on"]
    assert wf["concurrency"]["cancel-in-progress"] is True
    job = wf["jobs"]["check"]
    assert runs(job)[:-1] == runs(workflow("publish.yml")["jobs"]["check"])
    assert runs(job)[-1] == "bash scripts/ci/summary.sh"
    assert step(job, "Summary")["if"] == "${{ !cancelled() }}"
    site = wf["jobs"]["site"]
    assert site["needs"] == "check" and site["uses"] == "./.github/workflows/site.yml"
    assert "with" not in site, "a pull request's site is built, not uploaded for Pages"


def test_the_site_is_built_one_job_per_language_then_merged() -> None:
    """What the matrix and the merge job run are the scripts tests/test_parallel_build.py runs."""
    wf = workflow("site.yml")
    build, merge = wf["jobs"]["build"], wf["jobs"]["merge"]
    site_languages = [lang.code for lang in load_project(ROOT / "mkdocs.yml").languages]
    assert build["strategy"]["matrix"]["lang"] == [load_project(ROOT / "mkdocs.yml").default, *site_languages]
    assert build["strategy"]["fail-fast"] is True
    assert runs(build) == [
        "make install",
        "bash scripts/ci/build-language.sh ${{ matrix.lang }} parts/${{ matrix.lang }}",
    ]
    uses = [s.get("uses", "").split("@")[0] or s["run"] for s in build["steps"]]
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".cache/helpcenter/pages.pickle", "the plugin's cache_file default"
    assert uses.index("actions/cache") < uses.index(runs(build)[-1]), "each language's build in CI is a rebuild"
    upload = step(build, "Upload the language")
    assert upload["with"]["path"] == "parts/${{ matrix.lang }}/"
    assert upload["with"]["include-hidden-files"] is True, "the part's mark (.helpcenter-part) is a dotfile"
    assert merge["needs"] == "build"
    assert runs(merge) == ["make install", "bash scripts/ci/merge-site.sh parts site"]
    download = step(merge, "Download every language")
    assert download["with"] == {"pattern": "site-*", "path": "parts"}
    pages = step(merge, "Upload the site for GitHub Pages")
    assert pages["if"] == "${{ inputs.pages }}" and pages["with"]["path"] == "site/"
    assert merge["concurrency"]["cancel-in-progress"] is True


def test_the_incident_workflow_offers_the_known_types_and_publishes_what_it_committed() -> None:
    wf = workflow("incident.yml")
    inputs = wf["on"]["workflow_dispatch"]["inputs"]
    hubs = sorted(p.stem for p in (ROOT / "docs" / "incidents").glob("*.md") if p.name != "index.md")
    assert sorted(inputs["incident"]["options"]) == hubs, "add the new incident type to incident.yml's options"
    assert inputs["action"]["options"] == ["declare", "clear"]
    assert inputs["start"]["default"] == ""
    declare_job, publish = wf["jobs"]["declare"], wf["jobs"]["publish"]
    assert runs(declare_job)[-1] == "bash scripts/ci/incident.sh"
    assert declare_job["outputs"]["sha"] == "${{ steps.commit.outputs.sha }}"
    assert publish["uses"] == "./.github/workflows/publish.yml"
    assert publish["needs"] == "declare"
    assert publish["with"]["ref"] == "${{ needs.declare.outputs.sha }}"
    commit = step(declare_job, "commit and push")
    assert "${{" not in commit["run"], "inputs reach the script through env, never pasted into it"


# --- translate.yml, run here ----------------------------------------------------------------------------


def translate_snippet() -> str:
    run: str = step(workflow("translate.yml")["jobs"]["translate"], "Translate with DeepL")["run"]
    return run


def test_without_the_secret_the_translate_step_says_so_and_succeeds_without_contacting_anything(
    tmp_path: Path, srv: DeepLServer
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "make").write_text('#!/bin/sh\necho "make $*" >> "$MAKE_LOG"\nexit 1\n', encoding="utf-8")
    (bin_dir / "make").chmod(0o755)
    output = tmp_path / "github_output"
    env = git_env(
        PATH=f"{bin_dir}:{os.environ['PATH']}",
        MAKE_LOG=str(tmp_path / "make.log"),
        GITHUB_OUTPUT=str(output),
        DEEPL_SERVER_URL=srv.url,  # what a run would contact
    )
    for key in ("", None):  # an absent secret reaches the step as an empty variable
        if key is None:
            env.pop("DEEPL_AUTH_KEY", None)
        else:
            env["DEEPL_AUTH_KEY"] = key
        result = bash(translate_snippet(), tmp_path, env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("::notice title=No machine translation::DEEPL_AUTH_KEY is not set")
        assert "README.md" in result.stdout
    assert output.read_text(encoding="utf-8") == "ran=false\nran=false\n"
    assert not (tmp_path / "make.log").exists()
    assert srv.requests == []


def test_with_the_secret_the_translate_step_runs_make_translate(tmp_path: Path, srv: DeepLServer) -> None:
    work = make_project(tmp_path / "work", PAGES)
    shutil.copy2(ROOT / "Makefile", work / "Makefile")
    venv = work / ".venv"  # the Makefile's .venv: this one, already installed
    venv.mkdir()
    (venv / "bin").symlink_to(BIN)
    (venv / ".installed").touch()
    os.utime(venv / ".installed", (2**32, 2**32))  # newer than the lock and pyproject.toml, which it lacks
    (work / "requirements.lock").touch()
    (work / "pyproject.toml").touch()
    output = tmp_path / "github_output"
    env = git_env(DEEPL_AUTH_KEY=srv.auth_key, DEEPL_SERVER_URL=srv.url, GITHUB_OUTPUT=str(output))
    result = bash(translate_snippet(), work, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "helpcenter translate" in result.stdout
    assert output.read_text(encoding="utf-8") == "ran=true\n"
    assert srv.billed_total > 0
    assert (work / "translations" / "en" / "support" / "contact.po").exists()


def test_translate_then_report_shows_the_billed_characters_and_the_changed_pages(
    tmp_path: Path, srv: DeepLServer, run: Run, fast_deepl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", PAGES)
    monkeypatch.chdir(root)
    monkeypatch.setenv("DEEPL_AUTH_KEY", srv.auth_key)
    monkeypatch.setenv("DEEPL_SERVER_URL", srv.url)
    assert run("translate").code == 0
    result = run("report", "--markdown", "--ledger")
    assert result.code == 0, result.err
    md = result.out
    assert f"**{srv.billed_total:,} characters billed.**" in md
    last = report.last_run(root / "translations" / "ledger.tsv")
    assert last is not None and last.billed == srv.billed_total and last.status == "ok"
    for code in ("en", "zh", "ko"):
        billed = srv.billed_by_target[{"en": "EN-US", "zh": "ZH-HANS", "ko": "KO"}[code]]
        assert re.search(rf"^\| {code} \| \d+ \| 1 \| {billed:,} \|$", md, flags=re.M), md
    assert re.search(rf"^\| en \(en\) \| {len(source())} \(\d+%\) \|", md, flags=re.M)  # only the site's words
    assert "| `docs/support/contact.md` | 6 | 0 | 0 | 0 |" in md  # title, description, 4 blocks
    assert "#### en" in md and "pages not fully reviewed" in md

    # Only the changed catalogs, as the pull request lists them
    changed = run("report", "--markdown", "translations/zh/support/contact.po", "translations/en/support/contact.po")
    assert changed.code == 0, changed.err
    out = changed.out
    assert "### Changed catalogs, per language" in out
    ko = out.split("#### ko")[1]
    assert "No catalog of this language changed." in ko
    en = out.split("#### en")[1].split("#### zh")[0]
    assert "1 page(s): 6 machine-translated and 0 stale unit(s) to review." in en
    assert "docs/outage/status.md" not in en
    assert "DeepL" not in out  # no --ledger

    bad = run("report", "--markdown", "docs/support/contact.md")
    assert bad.code == 2 and "not a catalog (translations/<language>/<page>.po)" in bad.err


def test_the_ledger_line_of_a_stopped_run_is_reported_as_stopped(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.tsv"
    ledger.write_text(
        "2026-11-24T01:00:00Z\t3.0s\ten: units=2 requests=1 billed=40\tok\n"
        "2026-11-25T01:00:00Z\t1.5s\ten: units=3 requests=1 billed=1200 | zh: units=0 requests=0 billed=0"
        "\tDeepL quota exceeded (456): what was translated so far is saved; rerun when the quota resets\n",
        encoding="utf-8",
    )
    md = report.ledger_markdown(report.last_run(ledger), "translations/ledger.tsv")
    assert "**1,200 characters billed.**" in md
    assert "**stopped**: DeepL quota exceeded (456)" in md
    assert "| zh | 0 | 0 | 0 |" in md
    assert "No DeepL run is recorded in `x`." in report.ledger_markdown(report.last_run(tmp_path / "none"), "x")


def test_the_review_pull_request_is_one_branch_updated_in_place_and_main_is_never_pushed(
    tmp_path: Path, srv: DeepLServer
) -> None:
    work, origin = repository(tmp_path)
    main_before = git(origin, "rev-parse", "main")
    gh_dir = tmp_path / "gh"
    gh_dir.mkdir()
    env = git_env(
        PATH=f"{fake_gh(tmp_path)}:{os.environ['PATH']}",
        FAKE_GH_DIR=str(gh_dir),
        HELPCENTER=str(BIN / "helpcenter"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
    )
    script = ROOT / "scripts" / "ci" / "translation-pr.sh"

    # 1. The first run: a new branch and a new pull request
    assert bash(script, work, env, "prepare").returncode == 0
    translate(work, srv)
    result = bash(script, work, env, "publish")
    assert result.returncode == 0, result.stderr
    calls = (gh_dir / "calls").read_text(encoding="utf-8").splitlines()
    assert calls[-1].startswith(f"pr create --base main --head {BRANCH} --title Machine translations to review")
    body = (gh_dir / "body.md").read_text(encoding="utf-8")
    assert body.startswith("Machine translations from DeepL of what changed in the Japanese articles on `main`.")
    assert f"**{srv.billed_total:,} characters billed.**" in body
    assert "| `docs/support/contact.md` | 6 | 0 | 0 | 0 |" in body and "| `docs/outage/status.md` |" in body
    assert (tmp_path / "summary.md").read_text(encoding="utf-8") == body
    assert git(origin, "rev-parse", "main") == main_before, "machine translations never go to main"
    branch = git(origin, "rev-parse", BRANCH)
    assert git(origin, "rev-parse", f"{BRANCH}~1") == main_before
    files = git(origin, "diff", "--name-only", "main", BRANCH).splitlines()
    assert files and all(f.startswith("translations/") for f in files)
    first_billed = srv.billed_total

    # 2. A writer changes one paragraph on main; the pull request is still open
    work2 = tmp_path / "writer"
    subprocess.run(["git", "clone", "-q", str(origin), str(work2)], check=True, env=git_env())
    page = work2 / "docs" / "outage" / "status.md"
    page.write_text(page.read_text(encoding="utf-8").replace("お知らせします。", "すぐにお知らせします。"))
    git(work2, "commit", "-q", "-am", "Edit")
    git(work2, "push", "-q", "origin", "main")
    main_after_edit = git(origin, "rev-parse", "main")
    git(work, "fetch", "-q", "origin")
    git(work, "checkout", "-q", "--detach", "origin/main")  # what the workflow checks out

    sent_before = len(srv.translate_requests)
    prepared = bash(script, work, env, "prepare")
    assert prepared.returncode == 0, prepared.stderr
    assert "continuing pull request #7" in prepared.stdout
    translate(work, srv)
    texts = [t for r in srv.translate_requests[sent_before:] for t in r["body"]["text"]]
    assert len(texts) == 3 and all("すぐにお知らせします。" in t for t in texts), "only the change is billed"
    result = bash(script, work, env, "publish")
    assert result.returncode == 0, result.stderr
    assert (gh_dir / "calls").read_text(encoding="utf-8").splitlines()[-1].startswith("pr edit 7 --body-file ")
    assert git(origin, "rev-parse", "main") == main_after_edit
    assert git(origin, "merge-base", "--is-ancestor", branch, BRANCH) == ""  # a fast-forward: nothing lost
    assert git(origin, "merge-base", "--is-ancestor", "main", BRANCH) == ""
    body = (gh_dir / "body.md").read_text(encoding="utf-8")
    assert f"**{srv.billed_total - first_billed:,} characters billed.**" in body

    # 3. Nothing new: no commit, no call
    calls_before = (gh_dir / "calls").read_text(encoding="utf-8")
    result = bash(script, work, env, "publish")
    assert result.returncode == 0 and "no catalog changed" in result.stdout
    assert (gh_dir / "calls").read_text(encoding="utf-8") == calls_before


# --- pr.yml's summary -----------------------------------------------------------------------------------


def test_the_pull_request_summary_has_the_status_and_the_findings(tmp_path: Path, srv: DeepLServer) -> None:
    work = make_project(tmp_path / "work", PAGES)
    translate(work, srv)
    po = work / "translations" / "en" / "outage" / "status.po"
    po.write_text(po.read_text(encoding="utf-8").replace("公式のステータスページで", "公式のステータスページ2で"))
    summary = tmp_path / "summary.md"
    env = git_env(HELPCENTER=str(BIN / "helpcenter"), GITHUB_STEP_SUMMARY=str(summary))
    result = bash(ROOT / "scripts" / "ci" / "summary.sh", work, env)
    assert result.returncode == 0, result.stderr
    md = summary.read_text(encoding="utf-8")
    assert md.startswith("## Translations\n\n### Translation status\n")
    assert "## QA findings (helpcenter check --warnings)" in md
    assert "**0 error(s), " in md
    findings = [line for line in md.splitlines() if line.startswith("- **")]
    assert any(line.startswith("- **warning** `translations/en/outage/status.po:") for line in findings), md


def test_check_as_markdown_lists_errors_and_exits_1(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "project", {"support/x.md": "---\ntitle: X_1 *\n---\n本文。\n"})
    monkeypatch.chdir(root)
    result = run("check", "--format", "markdown")
    assert result.code == 1
    assert result.out.startswith("**3 error(s), 0 warning(s)** in 2 pages x 3 languages\n\n")
    assert "- **error** `docs/support/x.md:1`: missing `last_reviewed:` in the front matter (required for" in result.out
    assert result.err == ""
    assert report.escape_message("a_b `c_d` <e> | f") == "a\\_b `c_d` &lt;e&gt; \\| f".replace("&gt;", ">")


# --- incident.yml, run here -----------------------------------------------------------------------------


def test_declare_writes_a_valid_declaration_and_clear_removes_it(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", PAGES)
    monkeypatch.chdir(root)
    monkeypatch.delenv(incidents.ENV_ID, raising=False)
    result = run("incident", "declare", "outage", "--start", "2026-11-25T10:00:00+09:00", "--note", "復旧作業中です。")
    assert result.code == 0, result.err
    assert result.out.strip() == (
        "declared outage, started 2026-11-25 10:00 JST (2026-11-25 01:00 UTC): data/active_incident.yml"
    )
    path = root / "data" / "active_incident.yml"
    active = incidents.load_declaration(path, {}, incidents.dt.datetime.now(incidents.dt.UTC))
    assert active is not None
    active = incidents.check_declaration(active, ["outage"], "ja")
    assert (active.id, active.started_iso, active.notes) == (
        "outage",
        "2026-11-25T01:00:00Z",
        {"ja": "復旧作業中です。"},
    )
    assert not list(path.parent.glob(".*.tmp")), "written atomically, no temporary file left"

    result = run("incident", "declare", "outage", "--note", "en=Trading is paused.", "--note", "ja=停止中")
    assert result.code == 0
    active = incidents.load_declaration(path, {}, incidents.dt.datetime.now(incidents.dt.UTC))
    assert active is not None and active.notes == {"en": "Trading is paused.", "ja": "停止中"}
    assert active.started_at.utcoffset() == incidents.dt.timedelta(hours=9)  # now, in JST

    result = run("incident", "clear")
    assert result.code == 0 and result.out.strip() == "cleared outage: removed data/active_incident.yml"
    assert not path.exists()
    result = run("incident", "clear")
    assert result.code == 0 and "no incident declared" in result.out


def test_an_unknown_type_or_a_time_without_timezone_is_refused_and_nothing_is_written(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", PAGES)
    monkeypatch.chdir(root)
    result = run("incident", "declare", "outtage")
    assert result.code == 2
    assert result.err.strip() == (
        "helpcenter incident declare: unknown incident type 'outtage' (did you mean 'outage'?); known: outage; "
        "the types are the files in docs/incidents/"
    )
    result = run("incident", "declare", "outage", "--start", "2026-11-25 10:00")
    assert result.code == 2 and "has no timezone; add one, like +09:00 (JST) or Z (UTC)" in result.err
    assert not (root / "data" / "active_incident.yml").exists()


def test_declare_warns_when_the_environment_overrides_the_file(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", PAGES)
    monkeypatch.chdir(root)
    monkeypatch.setenv(incidents.ENV_ID, "outage")
    result = run("incident", "declare", "outage")
    assert result.code == 0 and "HELPCENTER_ACTIVE_INCIDENT=outage is set in this environment" in result.err


def test_the_declaration_path_follows_the_plugins_active_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", PAGES)
    config = root / "mkdocs.yml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["plugins"].insert(2, {"helpcenter-incidents": {"active_file": "incident-now.yml"}})
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    project = load_project(config)
    assert project.active_incident == root / "data" / "incident-now.yml"


def test_the_incident_script_commits_the_declaration_to_main_and_says_what_to_publish(tmp_path: Path) -> None:
    work, origin = repository(tmp_path)
    output = tmp_path / "github_output"
    script = ROOT / "scripts" / "ci" / "incident.sh"
    env = git_env(HELPCENTER=str(BIN / "helpcenter"), GITHUB_OUTPUT=str(output))

    declared = bash(
        script,
        work,
        {**env, "ACTION": "declare", "INCIDENT": "outage", "START": "2026-11-25T10:00:00+09:00", "NOTE_JA": "調査中"},
    )
    assert declared.returncode == 0, declared.stderr
    head = git(origin, "rev-parse", "main")
    assert output.read_text(encoding="utf-8") == f"changed=true\nsha={head}\n"
    assert git(origin, "log", "-1", "--format=%s", "main") == (
        "Incident banner: declared outage, started 2026-11-25 10:00 JST (2026-11-25 01:00 UTC): "
        "data/active_incident.yml"
    )
    text = git(origin, "show", "main:data/active_incident.yml")
    assert "id: outage\n" in text and "ja: 調査中" in text

    output.unlink()
    again = bash(script, work, {**env, "ACTION": "clear"})
    assert again.returncode == 0, again.stderr
    assert (
        git(origin, "log", "-1", "--format=%s", "main")
        == "Incident banner: cleared outage: removed data/active_incident.yml"
    )
    assert "data/active_incident.yml" not in git(origin, "ls-tree", "-r", "--name-only", "main")

    output.unlink()
    nothing = bash(script, work, {**env, "ACTION": "clear"})
    assert nothing.returncode == 0 and "nothing to commit" in nothing.stdout
    assert output.read_text(encoding="utf-8") == f"changed=false\nsha={git(origin, 'rev-parse', 'main')}\n"

    wrong = bash(script, work, {**env, "ACTION": "declare", "INCIDENT": "outtage"})
    assert wrong.returncode == 2 and "did you mean 'outage'?" in wrong.stderr


def test_a_declared_incident_is_in_every_language_after_one_build(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site-copy", SMALL)
    (root / "data" / "active_incident.yml").unlink(missing_ok=True)
    off = {incidents.ENV_ID: "", incidents.ENV_START: ""}
    declared = run_venv(["helpcenter", "incident", "declare", "outage", "--start", "2026-11-25T10:00:00+09:00"], root)
    assert declared.returncode == 0, declared.stderr
    built = run_venv(["mkdocs", "build"], root, **off)
    assert built.returncode == 0, built.stderr[-3000:]
    for prefix in ("", "en/", "zh/", "ko/"):
        page = (root / "site" / prefix / "security" / "two-factor-setup" / "index.html").read_text(encoding="utf-8")
        assert 'data-active-incident="outage"' in page, prefix or "ja"
        assert "2026-11-25 10:00 JST" in page


def test_make_test_browser_fails_when_it_collects_no_test() -> None:
    """A browser job that silently ran nothing (a marker renamed, a file skipped) must not pass."""
    result = subprocess.run(
        ["make", "--no-print-directory", "test-browser"],
        cwd=ROOT,
        env={**os.environ, "PYTEST_ADDOPTS": "-k no_test_is_named_like_this"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert " deselected in " in result.stdout and " passed" not in result.stdout, result.stdout + result.stderr
    assert result.returncode != 0 and "Error 5" in result.stderr  # pytest's "no tests collected"
