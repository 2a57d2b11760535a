"""Each page's navigation, of a size that does not grow with the number of articles.

Material renders the whole navigation of a language into every page: with 250 articles that is
most of a page's weight and of the build's time, and both grow with the number of pages (the build
is quadratic: 4 times the articles took 10 times as long; README "Performance"). `navigation.prune`
does not help with `navigation.sections`, which shows every category's articles.

Here a page's navigation holds every category (its topic page, `navigation.indexes`) and, in the
page's own category, only the page itself; a topic page keeps all its articles (it lists them in its
text too, helpcenter.mkdocs_plugins.wayfinding). A reader on an article reaches every category from the
navigation (desktop sidebar, phone drawer) and every article from its category's topic page.
MkDocs' own navigation (page.parent, previous/next, the sitemap) is left as it is: only what the
theme renders changes.
"""

from __future__ import annotations

from mkdocs.structure import StructureItem
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page


class ShortNavigation:
    """The navigation of one language's build, shortened per page (for_page)."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.closed: dict[int, Section] = {}  # id of a section -> its copy with its topic page only
        self.parts: dict[int, _Parts] = {}  # id of a section -> what a page's navigation may keep of it

    def for_page(self, page: Page) -> Navigation:
        items = [self._item(item, page) for item in self.nav.items]
        short = Navigation(items, [])
        short.homepage = self.nav.homepage
        return short

    def _item(self, item: StructureItem, page: Page) -> StructureItem:
        if not isinstance(item, Section):
            return item
        if id(item) not in self.parts:  # once per section: going through its articles for every page was quadratic
            self.parts[id(item)] = _Parts(item)
        parts = self.parts[id(item)]
        if not item.active:
            if id(item) not in self.closed:
                self.closed[id(item)] = _copy(item, parts.topics[:1])
            return self.closed[id(item)]
        if any(c is page for c in parts.topics):
            return item  # the topic page: all its articles
        kept = [*parts.topics, *(c for c in parts.sections if c.active), *([page] if page.parent is item else [])]
        kept.sort(key=lambda c: parts.position[id(c)])
        return _copy(item, [self._item(c, page) for c in kept])


class _Parts:
    """A section's topic page (its index), its subsections, and the order of its children."""

    def __init__(self, section: Section) -> None:
        self.topics = [c for c in section.children if _is_index(c)]
        self.sections = [c for c in section.children if isinstance(c, Section)]
        self.position = {id(c): n for n, c in enumerate(section.children)}


def _is_index(item: object) -> bool:
    return isinstance(item, Page) and item.is_index


def _copy(section: Section, children: list[StructureItem]) -> Section:
    copy = Section(section.title, children)
    copy.active = section.active
    copy.parent = section.parent
    return copy
