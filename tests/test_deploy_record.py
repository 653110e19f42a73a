"""The deploy record's claim and installed sizes: a branch per outcome, sizes from files.

The claim "less practical for production use" is judged on records made up
for each outcome (NumPy better on every count, worse on every count, mixed,
undecided, an ONNX file that computes something else), so each branch is
shown to follow from the figures. Installed sizes are sums of the files the
distributions list.
"""

from importlib import metadata

import pytest

from nnguide.lab import claims, deploy_report, installs


def record(numpy_size, torch_size, latency, cold, onnx_ok=True, rounds=9, batched=None):
    """A deploy record with the figures the claim reads.

    ``latency``, ``cold`` and ``batched`` (at batches 64 and 1,000; default: as
    ``latency``) are NumPy's time over PyTorch's, the same every round (``None``:
    rounds that swing both ways, which no interval decides).
    """

    def pair(r):
        if r is None:
            return [1.0] * rounds, [0.5 if i % 2 else 2.0 for i in range(rounds)]
        return [r] * rounds, [1.0] * rounds

    numpy_latency, torch_latency = pair(latency)
    numpy_batched, torch_batched = pair(latency if batched is None else batched)
    numpy_cold, torch_cold = pair(cold)
    bound = 1e-5
    agreement = {"max_difference": bound / 10 if onnx_ok else 1.0, "bound": bound}
    agreement |= {"disagreements": 0 if onnx_ok else 40, "close_calls": 0}
    return {
        "installs": {
            "numpy": {"total": numpy_size},
            "pytorch": {"total": torch_size},
            "torch_build": "torch 2.14.1, a CUDA build",
        },
        "chosen": {r: {"1": 1, "64": 1, "1000": 1} for r in ("numpy", "pytorch_inference")},
        "latency": [
            {"route": route, "batch_size": bs, "threads": 1, "seconds": seconds}
            for bs in (1, 64, 1000)
            for route, seconds in zip(
                ("numpy", "pytorch_inference"),
                (numpy_latency, torch_latency) if bs == 1 else (numpy_batched, torch_batched),
            )
        ],
        "cold_start": {"numpy": numpy_cold, "pytorch_inference": torch_cold},
        "agreement": {"onnx_scratch": agreement, "onnx_pytorch": agreement},
    }


@pytest.mark.parametrize(
    "figures, verdict",
    [
        ((70e6, 4e9, 0.5, 0.1), "**False**"),
        ((5e9, 4e9, 2.0, 3.0), "**True**"),
        ((70e6, 4e9, 2.0, 0.1), "**Partly true**"),
        ((70e6, 4e9, None, 0.1), "**Inconclusive**"),
        ((70e6, 4e9, None, None), "**Inconclusive**"),
        ((70e6, 70e6, None, None), "nothing is decided"),
        ((70e6, 70e6, 0.5, 0.1), "Both routes install the same size."),
    ],
)
def test_the_production_claim_has_a_branch_per_outcome(figures, verdict):
    claim = claims.production_claim(record(*figures))
    assert claim.verdict.startswith(verdict) or verdict in claim.verdict, claim.verdict
    assert claims.production.NOT_MEASURED in claim.verdict  # always says what it leaves out


def test_slower_batches_make_the_verdict_partly_true_and_every_batch_counts():
    claim = claims.production_claim(record(70e6, 4e9, 0.5, 0.1, batched=1.5))
    assert claim.verdict.startswith("**Partly true**:")
    assert "worse on throughput at batches 64 and 1,000" in claim.verdict
    assert "at batch 64: 1.50x [1.50x, 1.50x]" in claim.evidence


def test_an_onnx_file_that_computes_otherwise_counts_against_numpy():
    claim = claims.production_claim(record(70e6, 4e9, 0.5, 0.1, onnx_ok=False))
    assert claim.verdict.startswith("**Partly true**") and "ONNX export" in claim.verdict
    assert "do not give the network's logits" in claim.evidence


def test_the_evidence_quotes_the_figures_each_after_its_label():
    claim = claims.production_claim(record(70e6, 4e9, 0.5, 0.1))
    assert "installed: NumPy 70.0 MB, PyTorch 4,000.0 MB" in claim.evidence
    assert "at batch 1: 0.50x [0.50x, 0.50x]; at batch 64: 0.50x" in claim.evidence
    assert "first answer: 0.10x [0.10x, 0.10x]" in claim.evidence


@pytest.mark.parametrize(
    "variant, nvidia, says, never",
    [
        ("cuda", 3e9, "the CUDA build installed here: 3,000.0 MB of it are nvidia-* wheels, "
         "which a CPU-only build (not measured here) leaves out.", None),
        ("cpu", 0, "compares against the torch build installed here: torch 9.9+cpu", "nvidia"),
    ],
)  # fmt: skip
def test_the_verdict_names_the_torch_build_its_size_compares_against(variant, nvidia, says, never):
    made = record(70e6, 4e9, 0.5, 0.1)
    build = {"cuda": "torch 9.9+cu130, a CUDA build", "cpu": "torch 9.9+cpu, the CPU-only build"}
    made["installs"] |= {"torch_variant": variant, "nvidia": nvidia, "torch_build": build[variant]}
    verdict = claims.production_claim(made).verdict
    assert says in verdict and (never is None or never not in verdict), verdict


