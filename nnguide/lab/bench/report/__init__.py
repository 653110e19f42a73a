"""What a benchmark record says, in sentences and tables: every figure from the record.

Each function takes a record (:mod:`nnguide.lab.bench.record`) and returns a
:class:`~nnguide.lab.tables.Prose` paragraph or a
:class:`~nnguide.lab.tables.Table`. Contenders are found by role and named by
the labels the record holds; a verdict's words come from :func:`verdict_text`.
Nothing here is looked up by the wording of a label.
"""

from nnguide.lab.bench.report.sentences import (
    budget_notes,
    ceiling_text,
    headline,
    method,
    profile_text,
    provenance,
    speed_claims,
    tuned_profile_text,
)
from nnguide.lab.bench.report.tables import (
    compare_records,
    gain_table,
    others_table,
    part_label,
    profile_table,
    results_table,
    speed_table,
    sweep_table,
    targets_table,
    verdict_table,
)
from nnguide.lab.bench.report.words import (
    factor_text,
    name,
    on_text,
    reason_text,
    rounds_text,
    threads_text,
    verdict_text,
)

__all__ = [
    "on_text",
    "threads_text",
    "rounds_text",
    "name",
    "reason_text",
    "factor_text",
    "verdict_text",
    "speed_table",
    "results_table",
    "others_table",
    "verdict_table",
    "gain_table",
    "targets_table",
    "part_label",
    "profile_table",
    "sweep_table",
    "compare_records",
    "provenance",
    "method",
    "headline",
    "ceiling_text",
    "profile_text",
    "tuned_profile_text",
    "budget_notes",
    "speed_claims",
]
