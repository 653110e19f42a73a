"""No page's prose repeats a number of the code: each is formatted from it, or not said.

The reading of prose and code is in ``tests/prose_numbers.py``; the first test
holds every page to it, the others show that it finds what it should and
leaves alone what it should.
"""

import pytest
from prose_numbers import ROOT, Page, gallery_prose, markdown_code, markdown_prose, page_hits, pages

PAGES = pages()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_prose_number_copies_a_constant_of_the_code(page):
    hits = page_hits(page)
    assert not hits, (
        "numbers in the prose that copy a constant (format them from it where the code "
        "prints, or rewrite the sentence so it needs none):\n" + "\n".join(map(str, hits))
    )


def test_every_page_is_read():
    names = {p.name for p in PAGES}
    expected = {f"gallery/{p.name}" for p in (ROOT / "gallery").glob("plot_*.py")}
    expected |= {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    assert expected | {"README.md", "gallery/GALLERY_HEADER.rst"} <= names
    assert all(p.prose.strip() for p in PAGES if p.name.startswith("gallery/plot_"))


def found(prose: str, code: str) -> list[tuple[str, str]]:
    return [(h.number, h.constant) for h in page_hits(Page("page", prose, code))]


def test_a_number_in_digits_or_words_that_copies_a_constant_is_found():
    code = "EPOCHS = 10\nmodel.fit(x, batch_size=64)\nNOISE = 0.2\n"
    assert found("Ten epochs, in batches of 64.", code) == [
        ("Ten", "page's EPOCHS"),
        ("64", "an argument of model.fit() in page"),
    ]
    assert [n for n, _ in found("A fifth of the rounds, or 20% of them.", code)] == [
        "A fifth",
        "20%",
    ]
    assert found("It trains for 6,400 steps.", "run(steps=6_400)") == [
        ("6,400", "an argument of run() in page")
    ]


def test_a_number_the_prose_does_not_copy_is_left_alone():
    code = "EPOCHS = 10\nVERSION = 2.2\nYEAR = 2024\nSTEPS = 1\nsizes = (784, 128, 10)\n"
    assert found("It trains for the epochs printed below.", code) == []
    assert found("Eleven epochs, then 128 more.", "EPOCHS = 10\nx = a[:128] * 3") == [
        ("128", "a slice bound in page")
    ]
    assert found("Needs PyTorch 2.2, since 2024, one step.", code) == []  # versions, years, 1
    assert found("Drawn with ax.plot, markersize 4.", "ax.plot(x, y, markersize=4)") == []
    assert found("Three ways.", "y = x * 3") == []  # a literal in an expression: not a constant


def test_code_math_and_links_are_not_prose():
    source = (
        "---\nfile_format: mystnb\n---\n# Title\n\nThe `EPOCHS = 10` setting, $10^2$ and "
        "[a link](https://example.org/10).\n\n```{code-cell} ipython3\n:tags: [hide-input]\n"
        "EPOCHS = 10\n%matplotlib inline\n```\n\nAfter ten epochs.\n"
    )
    assert "10" not in markdown_prose(source) and "ten epochs" in markdown_prose(source)
    assert markdown_code(source).strip() == "EPOCHS = 10"
    script = (
        '"""\nTitle\n=====\n\nA ``BATCH = 64``, :math:`64`.\n"""\n# %%\nBATCH = 64  # 64 rows\n'
    )
    assert "64" not in gallery_prose(script).replace("64 rows", "")
    assert "64 rows" in gallery_prose(script)  # comments are prose


def test_the_package_constants_count_where_the_page_imports_them():
    prose = "An epoch over three times the median is left out."
    uses_it = "from nnguide.lab.epoch_time import epoch_time\n"
    assert found(prose, uses_it) == [("three", "nnguide.lab.epoch_time.DISTURBED_FACTOR")]
    assert found(prose, "import numpy as np\n") == []
