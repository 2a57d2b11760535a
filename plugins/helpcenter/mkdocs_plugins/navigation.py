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

    def for_page(self, page: Page) -> Navigation:
        items = [self._item(item, page) for item in self.nav.items]
        short = Navigation(items, [])
        short.homepage = self.nav.homepage
        return short

    def _item(self, item: StructureItem, page: Page) -> StructureItem:
        if not isinstance(item, Section):
            return item
        if not item.active:
            if id(item) not in self.closed:
                self.closed[id(item)] = _copy(item, [c for c in item.children if _is_index(c)][:1])
            return self.closed[id(item)]
        if any(c is page and _is_index(c) for c in item.children):
            return item  # the topic page: all its articles
        kept = [c for c in item.children if _is_index(c) or c is page or (isinstance(c, Section) and c.active)]
        return _copy(item, [self._item(c, page) for c in kept])


def _is_index(item: object) -> bool:
    return isinstance(item, Page) and item.is_index


def _copy(section: Section, children: list[StructureItem]) -> Section:
    copy = Section(section.title, children)
    copy.active = section.active
    copy.parent = section.parent
    return copy
