"""
Two ways to declare a PyTorch model
===================================

PyTorch offers two ways to say what a network is: stack layers in an
``torch.nn.Sequential``, or subclass ``torch.nn.Module`` and write
``forward`` yourself. The first is shorter; the second lets ``forward`` be any
Python at all. We build one small network both ways and show that they compute
the same function.
"""

# %%
# ``nn.Sequential``: a list of layers
# -----------------------------------
#
# A "SimpleNet": one hidden layer of ReLU units and a single sigmoid output.
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

x = torch.randn(200, 10)
print("outputs equal:", torch.equal(subclassed(x), sequential(x)))
assert torch.equal(subclassed(x), sequential(x))

# %%
# The two outputs, one against the other, for the random inputs above: every
# point lies on the diagonal.
import matplotlib.pyplot as plt

with torch.no_grad():
    a, b = sequential(x).squeeze(), subclassed(x).squeeze()
fig, ax = plt.subplots(figsize=(4, 4))
ax.plot([0, 1], [0, 1], color="0.7", linewidth=1)
ax.plot(a, b, "o", markersize=4)
ax.set(xlabel="nn.Sequential output", ylabel="SimpleNet output", aspect="equal")
lo, hi = float(min(a.min(), b.min())) - 0.02, float(max(a.max(), b.max())) + 0.02
ax.set(xlim=(lo, hi), ylim=(lo, hi))
fig.tight_layout()
plt.show()
