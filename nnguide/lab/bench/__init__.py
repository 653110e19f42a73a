"""How fast is each implementation? A benchmark harness that compares them in one run.

Modules, each with one job:

* :mod:`~nnguide.lab.bench.contenders`: the ways of training the network that are timed;
* :mod:`~nnguide.lab.bench.harness`: measuring them in interleaved rounds within a budget;
* :mod:`~nnguide.lab.bench.ceiling`: the matrix-multiply ceiling;
* :mod:`~nnguide.lab.bench.profile`: where an epoch goes, part by part;
* :mod:`~nnguide.lab.bench.runner`: a whole run, kept in one record;
* :mod:`~nnguide.lab.bench.record`: the record (a tidy table of rounds): save, load, query;
* :mod:`~nnguide.lab.bench.verdicts`: every comparison as data, under a stable key;
* :mod:`~nnguide.lab.bench.report`: the sentences and tables that state them;
* :mod:`~nnguide.lab.bench.figures`: the plots;
* :mod:`~nnguide.lab.bench.ranking`: a page's own measurement of a few contenders, ranked.

What the record states, and why:

* **Thread counts are chosen, not assumed.** The main contenders are timed on
  every thread count worth trying up to the cores this process may use
  (:func:`nnguide.lab.threads.usable_cores`), and each library gets the count
  that is fastest for it where the rounds show one conclusively, the fewest
  threads otherwise (:func:`~nnguide.lab.bench.record.choose`).
* **Every time has an interval**, the order-statistics interval of its median
  over the rounds, and every comparison is a ratio taken round by round with
  its own interval (:mod:`nnguide.lab.stats`). A verdict says "faster" only
  when the ratio's interval excludes 1.
* **Every measurement has a time budget**, and the record says where the
  budget cut a measurement short or shrank its slices.

Run it with ``python -m nnguide bench`` (``--quick`` for about a minute).
"""

from nnguide.lab.bench.record import load_record, save_record
from nnguide.lab.bench.runner import run_benchmark, site_record, speed_record

__all__ = [
    "load_record",
    "run_benchmark",
    "save_record",
    "site_record",
    "speed_record",
]
