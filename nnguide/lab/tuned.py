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
  transposed views, never copied;
* the logits are kept transposed, one column per example, so that softmax's
  maximum and sum reduce down columns, which NumPy vectorizes; the one-hot
  targets are gathered with one ``np.take`` from a scaled identity matrix.

Tried on the build machine and left out, because they were slower:
``scipy.special.expit`` for the sigmoid (not vectorized; NumPy's ``exp`` is),
and SciPy's ``sgemm`` with ``beta`` to accumulate the gradient straight into
the velocity (the OpenBLAS that SciPy's wheel carries ran these products 10
to 30% slower than NumPy's, which outweighed the saved pass).

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
        self.params = _split(self.flat, start)
        for view, p in zip(self.params, start):
            view[...] = p
        # Two flat buffers: this step's gradient, and the velocity (zero before
        # the first step, so that the first update is v = g exactly, as torch's).
        self._buffers = [np.zeros(size, dtype), np.zeros(size, dtype)]
        self._grads = [_split(b, start) for b in self._buffers]
        # axpy of the BLAS that SciPy links, for this dtype (saxpy or daxpy). Where
        # SciPy brings its own OpenBLAS, it gets one thread: two pools of spinning
        # threads on two cores made a step twenty times slower.
        self._axpy = get_blas_funcs("axpy", dtype=dtype)
        single_thread_other_blas()
        self.x = np.empty((batch_size, n_in), dtype)
        self.y = np.empty(batch_size, np.int64)
        self._h = np.empty((batch_size, n_hidden), dtype)
        self._dh = np.empty((batch_size, n_hidden), dtype)
        self._zT = np.empty(n_out * batch_size, dtype)
        self._onehot = np.empty(n_out * batch_size, dtype)
        self._row = np.empty(batch_size, dtype)
        self._eye = np.eye(n_out, dtype=dtype)
        self._views = {}  # batch size -> the buffers' views for it, made once

    def _buffers_for(self, n: int):
        """Views of the step's buffers for a batch of ``n``, cut once per batch size.

        The logits are kept transposed, (classes, batch), in a buffer of their
        own size, so that softmax reduces over the rows of a C-ordered array,
        which NumPy vectorizes (over rows of ten, it loops once per example).
        """
        if n not in self._views:
            n_out = len(self._eye)
            zT = self._zT[: n_out * n].reshape(n_out, n)
            onehot = self._onehot[: n_out * n].reshape(n_out, n)
            self._views[n] = (self._h[:n], self._dh[:n], zT, onehot, self._row[:n], self._eye / n)
        return self._views[n]

    def gather(self, x: np.ndarray, y: np.ndarray, idx: np.ndarray):
        """Copy the rows ``idx`` into the reused batch buffers; return views of them."""
        n = len(idx)
        # mode="clip" lets np.take write straight into out= (the indices are valid anyway).
        np.take(x, idx, axis=0, out=self.x[:n], mode="clip")
        np.take(y, idx, axis=0, out=self.y[:n], mode="clip")
        return self.x[:n], self.y[:n]

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        """One step of forward, backward and update on a gathered batch."""
        buffers = self._buffers_for(len(x))
        self.forward(x, buffers)
        self.loss_gradient(y, buffers)
        self.backward(x, buffers)
        self.update()

    def forward(self, x, buffers) -> None:
        """The hidden layer ``h`` and the logits (transposed: ``zT``), in place."""
        W1, b1, W2, b2 = self.params
        h, _, zT, *_ = buffers
        # h = sigmoid(x W1 + b1), in place: the formula as four passes over one
        # buffer, with no temporary array.
        np.matmul(x, W1, out=h)
        h += b1
        np.negative(h, out=h)
        with np.errstate(over="ignore"):  # inf where the sigmoid is 0
            np.exp(h, out=h)
        h += 1
        np.reciprocal(h, out=h)
        # zT = W2.T h.T + b2, each column an example.
        np.matmul(W2.T, h.T, out=zT)  # views: BLAS reads them as they are
        zT += b2[:, None]

    def loss_gradient(self, y, buffers) -> None:
        """Cross-entropy's gradient, ``(softmax(z) - onehot(y)) / n``, into ``zT``."""
        _, _, zT, onehot, row, eye_over_n = buffers
        n = len(y)
        np.max(zT, axis=0, out=row)
        zT -= row
        np.exp(zT, out=zT)
        np.sum(zT, axis=0, out=row)
        row *= n
        zT /= row
        np.take(eye_over_n, y, axis=1, out=onehot)  # column i: onehot(y[i]) / n
        zT -= onehot

    def backward(self, x, buffers) -> None:
        """Every gradient, straight into its place in this step's flat buffer."""
        _, _, W2, _ = self.params
        dW1, db1, dW2, db2 = self._grads[0]
        h, dh, zT, *_ = buffers
        np.matmul(h.T, zT.T, out=dW2)
        np.sum(zT, axis=1, out=db2)
        np.matmul(zT.T, W2.T, out=dh)
        dh *= h
        np.subtract(1, h, out=h)  # h is not needed any more: reuse it for 1 - h
        dh *= h
        np.matmul(x.T, dh, out=dW1)
        np.sum(dh, axis=0, out=db1)

    def update(self) -> None:
        """SGD with momentum, as torch.optim.SGD: ``v = m v + g``, ``p -= lr v``.

        The first axpy makes the gradient's buffer the new velocity; the old
        velocity's buffer takes the next step's gradient.
        """
        grad, velocity = self._buffers
        self._axpy(velocity, grad, a=self.momentum)
        self._axpy(grad, self.flat, a=-self.lr)
        self._buffers.reverse()
        self._grads.reverse()
        self.steps += 1


def _split(flat: np.ndarray, like: list[np.ndarray]) -> list[np.ndarray]:
    """Views of consecutive parts of ``flat``, shaped as the arrays of ``like``."""
    views, offset = [], 0
    for p in like:
        views.append(flat[offset : offset + p.size].reshape(p.shape))
        offset += p.size
    return views
