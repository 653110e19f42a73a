"""The built site as files, without a browser: every HTML page (the highlighted
source pages under ``_modules/`` and Sphinx's search and index pages included)
and every downloadable notebook."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from site_files import is_external, is_inline

# A gallery thumbnail whose content fills less of its height than this is a strip.
THUMB_MIN_FILL = 0.4
# Mean grey-level difference (0-255) under which a thumbnail is the placeholder.
PLACEHOLDER_DIFFERENCE = 12

# Sphinx markup that Jupyter would show verbatim in a notebook's Markdown cell.
ROLE = re.compile(r"(?<![\w`]):(?:[a-z]+:)?[a-z]+:`")
DIRECTIVE = re.compile(r"(?m)^\s*\.\. [\w:-]+::")


def local_links(site, page):
    """(href, target path, fragment) of each link on ``page`` to the site itself."""
    for href in site.pages[page].links:
        if not (is_inline(href) or is_external(href)):
            yield (href, *site.resolve(page, href))


def test_links_reach_a_file(site, page):
    missing = [href for href, target, _ in local_links(site, page) if not site.exists(target)]
    assert not missing, f"{page} links to missing files: {missing}"


def test_anchors_exist(site, page):
    missing = [
        href
        for href, target, fragment in local_links(site, page)
        if fragment
        and site.exists(target)
        and fragment not in getattr(site.pages.get(target), "ids", ())
    ]
    assert not missing, f"{page} links to missing anchors: {missing}"


def test_no_resource_from_another_host(site, page):
    outside = [src for src in site.pages[page].resources if is_external(src)]
    assert not outside, f"{page} loads resources from outside the site: {outside}"


def test_resources_exist(site, page):
    missing = [
        src
        for src in site.pages[page].resources
        if not (is_inline(src) or is_external(src)) and not site.exists(site.resolve(page, src)[0])
    ]
    assert not missing, f"{page} loads missing files: {missing}"


def test_images_have_alt_text(site, page_with_images):
    # A gallery card's thumbnail may have an empty alt: the card's title names the link.
    missing = [
        image.src
        for image in site.pages[page_with_images].images
        if image.alt is None or (not image.alt.strip() and not image.card)
    ]
    assert not missing, f"{page_with_images}: images without alt text: {missing}"


@functools.cache
def signature(path: Path):
    """A thumbnail's content on white, its box of opaque pixels, and its size."""
    from PIL import Image

    image = Image.open(path).convert("RGBA")
    box = image.getchannel("A").getbbox() or (0, 0, *image.size)
    flat = Image.new("RGBA", image.size, "white")
    flat.alpha_composite(image)
    return flat.crop(box).convert("L").resize((36, 24)), box, image.size


@pytest.mark.executed  # a build that runs no example shows the placeholder on every card
def test_gallery_cards_show_a_real_thumbnail(site, page_with_cards):
    """No card shows sphinx-gallery's placeholder, or a strip too thin to read."""
    placeholder_file = site.root / "_static" / "no_image.png"
    if not placeholder_file.is_file():
        pytest.fail("_static/no_image.png is missing: placeholder thumbnails cannot be told")
    placeholder = signature(placeholder_file)[0].tobytes()
    problems = []
    for image in site.pages[page_with_cards].images:
        target = site.resolve(page_with_cards, image.src)[0]
        if not (image.card and site.exists(target)):
            continue  # a missing file fails test_resources_exist
        thumb, box, size = signature(site.root / target)
        diff = sum(abs(a - b) for a, b in zip(thumb.tobytes(), placeholder)) / (36 * 24)
        name = Path(target).name
        if diff < PLACEHOLDER_DIFFERENCE:
            problems.append(f"{name} is the placeholder thumbnail")
        elif (box[3] - box[1]) < THUMB_MIN_FILL * size[1]:
            problems.append(
                f"{name} is a strip {box[3] - box[1]} of {size[1]} px high: choose another figure"
            )
    assert not problems, f"{page_with_cards}: {problems}"


def test_notebook_markdown_has_no_sphinx_markup(notebook):
    """Jupyter shows Sphinx roles (:mod:`...`) and directives verbatim."""
    found = []
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            for match in [*ROLE.finditer(text), *DIRECTIVE.finditer(text)]:
                found.append(text[match.start() : match.start() + 40].split("\n")[0].strip())
    assert not found, f"{notebook.name}: Sphinx roles or directives in Markdown cells: {found}"
