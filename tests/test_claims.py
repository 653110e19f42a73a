"""The claims page's verdicts (nnguide.lab.claims), each branch on hand-made measurements,
and the measurements behind the new rows (agreement, dynamic graphs, declarations)."""

import os

import numpy as np
import pytest

from nnguide.lab import agreement, claims, codesize, declarations, dynamic
from nnguide.lab.agreement import Agreement
from nnguide.lab.dynamic import DynamicCheck, Path

EPS64 = float(np.finfo(np.float64).eps)
EPS32 = float(np.finfo(np.float32).eps)

AGREES = Agreement("float64", 6400, 100, 3 * EPS64, 2 * EPS64)
FLOAT32 = Agreement("float32", 6400, 100, 5 * EPS32, 9 * EPS32)
DIFFERS = Agreement("float64", 6400, 100, 1e-9, 1e-9)


def verdict_word(claim: claims.Claim) -> str:
    """The bold word (or words) a verdict starts with."""
    assert claim.verdict.startswith("**"), f"the verdict does not start in bold: {claim.verdict}"
    return claim.verdict[2 : claim.verdict.index("**", 2)]


# -- cards ----------------------------------------------------------------------------------


def test_cards_give_each_claim_a_card_with_verdict_evidence_and_pages():
    rows = [
        claims.Claim("First claim.", "**True**: yes.", "a figure", ("comparison",)),
        claims.Claim("Second claim.", "**False**: no.", "another figure"),
    ]
    markup = claims.cards(rows)
    assert markup.startswith("::::{grid} 1 1 2 2"), "the cards are not one grid"
    blocks = markup.split(":::{grid-item-card} ")[1:]
    assert len(blocks) == 2, f"expected a card per claim, got {len(blocks)}"
    first, second = blocks
    assert first.startswith("First claim.\n:class-card: nnguide-claim\n")
    # The claim, then the verdict, then the evidence, then the pages: in that order.
    order = [
        first.index(part)
        for part in ("**True**: yes.", "*Measured:* a figure", "{doc}`comparison`")
    ]
    assert order == sorted(order), f"a card's parts are out of order: {first!r}"
    assert "Shown on" not in second, "a claim with no page still lists pages"
    assert markup.rstrip().endswith("::::"), "the grid is not closed"


def test_a_claim_of_two_lines_cannot_be_a_card_title():
    with pytest.raises(ValueError, match="one line"):
        claims.cards([claims.Claim("two\nlines", "**True**", "x")])


# -- accuracy -------------------------------------------------------------------------------


RUNS = {"sigmoid": ([0.900, 0.950], [0.903, 0.949]), "relu": ([0.92, 0.96], [0.92, 0.96])}
SEED_RUN = "after 3 epochs, sigmoid"


def seeds(*gaps: float, numpy: float = 0.90) -> dict[int, tuple[float, float]]:
    """Seed -> (NumPy's accuracy, PyTorch's): PyTorch ahead of NumPy by each gap."""
    return {seed: (numpy, numpy + gap) for seed, gap in enumerate(gaps)}


AHEAD = seeds(0.010, 0.012, 0.008, 0.011, 0.009)  # mean 1.00 points, 90% interval [0.85, 1.15]
BEHIND = seeds(-0.010, -0.012, -0.008, -0.011, -0.009)
MIXED = seeds(0.002, -0.003, 0.001, -0.001, 0.0)
SAME = seeds(0, 0, 0, 0, 0)


def accuracy(seed_gaps, float64=AGREES, runs=RUNS, **kwargs):
    return claims.accuracy_claim(runs, float64, FLOAT32, seed_gaps, seed_run=SEED_RUN, **kwargs)


def test_identical_accuracy_on_every_seed_says_so():
    claim = accuracy(SAME)
    assert verdict_word(claim) == "False"
    assert "identical test accuracy on each of the 5 seeds (after 3 epochs, sigmoid)" in (
        claim.verdict
    )


@pytest.mark.parametrize(
    ("gaps", "word", "words"),
    [
        (AHEAD, "True", "PyTorch is ahead by 1.00 points [0.85, 1.15]"),
        (BEHIND, "False", "NumPy is ahead by 1.00 points [0.85, 1.15]"),
        (MIXED, "Inconclusive", "PyTorch minus NumPy, is -0.02 points [-0.20, 0.16]"),
    ],
)
def test_the_seeds_interval_decides_who_is_ahead(gaps, word, words):
    claim = accuracy(gaps)
    assert verdict_word(claim) == word
    assert words in claim.verdict
    assert "90% interval over 5 seeds, paired by seed, after 3 epochs, sigmoid" in claim.verdict


