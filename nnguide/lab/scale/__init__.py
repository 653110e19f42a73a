"""Training on more than one process, measured: the record of the page that shows it.

Modules: :mod:`~nnguide.lab.scale.launchers` (starting a job under ``torchrun``
or ``mpiexec``, with a timeout), :mod:`~nnguide.lab.scale.worker` (what each
process of a measuring job runs), :mod:`~nnguide.lab.scale.record` (the
``scale`` record: exactness, epoch times, all-reduce sweep and fit),
:mod:`~nnguide.lab.scale.projection` (what a step would cost on N machines,
on paper) and :mod:`~nnguide.lab.scale.report` (the record as the page shows it).
"""