def test_a_route_without_its_series_is_an_error_naming_it():
    with pytest.raises(KeyError, match="onnx_scratch at batch 1"):
        deploy_report.series(record(1, 2, 0.5, 0.5), "onnx_scratch", 1, 1)


def test_a_distributions_size_is_the_sum_of_its_files(tmp_path, monkeypatch):
    info = tmp_path / "fake-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake\nVersion: 1.0\n")
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "a.py").write_bytes(b"x" * 100)
    (tmp_path / "fake" / "b.bin").write_bytes(b"y" * 2_000)
    listed = ["fake/a.py", "fake/b.bin", "fake/never_written.pyc", "fake-1.0.dist-info/METADATA"]
    (info / "RECORD").write_text("".join(f"{name},,\n" for name in listed))
    monkeypatch.syspath_prepend(str(tmp_path))
    metadata_size = (info / "METADATA").stat().st_size
    assert installs.dist_size("fake") == 100 + 2_000 + metadata_size  # the absent file: 0


@pytest.mark.parametrize(
    "version, requires, variant, words",
    [
        ("2.9.0+cu130", [], "cuda", "torch 2.9.0+cu130, a CUDA build (CUDA 13.0)"),
        ("2.9.0+cu118", [], "cuda", "torch 2.9.0+cu118, a CUDA build (CUDA 11.8)"),
        ("2.9.0+cpu", [], "cpu", "torch 2.9.0+cpu, the CPU-only build"),
        ("2.9.0+rocm6.2", [], "rocm", "torch 2.9.0+rocm6.2, a ROCm build"),
        ("2.9.0", ["nvidia-cublas-cu12"], "cuda", "requires nvidia-* wheels"),
        ("2.9.0", ["filelock", "sympy"], "other", "torch 2.9.0, a build without CUDA"),
        (None, [], "missing", "torch not installed"),
    ],
)
def test_the_torch_build_is_read_from_its_version(version, requires, variant, words, monkeypatch):
    def fake_version(name):
        if version is None:
            raise metadata.PackageNotFoundError(name)
        return version

    monkeypatch.setattr(installs.metadata, "version", fake_version)
    monkeypatch.setattr(installs, "requirements", lambda name: requires)
    got = installs.torch_variant()
    assert got[0] == variant and words in got[1]
    assert installs.torch_build() == got[1]


def made_up_installs(variant, nvidia):
    def route(total, names):
        return {"total": total, "distributions": {n: total // len(names) for n in names}}

    return {
        "numpy": route(40_000_000, ["numpy", "safetensors"]),
        "pytorch": route(4_000_000_000, ["torch", "nvidia-cublas", "numpy", "safetensors"]),
        "onnxruntime": route(60_000_000, ["onnxruntime", "numpy"]),
        "torch_variant": variant,
        "torch_build": {"cuda": "torch 9.9+cu130, a CUDA build", "cpu": "torch 9.9+cpu, the "
                        "CPU-only build", "other": "torch 9.9, a build without CUDA"}[variant],
        "nvidia": nvidia,
    }  # fmt: skip


@pytest.mark.parametrize(
    "variant, nvidia, says, never",
    [
        ("cuda", 3_000_000_000, "nvidia-* wheels are 3,000.0 MB of the PyTorch route's size, "
         "which torch's CPU-only", "with no nvidia"),
        ("cuda", 0, "a CUDA build, with no nvidia-* wheels", "CPU-only build does"),
        ("cpu", 0, "the CPU-only build, with no nvidia-* wheels", "not installed here"),
        ("other", 5_000_000, "nvidia-* wheels are 5.0 MB of the PyTorch route's size.",
         "CPU-only"),
    ],
)  # fmt: skip
def test_the_installs_sentence_follows_the_build(variant, nvidia, says, never):
    sentence = deploy_report.installs_sentence(made_up_installs(variant, nvidia))
    assert says in sentence and never not in sentence, sentence
    assert sentence.startswith("The NumPy route installs 40.0 MB; the PyTorch route, 4,000.0 MB")


def test_the_installs_table_names_the_routes_for_readers_and_the_torch_build():
    table = deploy_report.installs_table({"installs": made_up_installs("cpu", 0)})
    routes = [row[0] for row in table.rows]
    assert routes == list(deploy_report.INSTALL_ROUTES.values())
    assert table.rows[1][1] == "torch, safetensors (torch 9.9+cpu, the CPU-only build)"
    assert table.rows[0][1] == "numpy, safetensors"


def test_a_route_counts_each_requirement_once_and_names_what_is_missing():
    sizes, missing = installs.closure(["onnxruntime", "numpy", "no-such-distribution"])
    assert "numpy" in sizes and "onnxruntime" in sizes
    assert set(installs.requirements("onnxruntime")) <= set(sizes) | set(missing)
    assert missing == ["no-such-distribution"]