def test_the_interval_is_students_t_over_the_seeds():
    from scipy import stats as scipy_stats

    numpy_acc = [n for n, _ in MIXED.values()]
    torch_acc = [t for _, t in MIXED.values()]
    expected = scipy_stats.ttest_rel(torch_acc, numpy_acc).confidence_interval(0.90)
    low, high = (f"{100 * v:.2f}" for v in (expected.low, expected.high))
    assert f"[{low}, {high}]" in accuracy(MIXED).verdict


def test_the_gap_is_explained_by_what_float64_measured():
    rounding = accuracy(AHEAD)
    assert "float32 rounding" in rounding.verdict
    assert f"{AGREES.epsilons:.0f} machine epsilons" in rounding.verdict
    beyond = accuracy(AHEAD, DIFFERS)
    assert "do not compute the same network" in beyond.verdict
    assert "float32 rounding" not in beyond.verdict


def test_the_evidence_lists_each_seed_and_the_shared_runs():
    claim = accuracy(MIXED)
    assert "by seed: +0.20, -0.30, +0.10, -0.10, +0.00 points" in claim.evidence
    assert "after 2 epochs" in claim.evidence  # the shared runs' own epoch count
    assert "95.00% vs 94.90% (sigmoid)" in claim.evidence
    assert "6,400 training images (100 steps)" in claim.evidence


def test_every_accuracy_branch_words_its_verdict_differently():
    verdicts = {
        accuracy(SAME).verdict,
        accuracy(AHEAD).verdict,
        accuracy(AHEAD, DIFFERS).verdict,
        accuracy(BEHIND).verdict,
        accuracy(MIXED).verdict,
    }
    assert len(verdicts) == 5, "two outcomes of the accuracy claim give the same verdict"


def test_the_settings_are_compared_with_the_library():
    # The activation moves final accuracy by 4 points, the library by 0.10.
    runs = {"sigmoid": ([0.90], [0.90]), "relu": ([0.94], [0.941])}
    claim = accuracy(SAME, runs=runs, varied="the hidden activation")
    assert "The hidden activation moved the final accuracy by up to 4.10 points" in claim.verdict
    assert "the library by 0.10: accuracy follows the settings" in claim.verdict
    # Settings that move it less than the library do not get the credit.
    runs = {"sigmoid": ([0.90], [0.92]), "relu": ([0.905], [0.92])}
    assert "no more than the library did (2.00 points)" in accuracy(SAME, runs=runs).verdict
    assert "by up to" not in accuracy(SAME, runs={"a": ([0.9], [0.9])}).verdict


def test_accuracy_needs_an_epoch_and_two_seeds():
    with pytest.raises(ValueError, match="at least one epoch"):
        accuracy(SAME, runs={"a": ([], [])})
    with pytest.raises(ValueError, match="two or more pairs"):
        accuracy(seeds(0.01))


def test_agreement_counts_in_machine_epsilons():
    assert AGREES.epsilons == pytest.approx(3)
    assert FLOAT32.epsilons == pytest.approx(9)
    assert AGREES.within_rounding and FLOAT32.within_rounding
    assert not DIFFERS.within_rounding
    edge = agreement.ROUNDING_EPSILONS * EPS64
    assert Agreement("float64", 1, 1, edge, 0).within_rounding
    assert not Agreement("float64", 1, 1, 2 * edge, 0).within_rounding


def test_the_two_sides_agree_to_rounding_in_float64():
    from nnguide.data import Dataset
    from nnguide.lab.experiment import TrainConfig

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (256, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 256)
    dataset = Dataset("random", (images, labels), (images[:64], labels[:64]))
    config = TrainConfig(hidden=(16,), batch_size=32, lr=0.1, momentum=0.9)
    found = agreement.measure(config, dataset, images=128, dtype="float64")
    assert (found.images, found.steps) == (128, 4)
    assert found.within_rounding, f"the two sides differ by {found.epsilons:.0f} epsilons"


