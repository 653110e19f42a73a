"""The site's small fixes to its tools, and the seed every gallery example starts from."""

from pathlib import Path


def reset_seeds(gallery_conf, fname):
    """Before each gallery example: seed NumPy, PyTorch and Python with 0.

    Every example then starts from the same random state, whatever ran before it,
    so its output is the same in the site as when a reader runs it alone.
    """
    from nnguide.lab.seeding import seed_everything

    seed_everything(0)


# PyTorch classes live in private modules (torch.nn.modules.module.Module);
# show a base class by the public name its documentation uses.
PUBLIC_NAMES = {
    "torch.nn.modules.module.Module": "torch.nn.Module",
    "torch.utils.data.sampler.Sampler": "torch.utils.data.Sampler",
}


def public_bases(app, name, obj, options, bases):
    for i, base in enumerate(bases):
        full = f"{getattr(base, '__module__', '')}.{getattr(base, '__qualname__', '')}"
        if full in PUBLIC_NAMES:
            bases[i] = f":py:class:`{PUBLIC_NAMES[full]}`"


def computation_times_offline(app):
    """Make sphinx-gallery's computation-times page read offline.

    sphinx-gallery (0.17 and later) writes the table with a raw-HTML block that
    loads jQuery, DataTables and Bootstrap from CDNs to make it sortable; with
    no network the page logs ``$ is not defined``. Keep the plain table, and
    drop its memory column, which only holds zeros when ``show_memory`` is off.
    Runs after sphinx-gallery has written the page (a later builder-inited).
    """
    page = Path(app.srcdir) / "sg_execution_times.rst"
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    lines, out, skipping, cell = text.splitlines(keepends=True), [], False, 0
    for line in lines:
        if line.strip() == ".. raw:: html":
            skipping = True
            continue
        if skipping:
            if line.strip().startswith(".. list-table::"):
                skipping = False
            else:
                continue
        if line.startswith("   * - "):
            cell = 1
        elif line.startswith("     - "):
            cell += 1
            if cell == 3 and not app.config.sphinx_gallery_conf["show_memory"]:
                continue
        out.append(line)
    new = "".join(out)
    if new != text:
        page.write_text(new, encoding="utf-8")


def first_visit_mode(app, pagename, templatename, context, doctree):
    """The colour mode a first visit starts in: the reader's system setting.

    pydata-sphinx-theme takes it from ``default_mode`` in the page's context;
    left unset, a first visit logs "Got invalid theme mode" as a console error.
    """
    context.setdefault("default_mode", "auto")


def setup(app):
    app.connect("html-page-context", first_visit_mode)
    app.connect("builder-inited", computation_times_offline, priority=900)
    app.connect("autodoc-process-bases", public_bases)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
