"""ONNX export from both sides: checked by onnx, run by onnxruntime, agreeing with both networks.

From one weight file, the four routes (the NumPy network, the PyTorch network,
onnxruntime on the NumPy side's hand-written graph, onnxruntime on PyTorch's
exported graph) give the same logits on all 10,000 MNIST test images within
the float32 bound of :mod:`nnguide.deploy.routes`, and the same predictions
except where an image's top two logits are within that bound.
"""

import numpy as np
import onnx
import pytest

from nnguide import scratch
from nnguide.data import to_features
from nnguide.deploy import onnx_export, routes, weights


@pytest.fixture(scope="module")
def trained(mnist, tmp_path_factory):
    """A network trained one epoch on a slice of MNIST's training set, saved."""
    model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
    optimizer = scratch.make_optimizer("sgd", model.parameters(), 0.1, 0.9)
    x, y = mnist.train
    train = (to_features(x[:12_000]), y[:12_000])
    test = (to_features(mnist.test[0][:100]), mnist.test[1][:100])
    scratch.fit(model, optimizer, train, test, epochs=1, batch_size=64)
    return weights.save(model, tmp_path_factory.mktemp("net") / "net.safetensors", epochs=1)


@pytest.fixture(scope="module")
def exported(trained, tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    return {
        impl: onnx_export.export(trained, folder / f"{impl}.onnx", impl)
        for impl in ("scratch", "pytorch")
    }


@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
def test_onnx_checker_accepts_each_export(exported, impl):
    onnx.checker.check_model(onnx.load(str(exported[impl])), full_check=True)


def test_the_numpy_sides_graph_is_a_handful_of_operators(exported, trained):
    assert onnx_export.operators(exported["scratch"]) == ["Gemm", "Sigmoid", "Gemm", "Softmax"]
    graph = onnx.load(str(exported["scratch"])).graph
    # Its matrices are the NumPy side's own W, (in, out): two matrices and two biases.
    assert [tuple(t.dims) for t in graph.initializer] == [(784, 128), (128,), (128, 10), (10,)]


def test_the_four_routes_agree_on_the_10000_test_images(mnist, trained, exported):
    x = to_features(mnist.test[0])
    assert len(x) == 10_000
    numpy_model, _ = weights.load(trained, "scratch")
    torch_model, _ = weights.load(trained, "pytorch")
    reference = routes.numpy_route(numpy_model)(x)
    others = {
        "pytorch": routes.pytorch_route(torch_model, inference_mode=True)(x),
        "onnx_scratch": routes.onnx_route(exported["scratch"])(x),
        "onnx_pytorch": routes.onnx_route(exported["pytorch"])(x),
    }
    for route, logits in others.items():
        result = routes.agreement(reference, logits)
        assert result.max_difference <= result.bound, (
            f"{route}: logits differ by {result.max_difference:.3g}, "
            f"beyond the bound {result.bound:.3g}"
        )
        assert result.disagreements == result.close_calls, (
            f"{route}: {result.disagreements - result.close_calls} predictions differ "
            "where the top two logits are further apart than the bound"
        )
        assert result.holds


def test_the_onnx_files_output_the_networks_probabilities(mnist, trained, exported):
    x = to_features(mnist.test[0][:50])
    model, info = weights.load(trained)
    expected = routes.probabilities(model(x), info.output)
    for path in exported.values():
        got = routes.session(path).run(["probabilities"], {"pixels": x})[0]
        np.testing.assert_allclose(got, expected, atol=1e-6)


@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
def test_a_float64_network_exports_as_float64(tmp_path, impl):
    model = scratch.MLP((784, 16, 10), "relu", seed=1, dtype="float64")
    path = weights.save(model, tmp_path / "net64.safetensors", loss="quadratic")
    target = onnx_export.export(path, tmp_path / "net64.onnx", impl)
    x = np.random.default_rng(0).random((7, 784))
    logits = routes.onnx_route(target)(x)
    assert logits.dtype == np.float64
    np.testing.assert_allclose(logits, model(x), rtol=1e-12, atol=1e-12)
    assert onnx_export.operators(target)[-1] == "Sigmoid"  # the quadratic cost's output
