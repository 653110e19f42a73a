"""Helpers for the Sphinx build of the nnguide site."""


def reset_seeds(gallery_conf, fname):
    """Before each gallery example: seed NumPy, PyTorch and Python with 0.

    Every example then starts from the same random state, whatever ran before it,
    so its output is the same in the site as when a reader runs it alone.
    """
    from nnguide.lab.seeding import seed_everything

    seed_everything(0)
