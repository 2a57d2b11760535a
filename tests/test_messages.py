"""Every mistake a user can make in a file or a setting ends in one line naming the file (and line)
and what to do: a HelpcenterError, never a traceback (issue 16, "one error type")."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import sitekit
from conftest import Run, article, make_project

PAGE = "docs/support/contact.md"
CATALOG = "translations/en/support/contact.po"
CONTACT = article("お問い合わせ", "本文です。\n\n## 連絡先\n\nメールでご連絡ください。")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = make_project(tmp_path / "site", {"support/contact.md": CONTACT}, ("en",))
    (project / CATALOG).parent.mkdir(parents=True)
    (project / CATALOG).write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "本文です。"\nmsgstr "Text."\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(project)
    return project


def rewrite(path: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        old = (root / path).read_bytes() if (root / path).exists() else b""
        (root / path).write_bytes(change(old))

    return apply


def i18n_entry(root: Path) -> None:
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][2]["i18n"]["languages"].append("fr")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


MISTAKES = {
    "Markdown saved as Shift_JIS": (
        rewrite(PAGE, lambda b: b.decode().encode("shift_jis")),
        1,
        f"{PAGE}:2: error: not valid UTF-8 (byte 0x82); save the file as UTF-8",
    ),
    "PO with invalid UTF-8": (
        rewrite(CATALOG, lambda b: b.replace(b"Text.", b"T\xffext.")),
        1,
        f"{CATALOG}:6: error: the PO file cannot be read: it is not valid UTF-8; save the file as UTF-8",
    ),
    "a date that does not exist": (
        rewrite(PAGE, lambda b: b.replace(b"2026-11-20", b"2026-02-30")),
        1,
        f"{PAGE}:5: error: front matter has a value that cannot be read (day is out of range for month",
    ),
    "a channel without value": (
        rewrite("data/channels.yml", lambda b: "site:\n  label: {ja: サイト}\n".encode()),
        2,
        "data/channels.yml:1: channel 'site' needs a `value:`",
    ),
    "channels.yml with bad YAML": (
        rewrite("data/channels.yml", lambda b: b"site: [\n"),
        2,
        "data/channels.yml:2: not valid YAML",
    ),
    "a malformed i18n language": (i18n_entry, 2, "mkdocs.yml: the i18n plugin's languages: entry 3 ('fr') has no"),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_each_mistake_is_one_line_naming_the_file(name: str, root: Path, run: Run) -> None:
    plant, code, message = MISTAKES[name]
    plant(root)
    result = run("check")  # in-process: a traceback would fail this test with the exception
    assert result.code == code
    assert message in result.err, result.err


@pytest.mark.parametrize("name", ["Markdown saved as Shift_JIS", "a channel without value"])
def test_the_build_says_the_same_without_a_traceback(name: str, root: Path) -> None:
    plant, _, message = MISTAKES[name]
    plant(root)
    build = sitekit.run(["mkdocs", "build"], root)
    assert build.returncode != 0
    assert message.replace(": error:", ":") in build.stderr.replace(": error:", ":")
    assert "Traceback" not in build.stderr


def test_a_markdown_file_with_a_bom_is_read_as_mkdocs_reads_it(root: Path, run: Run) -> None:
    (root / PAGE).write_bytes(b"\xef\xbb\xbf" + (root / PAGE).read_bytes())
    result = run("check")
    assert result.code == 0, result.err
    assert "0 error(s)" in result.out


@pytest.mark.parametrize(("name", "value"), [("HELPCENTER_DEEPL_RETRIES", "two"), ("HELPCENTER_DEEPL_TIMEOUT", "soon")])
def test_a_bad_number_in_the_environment_is_named(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "unused")
    monkeypatch.setenv(name, value)
    result = run("translate")
    assert result.code == 2
    assert f"helpcenter translate: {name}={value!r} is not a" in result.err


def test_import_of_a_file_outside_base_is_an_error(root: Path, run: Run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "delivery" / "contact.md"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CONTACT, encoding="utf-8")
    (root / "en").mkdir()
    result = run("import", "--lang", "en", "--translator", "Ann", "--base", "en", str(elsewhere))
    assert result.code == 2
    assert f"{elsewhere}: not under --base en" in result.err


def test_a_site_without_site_url_or_project_id_is_told_before_anything_is_sent(
    root: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Glossaries are named after the site, so that one DeepL account can serve several help centers."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["site_url"]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("DEEPL_AUTH_KEY", "unused")
    monkeypatch.setenv("DEEPL_SERVER_URL", "http://127.0.0.1:9")  # nothing may be sent anywhere
    result = run("translate")
    assert result.code == 2
    assert "mkdocs.yml has no site_url" in result.err and "project_id" in result.err


def test_an_article_too_long_to_read_is_a_warning_that_says_to_split_it(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    paragraph = "出金の手続きについて説明します。" * 40  # 640 characters
    long_body = "\n\n".join(f"## 手順{n}\n\n{paragraph}" for n in range(17))  # about 11,000
    root = make_project(
        tmp_path,
        {"support/long.md": article("長い記事", long_body), "support/short.md": article("短い記事", paragraph)},
    )
    monkeypatch.chdir(root)
    result = run("check", "--warnings")
    lines = [line for line in result.out.splitlines() if "minutes of reading" in line]
    assert len(lines) == 1, result.out
    assert lines[0].startswith("docs/support/long.md:1: warning: 10,956 characters of text")
    assert "split it into articles of one task or question each" in lines[0]
