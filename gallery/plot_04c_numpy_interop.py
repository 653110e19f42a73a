"""
NumPy and PyTorch share memory
==============================

Moving data between NumPy and PyTorch can cost nothing: ``torch.from_numpy``
wraps the NumPy array's buffer without copying, and ``Tensor.numpy()`` goes the
other way. That makes the move free, and it also means a change through one
name is seen through the other. ``torch.tensor`` copies.
"""

# %%
# ``torch.from_numpy`` shares, ``torch.tensor`` copies
# ----------------------------------------------------
import numpy as np
import torch

a = np.zeros(3)
shared = torch.from_numpy(a)
copied = torch.tensor(a)
a[0] = 42.0  # written through the NumPy name
shared[1] = 7.0  # written through the tensor
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

# %%
# One buffer, two names
# ---------------------
#
# An image painted through the shared tensor is the image read through the
# array (left); the copy made before painting is still blank (right).
import matplotlib.pyplot as plt

image = np.zeros((28, 28), dtype=np.float32)
view = torch.from_numpy(image)  # shares the buffer
copy = torch.tensor(image)  # a copy, made before painting
view[6:22, 12:16] = 1.0  # a "1", painted through the shared tensor
fig, (left, right) = plt.subplots(1, 2, figsize=(5, 2.6))
left.imshow(image, cmap="gray_r")
left.set_title("the NumPy array")
right.imshow(copy, cmap="gray_r", vmin=0, vmax=1)
right.set_title("the torch.tensor copy")
for ax in (left, right):
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
plt.show()
