"""The lab: the machinery that measures the guide.

:mod:`~nnguide.lab.experiment` (one training run from one set of settings),
:mod:`~nnguide.lab.history` (run records), :mod:`~nnguide.lab.bench` (the
benchmark: contenders, harness, record, verdicts, report) and
:mod:`~nnguide.lab.tuned` (the NumPy network tuned in place, a contender of
its own), :mod:`~nnguide.lab.environment` (the machine),
:mod:`~nnguide.lab.threads` (thread counts), :mod:`~nnguide.lab.stats` (intervals
and verdicts), :mod:`~nnguide.lab.listing` (source listings for the pages),
:mod:`~nnguide.lab.seeding`, :mod:`~nnguide.lab.metrics`,
:mod:`~nnguide.lab.tables`, :mod:`~nnguide.lab.plots` and
:mod:`~nnguide.lab.codesize`. The lab imports the guide; the guide never
imports the lab.
"""