# -- CPU ------------------------------------------------------------------------------------


def test_cpu_claim_branches():
    cpu_only = {"cpu": True, "cuda": False}
    none = claims.cpu_claim(cpu_only, "2.4.0", None)
    assert verdict_word(none) == "True"
    assert "not measured here" in none.verdict and "cuda refused" in none.evidence
    gpu = claims.cpu_claim(cpu_only, "2.4.0", "Some GPU", 0.5, 2.0, run="ReLU, batch 64")
    assert verdict_word(gpu) == "True"
    assert "4.00x as fast as on the CPU" in gpu.verdict
    assert "Some GPU: 0.50 s for a training epoch against 2.00 s on the CPU (ReLU, batch 64" in (
        gpu.evidence
    )
    slow = claims.cpu_claim(cpu_only, "2.4.0", "Some GPU", 2.0, 1.0)
    assert "2.00x as slow as on the CPU" in slow.verdict
    old = claims.cpu_claim({"cpu": False, "cuda": False}, "1.26.0", None)
    assert "NumPy 1.26.0 has no device argument" in old.verdict
    anywhere = claims.cpu_claim({"cpu": True, "cuda": True}, "9.0", None)
    assert verdict_word(anywhere) == "False" and "cuda" in anywhere.verdict
    assert len({c.verdict for c in (none, gpu, slow, old, anywhere)}) == 5


def test_numpy_devices_accepts_the_cpu_only():
    found = claims.numpy_devices()
    numpy_2 = int(np.__version__.split(".")[0]) >= 2
    assert found == {"cpu": numpy_2, "cuda": False}


# -- code -----------------------------------------------------------------------------------


def test_code_claim_compares_lines():
    more = claims.code_claim(300, 150)
    assert verdict_word(more) == "True" and "2.00x as much" in more.verdict
    assert "300 lines of code for the NumPy network's modules against 150" in more.evidence
    fewer = claims.code_claim(100, 200)
    assert verdict_word(fewer) == "False" and "0.50x as much" in fewer.verdict


def test_gradient_claim_branches():
    caught = claims.gradient_claim(1e-9, 0.5, (20, 8, 5))
    assert verdict_word(caught) == "Partly" and "finds it at once" in caught.verdict
    assert "on a 20-8-5 network" in caught.evidence and "5.0e-01" in caught.evidence
    wrong = claims.gradient_claim(0.2, 0.5, (20, 8, 5))
    assert verdict_word(wrong) == "True" and "it bit here" in wrong.verdict
    missed = claims.gradient_claim(1e-9, 1e-5, (20, 8, 5))
    assert verdict_word(missed) == "True" and "can miss it" in missed.verdict


def check(ops=(14, 20), grad=(1e-10, 1e-10), trace=(0.2, 0.03), loss=(0.5, 0.1)):
    paths = tuple(Path(r, o, g, t) for r, o, g, t in zip((1, 3), ops, grad, trace))
    return DynamicCheck(paths, loss[0], loss[1], steps=50)


def test_dynamic_claim_branches():
    shown = claims.dynamic_claim(check())
    assert verdict_word(shown) == "True" and "froze its branch" in shown.verdict
    assert "graphs of 14 and 20 operations" in shown.evidence
    assert "its output differs by 0.20 and 0.03" in shown.evidence
    assert "took the loss from 0.500 to 0.100" in shown.evidence
    same = claims.dynamic_claim(check(ops=(14, 14)))
    assert verdict_word(same) == "Not shown" and "same 14 operations" in same.verdict
    wrong = claims.dynamic_claim(check(grad=(1e-10, 1e-3)))
    assert verdict_word(wrong) == "False" and "3 times" in wrong.verdict
    stuck = claims.dynamic_claim(check(loss=(0.5, 0.5)))
    assert verdict_word(stuck) == "Not shown" and "did not learn" in stuck.verdict
    lucky = claims.dynamic_claim(check(trace=(0.0, 0.0)))
    assert "happened to answer both inputs right" in lucky.verdict


def test_a_graph_that_depends_on_the_data_is_built_differentiated_and_trained():
    found = dynamic.check()
    a, b = found.paths
    assert (a.repeats, b.repeats) == dynamic.REPEATS
    assert a.operations < b.operations, "a longer path should record more operations"
    assert found.gradient_error < 1e-6, f"autograd against finite differences: {found}"
    assert a.trace_error > 0 and b.trace_error > 0, "a trace should freeze its branch"
    assert found.loss_after < found.loss_before


