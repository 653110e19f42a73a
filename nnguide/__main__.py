"""``python -m nnguide``: the command line, :mod:`nnguide.cli`."""

import sys

from nnguide.cli import main

if __name__ == "__main__":
    sys.exit(main())
