"""The one Markdown parser the pipeline uses, configured for the constructs writers may use.

markdown-it-py with mdit-py-plugins understands front matter, admonitions (`!!!`, `???`, `???+`)
and tables; content tabs (`=== "Tab"`, from pymdownx.tabbed) need a small block rule of our own,
otherwise their indented body would parse as an indented code block and never be translated.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

TAB_MARKERS = ("===+", "===!", "===")


def _tab_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Parse `=== "Title"` followed by a body indented by four spaces (pymdownx.tabbed)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    maximum = state.eMarks[start_line]
    line = state.src[start:maximum]
    marker = next((m for m in TAB_MARKERS if line.startswith(m + " ")), None)
    if marker is None:
        return False
    params = line[len(marker) :].strip()
    if not (len(params) >= 2 and params[0] == '"' and params[-1] == '"'):
        return False
    if silent:
        return True

    old_parent, old_line_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "tab"
    state.blkIndent = state.sCount[start_line] + 4

    next_line = start_line
    was_empty = False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        pos = state.bMarks[next_line] + state.tShift[next_line]
        is_empty = state.sCount[next_line] < state.blkIndent
        if is_empty and was_empty:
            break
        was_empty = is_empty
        if pos < state.eMarks[next_line] and state.sCount[next_line] < state.blkIndent:
            break
    state.lineMax = next_line

    token = state.push("tab_open", "div", 1)
    token.markup = marker
    token.block = True
    token.info = params[1:-1]
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("tab_close", "div", -1)
    token.markup = marker
    token.block = True

    state.parentType, state.lineMax, state.blkIndent = old_parent, old_line_max, old_indent
    state.line = next_line
    return True


@cache
def parser() -> MarkdownIt:
    """The shared parser: CommonMark + tables + strikethrough + our plugins."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(admon_plugin)
    md.block.ruler.before("fence", "tab", _tab_rule, {"alt": ["paragraph", "blockquote", "list"]})
    # Keep escapes and entities as their own tokens, so that inline markup round-trips exactly.
    md.disable("text_join")
    return md
