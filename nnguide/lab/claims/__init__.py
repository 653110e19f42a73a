"""The claims page's rows: each claim's verdict and evidence, computed from measurements.

Every function takes the figures a page measured (plain numbers, or the small
records of :mod:`nnguide.lab.agreement`, :mod:`nnguide.lab.dynamic` and
:mod:`nnguide.lab.declarations`) and returns a :class:`Claim`. Each verdict has
a branch for every outcome the measurement can have, so a rebuild that
measures otherwise says otherwise. :func:`cards` renders the claims as
sphinx-design cards: one compact block per claim on a phone, a grid on a wide
screen.

Modules: :mod:`~nnguide.lab.claims.card` (the claim and its card),
:mod:`~nnguide.lab.claims.training` (claims judged by training runs),
:mod:`~nnguide.lab.claims.code` (claims judged by the code itself),
:mod:`~nnguide.lab.claims.scale` (the claim judged by training on several processes),
:mod:`~nnguide.lab.claims.production` (the claim judged by the deploy record).
"""

from nnguide.lab.claims.card import Claim, cards
from nnguide.lab.claims.code import (
    WAY_NAMES,
    Size,
    code_claim,
    dynamic_claim,
    gradient_claim,
    keras_claim,
)
from nnguide.lab.claims.production import production_claim
from nnguide.lab.claims.scale import parallel_code_lines, scale_claim
from nnguide.lab.claims.training import accuracy_claim, cpu_claim, numpy_devices, points

__all__ = [
    "Claim",
    "cards",
    "points",
    "accuracy_claim",
    "cpu_claim",
    "numpy_devices",
    "code_claim",
    "gradient_claim",
    "dynamic_claim",
    "Size",
    "WAY_NAMES",
    "keras_claim",
    "production_claim",
    "parallel_code_lines",
    "scale_claim",
]
