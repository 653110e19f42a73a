"""The lab: the machinery that measures the guide.

:mod:`~nnguide.lab.experiment` (one training run from one set of settings),
:mod:`~nnguide.lab.history` (run records), :mod:`~nnguide.lab.epoch_time` (an
epoch's time, as every page reports it), :mod:`~nnguide.lab.bench` (the
benchmark: contenders, harness, record, verdicts, report) and
:mod:`~nnguide.lab.tuned` (the NumPy network tuned in place, a contender of its
own), :mod:`~nnguide.lab.environment` (the machine),
:mod:`~nnguide.lab.threads` (thread counts), :mod:`~nnguide.lab.stats` (intervals
and verdicts), :mod:`~nnguide.lab.listing` (source listings for the pages),
:mod:`~nnguide.lab.seeding`, :mod:`~nnguide.lab.metrics`,
:mod:`~nnguide.lab.tables`, :mod:`~nnguide.lab.plots`,
:mod:`~nnguide.lab.codesize`; and what the claims page judges with:
:mod:`~nnguide.lab.claims` (a verdict per claim), :mod:`~nnguide.lab.agreement`
(the two sides trained from the same weights), :mod:`~nnguide.lab.dynamic`
(a network whose graph changes with its input) and
:mod:`~nnguide.lab.declarations` (one network in Keras, PyTorch and NumPy).
The lab imports the guide; the guide never
imports the lab.
"""