def sizes(keras=(18, 0, 9), torch=(8, 178, 28), numpy=(6, 276, 21), params=(10, 10, 10)):
    rows = zip(("keras", "pytorch", "scratch"), (keras, torch, numpy), params)
    return {key: claims.Size(*figures, parameters=p) for key, figures, p in rows}


def test_keras_claim_branches():
    simpler = claims.keras_claim(sizes(), "torch")
    assert verdict_word(simpler) == "True"
    assert "178 lines in the guide's PyTorch side and 276 lines in its NumPy side" in (
        simpler.verdict
    )
    assert "the guide's PyTorch side 8 lines calling 28 names, plus 178 in its own modules" in (
        simpler.evidence
    )
    assert "Keras ran on its torch backend" in simpler.evidence
    partly = claims.keras_claim(sizes(keras=(18, 0, 30)), "torch")
    assert verdict_word(partly) == "Partly"
    longer = claims.keras_claim(sizes(keras=(200, 0, 9)), "torch")
    assert verdict_word(longer) == "False"
    apart = claims.keras_claim(sizes(params=(10, 10, 11)), "torch")
    assert verdict_word(apart) == "Not judged" and "11" in apart.verdict


def test_called_names_are_what_code_asks_of_its_libraries():
    import math

    class Local:
        def method(self):
            return 1

    def example(x, callback):
        y = math.sqrt(len(x))  # sqrt counts; len is a builtin
        callback(y)  # an argument, not a library name
        Local().method()  # defined here
        return np.asarray(x).sum()

    assert codesize.called_names(example) == {"sqrt", "Local", "method", "asarray", "sum"}
    assert codesize.called_names(example, Local) == {"sqrt", "asarray", "sum"}


#: One short epoch, with the claims page's optimizer settings.
SHORT = dict(epochs=1, batch_size=32, lr=0.1, momentum=0.9, seed=0)


def test_the_declarations_declare_the_same_network():
    rng = np.random.default_rng(0)
    train = (rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64))
    test = (train[0][:16], train[1][:16])
    expected = 784 * 128 + 128 + 128 * 10 + 10
    for way in ("pytorch", "scratch"):
        model, accuracy = declarations.WAYS[way](train, test, **SHORT)
        assert declarations.parameter_count(model) == expected, way
        assert 0 <= accuracy <= 1, way
        labels = declarations.predictions(model, test[0])
        assert labels.shape == (16,) and np.mean(labels == test[1]) == pytest.approx(accuracy), way


def test_keras_declares_the_same_network():
    rng = np.random.default_rng(0)
    train = (rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64))
    model, accuracy = declarations.with_keras(train, train, **SHORT)
    assert declarations.parameter_count(model) == 784 * 128 + 128 + 128 * 10 + 10
    assert 0 <= accuracy <= 1
    labels = declarations.predictions(model, train[0])
    assert labels.shape == (64,) and np.mean(labels == train[1]) == pytest.approx(accuracy)
    # Keras runs on PyTorch unless the reader's own KERAS_BACKEND names another.
    assert declarations.keras_backend() == os.environ.get("KERAS_BACKEND", "torch")


def listed_on(page: str) -> list[str]:
    """What ``Listing(...)`` shows on a gallery page, as written in its source."""
    import ast
    from pathlib import Path

    source = Path(__file__).resolve().parents[1] / "gallery" / page
    nodes = ast.walk(ast.parse(source.read_text(encoding="utf-8")))
    calls = [n for n in nodes if isinstance(n, ast.Call) and ast.unparse(n.func) == "Listing"]
    return [ast.unparse(arg) for call in calls for arg in call.args]


def test_page_4b_shows_the_declarations_the_keras_card_counts():
    counted = [f"declarations.{way.__name__}" for way in declarations.WAYS.values()]
    assert sorted(listed_on("plot_04b_keras_model.py")) == sorted(counted)


def test_page_8_shows_the_model_the_dynamic_card_judges():
    """dynamic.check() judges DepthNet; page 8 shows its source, and runs it."""
    assert "DepthNet" in listed_on("plot_08_dynamic_graphs.py")
