"""`helpcenter verify TEXT...`: the verification page's verdicts for support staff and tools.

Exit 0 when every input is an official channel, 1 otherwise (a script can refuse a link that is not
ours); `--json` prints the same fields as the page's result element, for chatbots and ticket tools.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .placeholders import load_channels
from .project import Project
from .site_strings import load as load_words
from .verify import OFFICIAL, explain, verifier


def cmd_verify(args: argparse.Namespace, project: Project) -> int:
    channels = load_channels(project.data / "channels.yml")
    check = verifier(channels)
    results = [check.verify(text) for text in args.texts]
    languages = [project.language(args.lang)] if args.lang != project.default else []
    words = load_words(project, languages)[0].words(args.lang)
    if args.json:
        data = [r.as_dict() | {"message": explain(r, channels, words, args.lang, project.default)} for r in results]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for r in results:
            heading = words[f"verify_{r.verdict.replace('-', '_')}"]
            print(f"{r.input}\t{heading}\t{explain(r, channels, words, args.lang, project.default)}")
    return 0 if all(r.verdict == OFFICIAL for r in results) else 1


def add_parser(sub: Any) -> None:
    """`helpcenter verify` on the command line's subparsers."""
    v = sub.add_parser("verify", help="is this link, address, number or account one of the official channels?")
    v.add_argument("texts", nargs="+", metavar="TEXT", help="what was received, as it was received")
    v.add_argument("--json", action="store_true", help="one object per input: verdict, reason, channel keys")
    v.add_argument("--lang", default="en", help="the language of the explanations (default: en)")
    v.set_defaults(func=cmd_verify, paths=[])
