"""The site's own words as translation units: what readers of a language see, and what is refused."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from helpcenter import catalog, site_strings
from helpcenter.errors import HelpcenterError
from helpcenter.options import Options
from helpcenter.project import Project, build
from helpcenter.strings import source


def vi_project(root: Path, publish: str = "machine") -> Project:
    languages = [{"locale": "ja", "name": "日本語", "default": True}, {"locale": "vi", "name": "Tiếng Việt"}]
    options = Options.read({"publish": publish, "languages": {"vi": {"deepl": "VI"}}})
    return build(root, {"site_url": "https://help.example/"}, options, {"languages": languages})


def japanese(key: str) -> str:
    return next(u.text for u in source() if u.section == key)


def write_vi(project: Project, texts: dict[str, str], machine: bool) -> Path:
    """translations/vi/_site.po with these keys translated, by DeepL (fuzzy, marked) or by a person."""
    po = catalog.new_catalog("vi", site_strings.SITE)
    for key, text in texts.items():
        entry = polib.POEntry(msgctxt=key, msgid=japanese(key), msgstr="")
        if machine:
            catalog.set_machine(entry, text, "deepl VI")
        else:
            catalog.set_human(entry, text, "a translator")
        po.append(entry)
    path = catalog.catalog_path(project.translations, "vi", site_strings.SITE)
    catalog.save(po, path)
    return path


def load_vi(project: Project) -> tuple[site_strings.SiteStrings, list[str]]:
    site, findings = site_strings.load(project, list(project.languages))
    return site, [str(f) for f in findings]


def test_untranslated_words_are_japanese_and_name_the_readers_language(tmp_path: Path) -> None:
    site, findings = load_vi(vi_project(tmp_path))
    words = site.words("vi")
    assert words["view_original"] == japanese("view_original")
    assert words["fallback_notice"] == japanese("fallback_notice").replace("{language}", "Tiếng Việt")
    assert not site.machine("vi")
    assert findings == []
    [missing] = site.coverage()
    assert (missing.path, missing.line) == ("translations/vi/_site.po", 1)
    assert f"{len(source())} of the site's {len(source())} strings have no vi translation" in missing.message


@pytest.mark.parametrize("publish", ["machine", "reviewed"])
def test_machine_words_are_shown_only_where_the_language_publishes_machine_translation(
    tmp_path: Path, publish: str
) -> None:
    project = vi_project(tmp_path, publish)
    write_vi(project, {"view_original": "Đọc bản gốc tiếng Nhật"}, machine=True)
    site, findings = load_vi(project)
    shown = site.words("vi")["view_original"]
    assert shown == ("Đọc bản gốc tiếng Nhật" if publish == "machine" else japanese("view_original"))
    assert site.machine("vi") is (publish == "machine")  # the footer says so
    assert findings == []


def test_reviewed_words_are_shown_under_either_policy(tmp_path: Path) -> None:
    project = vi_project(tmp_path, "reviewed")
    write_vi(project, {"fallback_notice": "Trang này chưa có bằng {language}."}, machine=False)
    site, _ = load_vi(project)
    assert site.words("vi")["fallback_notice"] == "Trang này chưa có bằng Tiếng Việt."
    assert not site.machine("vi")


def test_a_lost_placeholder_is_reported_with_file_and_line_and_the_japanese_is_shown(tmp_path: Path) -> None:
    project = vi_project(tmp_path)
    path = write_vi(project, {"incidents_count_other": "bài viết", "view_original": "Đọc <b>bản gốc</b>"}, True)
    before = path.read_bytes()
    site, findings = load_vi(project)
    lines = {e.msgctxt: e.linenum for e in polib.pofile(str(path))}
    assert (
        f"translations/vi/_site.po:{lines['incidents_count_other']}: error: placeholder lost: {{count}}; "
        "write it as it is in the Japanese [{count} 件の記事]"
    ) in findings
    assert any(f.startswith(f"translations/vi/_site.po:{lines['view_original']}: error: HTML") for f in findings)
    assert site.words("vi")["incidents_count_other"] == "{count} 件の記事"
    assert site.words("vi")["view_original"] == japanese("view_original")
    assert path.read_bytes() == before  # checking changes no file


def test_a_changed_japanese_string_makes_its_translation_stale_and_not_shown(tmp_path: Path) -> None:
    project = vi_project(tmp_path)
    path = write_vi(project, {"view_original": "Đọc bản gốc"}, machine=False)
    po = polib.pofile(str(path))
    po[0].msgid = "古い原文"
    po.save()
    site, _ = load_vi(project)
    entry = site.merged["vi"].entries[[u.section for u in site.units].index("view_original")]
    assert catalog.state(entry) is catalog.State.STALE
    assert entry.previous_msgid == "古い原文" and catalog.comment(entry, catalog.PREV_MARK) == "Đọc bản gốc"
    assert site.words("vi")["view_original"] == japanese("view_original")


def test_a_translation_in_the_source_file_is_refused_with_the_way_out(tmp_path: Path) -> None:
    strings = tmp_path / "strings.yml"
    strings.write_text('a:\n  ja: "あ"\nb:\n  ja: "い"\n  en: "I"\n', encoding="utf-8")
    with pytest.raises(HelpcenterError) as caught:
        source(strings)
    assert str(caught.value).startswith("strings.yml:3: b: a translation (en) in the source")
    assert "python -m helpcenter.site_strings" in str(caught.value)

    assert site_strings.move_translations(vi_project(tmp_path), strings) == 1
    assert strings.read_text(encoding="utf-8") == 'a:\n  ja: "あ"\nb:\n  ja: "い"\n'
    [entry] = polib.pofile(str(tmp_path / "translations/en/_site.po"))
    assert (entry.msgctxt, entry.msgid, entry.msgstr, entry.fuzzy) == ("b", "い", "I", False)
    assert catalog.comment(entry, "translated-by:") == site_strings.AUTHORS
