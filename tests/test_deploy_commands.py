"""The commands that carry a network from training to use: train --save, evaluate, export, predict.

End to end on short runs: each side saves, either side evaluates the file to
the same accuracy, both exports run, and predict classifies drawn images from
the weight file and from each ONNX file alike. A run that does not finish
saves nothing; a missing library names the extra; a bad image gets one line.
"""

import json
import sys

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nnguide import scratch
from nnguide.cli import main
from nnguide.deploy import weights

TRAIN = ["train", "--hidden", "16", "--epochs", "1"]


def run_main(argv, capsys):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def drawn_digits(folder):
    """A 1 drawn dark on light, large, and a 0 drawn light on dark, small, as files."""
    one = Image.new("L", (300, 400), "white")
    ImageDraw.Draw(one).line([(150, 40), (150, 360)], fill="black", width=40)
    zero = Image.new("RGB", (60, 60), "black")
    ImageDraw.Draw(zero).ellipse([18, 10, 42, 50], outline="white", width=5)
    paths = [folder / "one.png", folder / "zero.jpg"]
    one.save(paths[0])
    zero.save(paths[1])
    return paths


@pytest.fixture(scope="module")
def saved(mnist, tmp_path_factory):
    """A network trained by the command line on each side, with its record."""
    folder = tmp_path_factory.mktemp("runs")
    out = {}
    for impl in ("scratch", "pytorch"):
        path, record = folder / f"{impl}.safetensors", folder / f"{impl}.json"
        assert main([*TRAIN, "--impl", impl, "--save", str(path), "--json", str(record)]) == 0
        out[impl] = (path, json.loads(record.read_text()))
    return out


@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
def test_train_save_writes_the_network_and_names_it_in_the_record(saved, impl):
    path, record = saved[impl]
    assert record["saved"] == {"path": str(path), "sha256": weights.sha256(path)}
    info = weights.read(path)
    assert info.trained_by == impl and info.status == "finished"
    assert info.epochs == record["config"]["epochs"] and info.settings == record["config"]


@pytest.mark.parametrize("trained_by", ["scratch", "pytorch"])
def test_both_sides_score_a_file_alike(saved, trained_by, capsys):
    path, record = saved[trained_by]
    lines = {}
    for impl in ("scratch", "pytorch"):
        status, out, _ = run_main(["evaluate", path, "--impl", impl], capsys)
        assert status == 0
        lines[impl] = out.split("test accuracy ")[1].split("%")[0]
    assert lines["scratch"] == lines["pytorch"]
    assert lines["scratch"] == f"{100 * record['epochs'][-1]['test_accuracy']:.2f}"


def test_export_and_predict_give_the_same_answers_by_every_route(saved, tmp_path, capsys):
    path, _ = saved["scratch"]
    images = drawn_digits(tmp_path)
    answers = []
    for impl in ("scratch", "pytorch"):
        target = tmp_path / f"{impl}.onnx"
        status, out, _ = run_main(["export", path, target, "--impl", impl], capsys)
        assert status == 0 and target.is_file() and "Gemm" in out
        for argv in (["predict", path, *images, "--impl", impl], ["predict", target, *images]):
            status, out, err = run_main(argv, capsys)
            assert status == 0 and err == ""
            answers.append([line.split(" (")[0] for line in out.splitlines()[:2]])
            assert out.splitlines()[-1] == f"probability: {weights.PROBABILITY_NOTES['softmax']}"
    assert answers[0] == [f"{images[0]}: 1", f"{images[1]}: 0"]
    assert all(a == answers[0] for a in answers)


@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
def test_predict_runs_a_float64_onnx_file(impl, tmp_path, capsys):
    model = scratch.MLP((784, 16, 10), "relu", seed=1, dtype="float64")
    path = weights.save(model, tmp_path / "net64.safetensors", loss="quadratic")
    target = tmp_path / "NET64.ONNX"  # the extension in any case
    assert main(["export", str(path), str(target), "--impl", impl]) == 0
    capsys.readouterr()
    images = drawn_digits(tmp_path)
    expected = run_main(["predict", path, *images], capsys)
    status, out, err = run_main(["predict", target, *images], capsys)
    assert status == 0 and err == "", err
    assert [line.split(" (")[0] for line in out.splitlines()] == [
        line.split(" (")[0] for line in expected[1].splitlines()
    ]
    assert out.splitlines()[-1] == f"probability: {weights.PROBABILITY_NOTES['sigmoid']}"


def test_impl_does_not_apply_to_an_onnx_file(tmp_path, capsys):
    path = weights.save(scratch.MLP((784, 8, 10)), tmp_path / "x.safetensors")
    target = tmp_path / "x.onnx"
    assert main(["export", str(path), str(target)]) == 0
    capsys.readouterr()
    status, out, err = run_main(["predict", target, drawn_digits(tmp_path)[0], "--impl",
                                 "pytorch"], capsys)  # fmt: skip
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and "--impl pytorch does not apply to the ONNX file" in err, err


