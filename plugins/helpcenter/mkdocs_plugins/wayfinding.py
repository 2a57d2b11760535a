"""Ways on from every page, in the reader's language: the footer's and the 404 page's links (home,
contact, other languages), a contact section on the home page, the list of a topic's articles on its
page, and the script that keeps the section when the reader switches language.

Why: a reader on a phone sees neither the navigation nor Material's English footer; a topic page
showed one sentence, a wrong address showed the last-built language's 404 with no way home.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files

CONTACT = ("support/how-to-contact-support.md", "support/index.md")  # the first that exists is "contact"
SCRIPT = "helpcenter/helpcenter.js"  # a file (the pages' Content-Security-Policy allows no inline script)
NOT_FOUND = "404.html"


def contact_page(files: Files) -> str | None:
    """The source page readers are sent to for contact, if the site has one."""
    return next((src for src in CONTACT if files.get_file_from_path(src) is not None), None)


def site_context(
    lang: str, default: str, languages: list[dict[str, Any]], contact_url: str, words: Any, machine: bool = False
) -> dict:
    """What the footer and 404 templates need (`hc_site`): URLs from the site root, in `lang`;
    `contact_url` is the contact page's URL in the default language ("" when there is none); `machine`:
    some of `words` are machine translations, which the footer says."""

    def home(locale: str) -> str:
        return "" if locale == default else f"{locale}/"

    return {
        "lang": lang,
        "default": default,
        "strings": words,
        "machine": machine,
        "home": home(lang),
        "contact": home(lang) + contact_url if contact_url else "",
        "languages": [
            {"locale": item["locale"], "name": item["name"], "home": home(item["locale"])}
            for item in languages
            if item.get("build", True)
        ],
    }


def home_contact(src: str, contact: str | None, words: dict[str, str]) -> str:
    """Markdown for the end of the home page: where to turn when the articles do not help."""
    if contact is None:
        return ""
    return (
        f'\n\n<div class="hc-contact" markdown>\n\n## {words["contact_heading"]}\n\n'
        f"{words['contact_text']} [{words['footer_contact']}]({_relative(src, contact)})\n\n</div>\n"
    )


def topic_articles(src: str, articles: list[tuple[str, str, str]], heading: str) -> str:
    """Markdown for the end of a topic page `src`: its `articles` as (source, title, lang), `lang`
    set when the article is shown in another language than the page (a fallback)."""
    if not articles:
        return ""
    items = [
        f"- [{_escape(title)}]({_relative(src, target)})" + (f"{{ lang={lang} hreflang={lang} }}" if lang else "")
        for target, title, lang in articles
    ]
    return f'\n\n<div class="hc-topic-articles" markdown>\n\n## {heading}\n\n' + "\n".join(items) + "\n\n</div>\n"


def _relative(src: str, target: str) -> str:
    """A Markdown link from source page `src` to source page `target` (both from docs/)."""
    return "../" * src.count("/") + target


def _escape(text: str) -> str:
    """Link text safe in Markdown: brackets and backslashes escaped, no HTML."""
    return "".join("\\" + c if c in "[]\\" else c for c in text).replace("<", "&lt;").replace(">", "&gt;")
