"""The NumPy network tuned in place: a benchmark contender, not teaching code.

The same network, loss and update as the guide's :class:`nnguide.scratch.MLP`
with :class:`nnguide.scratch.SGD`, the same arithmetic to rounding, but written
the way a NumPy author writes a hot loop: every array the step needs is
allocated once, each operation writes into an existing buffer (``out=``), and
the batch is gathered into a reused buffer. The speed page measures what this
buys over the plain guide network, which allocates fresh arrays as the
textbook formulas read.
"""

from __future__ import annotations

import numpy as np


class TunedSigmoidMLP:
    """A one-hidden-layer sigmoid network with softmax cross-entropy and SGD with momentum.

    Parameters
    ----------
    model : nnguide.scratch.MLP
        A two-layer sigmoid network whose weights are copied in (so a tuned and
        a plain run can start from the same weights).
    batch_size : int
        The largest batch :meth:`step` will be given.
    lr, momentum : float
        The settings of SGD, as :class:`torch.optim.SGD`.
    """

    def __init__(self, model, batch_size: int, *, lr: float, momentum: float):
        W1, b1, W2, b2 = (p.copy() for p in model.parameters())
        self.params = [W1, b1, W2, b2]
        self.lr, self.momentum, self.steps = lr, momentum, 0
        dtype, (n_in, n_hidden), n_out = W1.dtype, W1.shape, W2.shape[1]
        self.grads = [np.zeros_like(p) for p in self.params]
        self.velocity = [np.zeros_like(p) for p in self.params]
        self.x = np.empty((batch_size, n_in), dtype)
        self.y = np.empty(batch_size, np.int64)
        self.h = np.empty((batch_size, n_hidden), dtype)
        self.dh = np.empty((batch_size, n_hidden), dtype)
        self.logits = np.empty((batch_size, n_out), dtype)
        self.sums = np.empty((batch_size, 1), dtype)

    def gather(self, x: np.ndarray, y: np.ndarray, idx: np.ndarray):
        """Copy the rows ``idx`` into the reused batch buffers; return views of them."""
        n = len(idx)
        # mode="clip" lets np.take write straight into out= (the indices are valid anyway).
        np.take(x, idx, axis=0, out=self.x[:n], mode="clip")
        np.take(y, idx, axis=0, out=self.y[:n], mode="clip")
        return self.x[:n], self.y[:n]

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        """One step of forward, backward and update on a gathered batch."""
        W1, b1, W2, b2 = self.params
        dW1, db1, dW2, db2 = self.grads
        n = len(x)
        h, dh, z, sums = self.h[:n], self.dh[:n], self.logits[:n], self.sums[:n]
        # Forward: h = sigmoid(x W1 + b1), in four in-place passes over one buffer.
        np.matmul(x, W1, out=h)
        h += b1
        np.negative(h, out=h)
        with np.errstate(over="ignore"):  # exp overflows to inf where sigmoid is 0
            np.exp(h, out=h)
        h += 1
        np.reciprocal(h, out=h)
        np.matmul(h, W2, out=z)
        z += b2
        # Softmax cross-entropy's gradient, (softmax(z) - onehot(y)) / n, in z's buffer.
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=sums)
        sums *= n
        z /= sums
        z[np.arange(n), y] -= 1 / n
        # Backward.
        np.matmul(h.T, z, out=dW2)
        np.sum(z, axis=0, out=db2)
        np.matmul(z, W2.T, out=dh)
        dh *= h
        np.subtract(1, h, out=h)  # h is not needed any more: reuse it for 1 - h
        dh *= h
        np.matmul(x.T, dh, out=dW1)
        np.sum(dh, axis=0, out=db1)
        # SGD with momentum, as torch.optim.SGD: v = m v + g (v = g at first), p -= lr v.
        for p, g, v in zip(self.params, self.grads, self.velocity):
            if self.steps:
                v *= self.momentum
                v += g
            else:
                v[...] = g
            v_scaled = g  # the gradient is not needed any more: reuse its buffer
            np.multiply(v, self.lr, out=v_scaled)
            p -= v_scaled
        self.steps += 1
