"""
Two ways to declare a PyTorch model
===================================

PyTorch offers two ways to say what a network is: stack layers in an
:class:`torch.nn.Sequential`, or subclass :class:`torch.nn.Module` and write
``forward`` yourself. We build one small network both ways, show they compute
the same function, then write it as a Keras user and as ``nnguide.scratch``
would, and end with how PyTorch and NumPy share memory.
"""

# %%
# ``nn.Sequential``: a list of layers
# -----------------------------------
#
# A "SimpleNet": 10 inputs, 5 hidden ReLU units, 1 sigmoid output.
import torch
from torch import nn

sequential = nn.Sequential(
    nn.Linear(10, 5),
    nn.ReLU(),
    nn.Linear(5, 1),
    nn.Sigmoid(),
)
print(sequential)


# %%
# Subclassing ``nn.Module``: ``forward`` is ordinary Python
# ---------------------------------------------------------
#
# The layers become attributes (which registers their parameters), and
# ``forward`` says how data flows. Any Python can go there: loops, conditions,
# printing (see the page on dynamic graphs).
class SimpleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(10, 5)
        self.output = nn.Linear(5, 1)

    def forward(self, x):
        x = torch.relu(self.hidden(x))
        return torch.sigmoid(self.output(x))


subclassed = SimpleNet()
print(subclassed)

# %%
# The same function
# -----------------
#
# Both have the same parameter shapes, in the same order. Copy the weights of
# one into the other and they give identical outputs.
for (name, p), q in zip(subclassed.named_parameters(), sequential.parameters()):
    print(f"{name:14s} {tuple(p.shape)}  ==  {tuple(q.shape)}")

with torch.no_grad():
    for p, q in zip(subclassed.parameters(), sequential.parameters()):
        p.copy_(q)

x = torch.randn(4, 10)
print("outputs equal:", torch.equal(subclassed(x), sequential(x)))
print(subclassed(x).squeeze())

# %%
# For readers coming from Keras
# -----------------------------
#
# The same network in Keras (shown as text: this site does not install
# TensorFlow). Keras infers each layer's input size and puts the activation
# inside the layer:
#
# .. code-block:: python
#
#    from tensorflow import keras
#
#    model = keras.Sequential([
#        keras.Input(shape=(10,)),
#        keras.layers.Dense(5, activation="relu"),
#        keras.layers.Dense(1, activation="sigmoid"),
#    ])
#
# One difference that bites when porting weights: a Keras ``Dense`` kernel is
# stored (in, out), like ``nnguide.scratch``, while ``nn.Linear.weight`` is (out, in).

# %%
# The same declaration from scratch
# ---------------------------------
#
# :class:`nnguide.scratch.MLP` takes the layer sizes and one hidden activation;
# its output is the logits, so the sigmoid (or softmax) belongs to the loss.
# :meth:`nnguide.pytorch.MLP.from_scratch` builds the PyTorch twin with exactly
# its weights.
from nnguide import pytorch, scratch

numpy_net = scratch.MLP((10, 5, 1), "relu", seed=0, dtype="float64")
print(numpy_net)
print([p.shape for p in numpy_net.params()])
twin = pytorch.MLP.from_scratch(numpy_net)
print(twin)

x64 = x.double()
print("same logits:", torch.allclose(twin(x64), torch.from_numpy(numpy_net.forward(x64.numpy()))))

# %%
# NumPy interop: ``torch.from_numpy`` shares memory
# --------------------------------------------------
#
# :func:`torch.from_numpy` wraps the NumPy array's buffer without copying: a
# change through either name is seen by both. :func:`torch.tensor` copies.
import numpy as np

a = np.zeros(3)
shared = torch.from_numpy(a)
copied = torch.tensor(a)
a[0] = 42.0
shared[1] = 7.0
print("NumPy array:      ", a)
print("from_numpy tensor:", shared)
print("torch.tensor copy:", copied)
print("same buffer:", shared.data_ptr() == a.__array_interface__["data"][0])

# %%
# ``.numpy()`` goes the other way, also without a copy (for a CPU tensor that
# does not require grad; call ``.detach()`` first if it does).
back = shared.numpy()
back[2] = -1.0
print("after writing through .numpy():", a)
