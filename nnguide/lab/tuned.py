"""The NumPy network tuned in place: a benchmark contender, not teaching code.

The same network, loss and update as the guide's :class:`nnguide.scratch.MLP`
with :class:`nnguide.scratch.SGD`, the same arithmetic to float32 rounding,
written the way a NumPy author writes a hot loop:

* every array a step needs is allocated once, and each operation writes into
  an existing buffer (``out=``); the batch is gathered into a reused buffer;
* the parameters live in one flat buffer, and so do the gradients, so the
  whole update of SGD with momentum is two BLAS calls (``saxpy``) over one
  array instead of four NumPy passes per parameter;
* the gradient is written into the buffer that held the velocity two steps
  before: ``saxpy`` turns it into the new velocity in place
  (``v = momentum * v + g``), and the two buffers swap roles after each step.
  No pass copies or scales a weight-sized array;
* the products of transposed matrices (``x.T @ dh``) are handed to BLAS as
  transposed views, never copied.

The speed page measures what this buys over the plain guide network, which
allocates fresh arrays as the textbook formulas read.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.blas import get_blas_funcs

from nnguide.lab.threads import single_thread_other_blas


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

    Attributes
    ----------
    flat : numpy.ndarray
        Every parameter, in one 1-D array.
    params : list of numpy.ndarray
        ``[W1, b1, W2, b2]``, views into :attr:`flat`, shaped as
        ``model.parameters()``.
    """

    def __init__(self, model, batch_size: int, *, lr: float, momentum: float):
        start = model.parameters()
        if len(start) != 4:
            raise ValueError(f"expected a network with one hidden layer, got {model!r}.")
        dtype, (n_in, n_hidden), n_out = start[0].dtype, start[0].shape, start[2].shape[1]
        self.lr, self.momentum, self.steps = lr, momentum, 0
        size = sum(p.size for p in start)
        self.flat = np.empty(size, dtype)
        self.params = self._views(self.flat, start)
        for view, p in zip(self.params, start):
            view[...] = p
        # Two flat buffers: this step's gradient, and the velocity (zero before
        # the first step, so that the first update is v = g exactly, as torch's).
        self._buffers = [np.zeros(size, dtype), np.zeros(size, dtype)]
        self._views_of = [self._views(b, start) for b in self._buffers]
        # saxpy of the BLAS that SciPy links, for this dtype (saxpy or daxpy). Where
        # SciPy brings its own OpenBLAS, it gets one thread: two pools of spinning
        # threads on two cores made a step twenty times slower.
        self._axpy = get_blas_funcs("axpy", dtype=dtype)
        single_thread_other_blas()
        self.x = np.empty((batch_size, n_in), dtype)
        self.y = np.empty(batch_size, np.int64)
        self.h = np.empty((batch_size, n_hidden), dtype)
        self.dh = np.empty((batch_size, n_hidden), dtype)
        self.z = np.empty((batch_size, n_out), dtype)
        self.row = np.empty((batch_size, 1), dtype)
        # Where each row's label sits in the flattened (batch, n_out) logits.
        self.row_starts = np.arange(batch_size) * n_out

    @staticmethod
    def _views(flat, shapes_of):
        views, offset = [], 0
        for p in shapes_of:
            views.append(flat[offset : offset + p.size].reshape(p.shape))
            offset += p.size
        return views

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
        grad, velocity = self._buffers
        dW1, db1, dW2, db2 = self._views_of[0]
        n = len(x)
        h, dh, z, row = self.h[:n], self.dh[:n], self.z[:n], self.row[:n]
        # Forward: h = sigmoid(x W1 + b1), in place. The formula as four passes
        # over one buffer: NumPy's exp is vectorized, scipy.special.expit is
        # not, and was twice as slow here.
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
        np.max(z, axis=1, keepdims=True, out=row)
        z -= row
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=row)
        row *= n
        z /= row
        z.reshape(-1)[self.row_starts[:n] + y] -= 1 / n
        # Backward, each gradient straight into its place in the flat buffer.
        np.matmul(h.T, z, out=dW2)  # a transposed view: BLAS reads it as it is
        np.sum(z, axis=0, out=db2)
        np.matmul(z, W2.T, out=dh)
        dh *= h
        np.subtract(1, h, out=h)  # h is not needed any more: reuse it for 1 - h
        dh *= h
        np.matmul(x.T, dh, out=dW1)
        np.sum(dh, axis=0, out=db1)
        # SGD with momentum, as torch.optim.SGD: v = m v + g, then p -= lr v.
        # The first axpy makes the gradient's buffer the new velocity; the old
        # velocity's buffer takes the next step's gradient.
        self._axpy(velocity, grad, a=self.momentum)
        self._axpy(grad, self.flat, a=-self.lr)
        self._buffers.reverse()
        self._views_of.reverse()
        self.steps += 1
