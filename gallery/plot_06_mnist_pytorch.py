"""
MNIST in PyTorch
================

The same task with the tools PyTorch gives: the data through
:class:`torchvision.datasets.MNIST`, batches from a
:class:`torch.utils.data.DataLoader`, a :class:`torch.nn.Module` with a ReLU
hidden layer, gradients from autograd and the update from :mod:`torch.optim`.
Same sizes (784-128-10), same optimizer settings, same batch order as the page
"MNIST from scratch", and the same plots.
"""

# %%
# The data
# --------
#
# :func:`nnguide.pytorch.data.mnist_dataset` hands torchvision the same
# checksum-verified files the NumPy page read. torchvision keeps a whole split
# as one uint8 tensor (``.data``), so we scale it to [0, 1] once and let the
# DataLoader slice whole batches out of memory, instead of converting each
# image on every epoch (the speed page measures the difference).
import inspect

import torch

from nnguide import plots, pytorch
from nnguide.environment import summary
from nnguide.metrics import confusion_matrix, top_confusions
from nnguide.pytorch.data import in_memory_loader, load_mnist_tensors

device = "cuda" if torch.cuda.is_available() else "cpu"
(train, test), dataset_name = load_mnist_tensors(device=device)
(x_train, y_train), (x_test, y_test) = train, test
print(
    f"{dataset_name}: train {tuple(x_train.shape)} {x_train.dtype}, "
    f"test {tuple(x_test.shape)}, on {device}"
)

loader = in_memory_loader(x_train, y_train, batch_size=64, seed=0)
xb, yb = next(iter(loader))
print(f"{len(loader)} batches per epoch; the first: {tuple(xb.shape)}, labels {yb[:10].tolist()}")

# %%
# The network
# -----------
model = pytorch.MLP((784, 128, 10), "relu", seed=0, device=device)
print(model)
print("count:", sum(p.numel() for p in model.parameters()))

# %%
# One training step: autograd replaces the hand-written backward pass.
print(inspect.getsource(pytorch.train_step))

# %%
# Training
# --------
#
# SGD with momentum 0.9, learning rate 0.1, batches of 64, ten epochs: the
# settings of the NumPy page.
EPOCHS = 10
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
history = pytorch.fit(
    model,
    optimizer,
    train,
    test,
    epochs=EPOCHS,
    batch_size=64,
    seed=0,
    progress=False,
    log=print,
    dataset=dataset_name,
)
seconds = sum(e.seconds for e in history.epochs)
print(
    f"final test accuracy {100 * history.final.test_accuracy:.2f}% "
    f"after {EPOCHS} epochs, {seconds:.1f} s of training"
)

# %%
# Learning curves
# ---------------
plots.learning_curves({"PyTorch, ReLU": history})

# %%
plots.step_losses({"PyTorch, ReLU": history})

# %%
# Where it goes wrong
# -------------------
with torch.no_grad():
    predicted = model(x_test).argmax(dim=1).cpu().numpy()
labels = y_test.cpu().numpy()
matrix = confusion_matrix(labels, predicted)
plots.confusion(matrix, title="PyTorch: test set")
for count, true, pred in top_confusions(matrix):
    print(f"{count:3d} images of {true} read as {pred}")

# %%
wrong = (predicted != labels).nonzero()[0]
print(f"{len(wrong)} of {len(labels)} test images misclassified")
images = (x_test[wrong].cpu().reshape(-1, 28, 28) * 255).to(torch.uint8).numpy()
plots.digits(images, labels[wrong], predicted[wrong], n=24)

# %%
# Where these numbers come from
# -----------------------------
print(summary(dataset=dataset_name))
