"""The built site as files: each HTML page's ids, links, resources and images."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Folders of the build that hold assets and copies, not pages.
NOT_PAGES = ("_static/", "_sources/", "_downloads/", "_images/")


class PageParser(HTMLParser):
    """Collects a page's ids, links, resources and images."""

    RESOURCE_ATTRS = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }
    RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.images: list[Image] = []
        self._card_depth = 0  # inside a sphinx-gallery card
        self._divs: list[bool] = []  # for each open div: is it a card?

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in self.RESOURCE_ATTRS and a.get(self.RESOURCE_ATTRS[tag]):
            self.resources.append(a[self.RESOURCE_ATTRS[tag]])
        if tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if rels & self.RESOURCE_RELS:
                self.resources.append(a["href"])
        if tag == "img":
            for candidate in (a.get("srcset") or "").split(","):
                if candidate.strip():
                    self.resources.append(candidate.split()[0])
            self.images.append(Image(a.get("src", ""), a.get("alt"), self._card_depth > 0))
        if tag == "div":
            card = "sphx-glr-thumbcontainer" in (a.get("class") or "").split()
            self._divs.append(card)
            self._card_depth += card

    def handle_endtag(self, tag):
        if tag == "div" and self._divs:
            self._card_depth -= self._divs.pop()


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None
    card: bool  # a gallery card's thumbnail: the card's title names the link


@dataclass
class Site:
    """Every HTML page of a built site, parsed, by its path relative to ``root``."""

    root: Path
    pages: dict[str, PageParser] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path) -> Site:
        site = cls(root.resolve())
        for path in sorted(site.root.rglob("*.html")):
            rel = path.relative_to(site.root).as_posix()
            if rel.startswith(NOT_PAGES):
                continue
            parser = PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            site.pages[rel] = parser
        return site

    def resolve(self, page: str, url: str) -> tuple[str, str]:
        """The site path a local URL on ``page`` points at, and its fragment.

        A path that leaves the site comes back starting with ``../``, so that it
        is never found.
        """
        parts = urlsplit(url)
        if not parts.path:
            return page, unquote(parts.fragment)
        target = (self.root / Path(page).parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        try:
            rel = target.relative_to(self.root).as_posix()
        except ValueError:
            rel = "../" + target.as_posix()
        return rel, unquote(parts.fragment)

    def exists(self, rel: str) -> bool:
        return not rel.startswith("../") and (self.root / rel).is_file()


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme in {"http", "https", "ftp"}


def is_inline(url: str) -> bool:
    """A URL that names no file: data, script, mail and phone links, a bare ``#``."""
    return url == "#" or url.startswith(("mailto:", "javascript:", "tel:", "data:", "blob:"))
