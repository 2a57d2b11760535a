"""`helpcenter incident declare ID` / `helpcenter incident clear`: the active-incident declaration
(data/active_incident.yml, see incidents.py and contributing/exports.md) written by a command, so that
nobody on call has to remember its format, and the incident workflow on GitHub runs the same thing.

The file is validated the way the build reads it (incidents.load_declaration and check_declaration)
before the command says it is done, and written atomically: a build never sees half a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml

from . import errors, incidents
from .catalog import atomic_write
from .commands import err, out
from .errors import HelpcenterError
from .meta import closest, page_kind
from .options import ACTIVE_INCIDENT_FILE
from .project import Project

HEADER = (
    "# The incident in progress: every page of every language shows a banner while this file exists.\n"
    "# Written by `helpcenter incident declare`; `helpcenter incident clear` (or deleting it) ends it.\n"
)


def known_types(project: Project) -> list[str]:
    """The incident types: the hub pages docs/incidents/<id>.md."""
    return sorted(p.split("/")[1].removesuffix(".md") for p in project.pages() if page_kind(p) == "hub")


def _notes(project: Project, values: list[str]) -> dict[str, str]:
    """`--note TEXT` (the default language) or `--note LANG=TEXT`, repeatable."""
    codes = [project.default, *(lang.code for lang in project.languages)]
    notes: dict[str, str] = {}
    for value in values:
        code, sep, text = value.partition("=")
        if not sep or code.strip() not in codes:
            code, text = project.default, value
        text = " ".join(text.split())
        if text:
            notes[code.strip()] = text
    return notes


def render(active: incidents.ActiveIncident) -> str:
    """The declaration file's text."""
    data: dict[str, Any] = {"id": active.id, "started_at": active.started_at.isoformat()}
    if active.notes:
        data["note"] = dict(active.notes)
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def declare(
    project: Project,
    path: Path,
    type_id: str,
    start: str | None = None,
    notes: list[str] | None = None,
    now: dt.datetime | None = None,
) -> incidents.ActiveIncident:
    """Validate, write `path` atomically, and read it back as the build will; the declaration."""
    known = known_types(project)
    if type_id not in known:
        raise HelpcenterError(
            f"unknown incident type {type_id!r}{closest(type_id, known)}; "
            f"the types are the files in {project.docs.name}/{incidents.HUB_FOLDER}/"
        )
    moment = now or dt.datetime.now(incidents.JST).replace(microsecond=0)
    started = incidents.parse_time(start, "--start") if start else moment
    active = incidents.ActiveIncident(type_id, started, _notes(project, notes or []), "helpcenter incident declare")
    display = errors.display(path, project.root)
    path.parent.mkdir(parents=True, exist_ok=True)
    previous = path.read_text(encoding="utf-8") if path.exists() else None
    atomic_write(path, render(active))
    try:
        written = incidents.load_declaration(path, {}, moment, display)
        if written is None:
            raise incidents.IncidentError(f"{display}: declares nothing after writing")
        return incidents.check_declaration(written, known, project.default)
    except incidents.IncidentError:
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, previous)
        raise


def clear(path: Path) -> str | None:
    """Remove the declaration; the id it declared (None when there was none)."""
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        data = None
    path.unlink()
    return str(data.get("id")) if isinstance(data, dict) and data.get("id") else "?"


def _env_warning() -> str | None:
    if os.environ.get(incidents.ENV_ID, "").strip():
        return (
            f"note: {incidents.ENV_ID}={os.environ[incidents.ENV_ID].strip()} is set in this environment, "
            "and it wins over the file in a build run here"
        )
    return None


def cmd_incident(args: argparse.Namespace, project: Project) -> int:
    path = project.active_incident
    display = errors.display(path, project.root)
    if args.action == "declare":
        active = declare(project, path, args.id, args.start, args.note)
        out.print(f"declared {active.id}, started {active.started_jst} ({active.started_utc}): {display}", markup=False)
    else:
        cleared = clear(path)
        if cleared is None:
            out.print(f"no incident declared ({display} does not exist)", markup=False)
        else:
            out.print(f"cleared {cleared}: removed {display}", markup=False)
    warning = _env_warning()
    if warning:
        err.print(warning, markup=False)
    return 0


def add_parser(sub: Any) -> None:
    """`helpcenter incident declare|clear` on the command line's subparsers."""
    p = sub.add_parser("incident", help="declare or clear the incident in progress (a banner on every page)")
    actions = p.add_subparsers(dest="action", required=True)
    d = actions.add_parser("declare", help=f"write data/{ACTIVE_INCIDENT_FILE}: the banner shows from the next build")
    d.add_argument("id", help="the incident type: a file name in docs/incidents/ without .md (e.g. outage)")
    d.add_argument("--start", help="when it started, ISO 8601 with a timezone, e.g. 2026-11-25T10:00:00+09:00")
    d.add_argument(
        "--note",
        action="append",
        default=[],
        metavar="[LANG=]TEXT",
        help="a note shown in the banner; without LANG= in the default language (repeatable)",
    )
    c = actions.add_parser("clear", help=f"remove data/{ACTIVE_INCIDENT_FILE}: no banner from the next build")
    for parser in (p, d, c):
        parser.set_defaults(func=cmd_incident, paths=[])
