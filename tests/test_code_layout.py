"""The package's seams: no import cycle between helpcenter's modules, and no module reaching into
another's private names, so that each module can be read, moved and tested on its own; and
`helpcenter --help` names every command with what it does."""

from __future__ import annotations

import argparse
import ast
import re
from dataclasses import dataclass
from pathlib import Path

from helpcenter import cli

PACKAGE = Path(__file__).resolve().parent.parent / "plugins" / "helpcenter"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@dataclass(frozen=True)
class Use:
    module: str  # the importing module
    line: int
    target: str  # the helpcenter module it imports
    names: tuple[str, ...]  # names taken from it (`from x import a, b`), or attributes read on it (`x.a`)


def resolve(module: str, level: int, name: str | None) -> str:
    """The absolute name of `from <level dots><name> import ...` written in `module`."""
    if not level:
        return name or ""
    is_package = MODULES.get(module, Path()).name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, name] if name else base)


def uses(module: str) -> list[Use]:
    """Every import of a helpcenter module in `module`, at the top or inside a function, with the
    names it takes from it and the attributes it reads on it."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[Use] = []
    aliases: dict[str, str] = {}  # local name -> helpcenter module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    out.append(Use(module, node.lineno, alias.name, ()))
                    if alias.asname:
                        aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node.level, node.module)
            if source.split(".")[0] != "helpcenter":
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:  # `from . import catalog`
                    out.append(Use(module, node.lineno, submodule, ()))
                    aliases[alias.asname or alias.name] = submodule
                elif source in MODULES:
                    out.append(Use(module, node.lineno, source, (alias.name,)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            out.append(Use(module, node.lineno, aliases[node.value.id], (node.attr,)))
    return out


USES = [use for module in MODULES for use in uses(module)]


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_the_package_is_found() -> None:
    """The walk sees the modules and their imports (a wrong path would make the tests below pass on nothing)."""
    assert {"helpcenter.cli", "helpcenter.catalog", "helpcenter.mkdocs_plugins.plugin"} <= MODULES.keys()
    assert any(use.target == "helpcenter.catalog" and use.module == "helpcenter.cli" for use in USES)


def test_no_private_name_is_used_across_modules() -> None:
    crossing = [
        f"{MODULES[u.module].relative_to(PACKAGE.parent)}:{u.line}: {u.target}.{name}"
        for u in USES
        for name in u.names
        if is_private(name) and u.target != u.module
    ]
    assert crossing == []


def test_no_import_cycle() -> None:
    """Imports at the top of a module and inside functions alike: a cycle hidden in a function is
    still two modules that cannot be understood one without the other."""
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for use in USES:
        if use.target != use.module:
            graph[use.module].add(use.target)
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert [" -> ".join(cycle) for cycle in cycles] == []


def test_help_and_the_cli_docstring_name_every_command() -> None:
    parser = cli.parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    described = {action.dest: action.help for action in commands._choices_actions}
    assert set(commands.choices) >= {"translate", "review", "status", "check", "import", "report", "incident"}
    assert described.keys() == commands.choices.keys() and all(described.values())
    text = parser.format_help()
    assert all(re.search(rf"^ +{name} +\S", text, re.M) for name in commands.choices), text
    assert all(re.search(rf"^{name} +\S", cli.__doc__ or "", re.M) for name in commands.choices), cli.__doc__


def test_the_readme_code_map_names_every_module_and_no_other() -> None:
    """A newcomer finds each module in the README's code map, and nothing that no longer exists."""
    readme = (PACKAGE.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Code map", 1)[1].split("\n## ", 1)[0]
    mapped = set(re.findall(r"^\| `([\w/]+\.py)` \|", section, flags=re.M))
    modules = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    assert mapped == modules, f"missing from the map: {sorted(modules - mapped)}; gone: {sorted(mapped - modules)}"