def test_an_onnxruntime_error_at_run_time_is_one_line(tmp_path, monkeypatch):
    from nnguide.deploy import routes

    path = weights.save(scratch.MLP((784, 8, 10)), tmp_path / "x.safetensors")
    target = tmp_path / "x.onnx"
    assert main(["export", str(path), str(target)]) == 0
    compute = routes.onnx_route(target)
    with pytest.raises(RuntimeError, match=r"x\.onnx: onnxruntime could not run it \(") as err:
        compute(np.zeros((1, 783), np.float32))  # a wrong width: onnxruntime refuses it
    assert "\n" not in str(err.value)


def test_predict_gives_one_line_per_bad_image_and_classifies_the_rest(saved, tmp_path, capsys):
    path, _ = saved["scratch"]
    good = drawn_digits(tmp_path)[0]
    blank, text, broken = tmp_path / "blank.png", tmp_path / "notes.png", tmp_path / "cut.png"
    Image.new("L", (50, 50), "white").save(blank)
    text.write_text("not an image")
    broken.write_bytes(good.read_bytes()[:300])
    status, out, err = run_main(["predict", path, blank, good, text, broken], capsys)
    assert status == 1
    assert f"{good}: 1" in out
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines)
    assert f"{blank}: blank" in lines[0]
    assert f"{text}: not an image" in lines[1]
    assert f"{broken}: a damaged image" in lines[2]


def test_a_bad_weight_file_is_one_line_for_every_command(tmp_path, capsys):
    bad = tmp_path / "model.safetensors"
    bad.write_bytes(b"\x80\x04 not weights")
    for argv in (["evaluate", bad], ["export", bad, tmp_path / "m.onnx"], ["predict", bad, bad]):
        status, _, err = run_main(argv, capsys)
        assert status != 0
        refused = f"error: {bad}: a zip archive or pickle"
        assert err.count("\n") == 1 and err.startswith(refused), err
    assert not (tmp_path / "m.onnx").exists()


def test_a_bad_onnx_file_is_one_line(tmp_path, capsys):
    import onnx
    from onnx import TensorProto, helper

    junk, foreign, folder = tmp_path / "junk.onnx", tmp_path / "foreign.onnx", tmp_path / "d.onnx"
    folder.mkdir()
    junk.write_text("not a graph")
    value = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "g",
        [value],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    onnx.save(helper.make_model(graph), foreign)
    image = drawn_digits(tmp_path)[0]
    for bad, phrase in (
        (junk, "not an ONNX file onnxruntime can load"),
        (foreign, "an ONNX file, but not one nnguide exported"),
        (folder, "a folder, not an ONNX file"),
    ):
        status, out, err = run_main(["predict", bad, image], capsys)
        assert status != 0 and out == ""
        assert err.count("\n") == 1 and err.startswith(f"error: {bad}: {phrase}"), err


def test_a_run_that_does_not_finish_saves_nothing(mnist, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(scratch, "fit", interrupted)
    target = tmp_path / "net.safetensors"
    status, _, err = run_main([*TRAIN, "--save", target], capsys)
    assert status == 130
    assert f"the network is not saved to {target}" in err
    assert not target.exists()


def test_a_diverged_run_saves_nothing(mnist, tmp_path, capsys):
    target = tmp_path / "net.safetensors"
    status, _, err = run_main([*TRAIN, "--lr", "1e6", "--save", target], capsys)
    assert status == 1
    assert err.count("\n") == 1 and f"No network is saved to {target}." in err
    assert not target.exists()


def test_save_fails_before_training_where_it_cannot_write(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "net.safetensors"
    status, out, err = run_main([*TRAIN, "--save", target], capsys)
    assert status == 2 and out == ""
    assert err.startswith("error: --save") and "does not exist" in err


@pytest.mark.parametrize(
    "argv, missing",
    [
        (["evaluate", "x.safetensors"], ("safetensors", "safetensors.numpy")),
        (["export", "x.safetensors", "x.onnx"], ("onnx",)),
        (["predict", "x.safetensors", "one.png"], ("PIL", "PIL.Image")),
        (["predict", "x.onnx", "one.png"], ("onnxruntime",)),
        ([*TRAIN, "--save", "y.safetensors"], ("safetensors", "safetensors.numpy")),
    ],
)
def test_a_missing_library_names_the_extra(argv, missing, tmp_path, monkeypatch, capsys):
    path = weights.save(scratch.MLP((784, 8, 10)), tmp_path / "x.safetensors")
    (tmp_path / "x.onnx").write_bytes(b"")
    drawn_digits(tmp_path)
    argv = [str(tmp_path / a) if "." in a else a for a in argv]
    for name in missing:
        monkeypatch.setitem(sys.modules, name, None)  # import fails: as if not installed
    status, out, err = run_main(argv, capsys)
    assert status != 0 and path.is_file()
    assert err.count("\n") == 1 and 'pip install "nnguide[deploy]"' in err, err
    assert missing[0] in err
    assert "accuracy" not in out  # a run that would save fails before it trains


def test_the_saved_network_classifies_as_it_did_in_training(saved, mnist):
    path, record = saved["pytorch"]
    model, _ = weights.load(path)
    x, y = mnist.test
    from nnguide.data import to_features

    accuracy = float(np.mean(model.predict(to_features(x)) == y))
    assert accuracy == pytest.approx(record["epochs"][-1]["test_accuracy"], abs=1e-12)
