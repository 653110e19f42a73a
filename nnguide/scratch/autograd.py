"""A small reverse-mode automatic differentiation engine on NumPy arrays.

What ``loss.backward()`` does in PyTorch, in one readable file, in the spirit
of Karpathy's micrograd but over arrays instead of scalars:

1. Every operation on a :class:`Tensor` returns a new Tensor that remembers its
   inputs (``parents``) and a ``backward`` function: given the gradient of the
   final result with respect to this output, it returns the gradients with
   respect to each input (the chain rule, one operation at a time).
   The graph is recorded as the code runs ("define by run"), as in PyTorch.
2. :meth:`Tensor.backward` sorts the graph so that every node comes after the
   nodes that use it, seeds the output's gradient with 1, and calls each node's
   ``backward`` in that order, summing the gradients that reach each node.

Leaves created with ``requires_grad=True`` accumulate their gradient in
``.grad`` across calls, exactly as in PyTorch; :func:`zero_grad` clears them.

This module is the engine (micrograd's ``engine.py``); the MNIST network and its
training step, built on it, are in :mod:`nnguide.scratch.autograd_nn`.
"""

from __future__ import annotations

import contextlib

import numpy as np

_grad_enabled = True


@contextlib.contextmanager
def no_grad():
    """Inside this block, operations record no graph (as :class:`torch.no_grad`)."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the gradient of NumPy's broadcasting.

    An input that was broadcast (repeated along an axis) influenced every
    repeated element, so its gradient is the sum over those elements.
    """
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def topological_order(root) -> list:
    """Every node ``root`` depends on, each after all the nodes it depends on.

    A depth-first search with an explicit stack rather than recursion, so that a
    chain of any length (10,000 operations, say) sorts without reaching
    Python's recursion limit.
    """
    order, seen, stack = [], {id(root)}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        parent = next(parents, None)
        if parent is None:  # every parent is placed: the node can follow them
            stack.pop()
            order.append(node)
        elif id(parent) not in seen:
            seen.add(id(parent))
            stack.append((parent, iter(parent.parents)))
    return order


class Tensor:
    """A NumPy array that records the operations applied to it.

    Parameters
    ----------
    data : numpy.ndarray or float
        The values; stored as a float64 array unless it already has a float dtype.
    requires_grad : bool
        Whether :meth:`backward` should compute a gradient for this tensor.

    Attributes
    ----------
    grad : numpy.ndarray or None
        The accumulated gradient of a leaf that requires grad, after ``backward``.
    """

    def __init__(self, data, requires_grad: bool = False, *, _parents=(), _backward=None, _op=""):
        data = np.asarray(data)
        self.data = data if np.issubdtype(data.dtype, np.floating) else data.astype(np.float64)
        self.grad = None
        self.requires_grad = requires_grad
        self.parents, self.grad_fn, self.op = _parents, _backward, _op
        self.retains_grad = False

    # -- Building the graph ------------------------------------------------------------

    @classmethod
    def _make(cls, data, parents, backward, op):
        """The result of an operation: part of the graph if any input requires grad."""
        parents = tuple(p for p in parents if isinstance(p, Tensor))
        if _grad_enabled and any(p.requires_grad for p in parents):
            return cls(data, True, _parents=parents, _backward=backward, _op=op)
        return cls(data)

    @staticmethod
    def _lift(other) -> Tensor:
        return other if isinstance(other, Tensor) else Tensor(other)

    def __add__(self, other):
        other = self._lift(other)
        return self._make(
            self.data + other.data,
            (self, other),
            lambda g: (_unbroadcast(g, self.shape), _unbroadcast(g, other.shape)),
            "add",
        )

    def __mul__(self, other):
        other = self._lift(other)
        return self._make(
            self.data * other.data,
            (self, other),
            lambda g: (
                _unbroadcast(g * other.data, self.shape),
                _unbroadcast(g * self.data, other.shape),
            ),
            "mul",
        )

    def __truediv__(self, other):
        other = self._lift(other)
        return self._make(
            self.data / other.data,
            (self, other),
            lambda g: (
                _unbroadcast(g / other.data, self.shape),
                _unbroadcast(-g * self.data / other.data**2, other.shape),
            ),
            "div",
        )

    def __pow__(self, exponent: float):
        if isinstance(exponent, Tensor):
            raise TypeError("only a constant exponent is supported: x ** 2, not x ** y.")
        return self._make(
            self.data**exponent,
            (self,),
            lambda g: (g * exponent * self.data ** (exponent - 1),),
            "pow",
        )

    def __matmul__(self, other):
        other = self._lift(other)
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"@ needs two matrices, got shapes {self.shape} and {other.shape}.")
        return self._make(
            self.data @ other.data,
            (self, other),
            # Skip the product nobody needs (such as the gradient of the input data).
            lambda g: (
                g @ other.data.T if self.requires_grad else None,
                self.data.T @ g if other.requires_grad else None,
            ),
            "matmul",
        )

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self._lift(other) - self

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def sum(self, axis=None, keepdims: bool = False):
        """Sum over ``axis`` (all axes if None); its gradient copies ``g`` back over them."""

        def backward(g):
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return (np.broadcast_to(g, self.shape).copy(),)

        return self._make(self.data.sum(axis=axis, keepdims=keepdims), (self,), backward, "sum")

    def mean(self, axis=None, keepdims: bool = False):
        """Mean over ``axis``: the sum divided by the number of elements summed."""
        count = self.data.size if axis is None else self.shape[axis]
        return self.sum(axis=axis, keepdims=keepdims) / count

    def reshape(self, *shape):
        return self._make(
            self.data.reshape(*shape), (self,), lambda g: (g.reshape(self.shape),), "reshape"
        )

    def transpose(self):
        return self._make(self.data.T, (self,), lambda g: (g.T,), "transpose")

    @property
    def T(self):
        return self.transpose()

    def exp(self):
        out = np.exp(self.data)
        return self._make(out, (self,), lambda g: (g * out,), "exp")

    def log(self):
        return self._make(np.log(self.data), (self,), lambda g: (g / self.data,), "log")

    def relu(self):
        return self._make(
            np.maximum(self.data, 0), (self,), lambda g: (g * (self.data > 0),), "relu"
        )

    def sigmoid(self):
        out = 0.5 * (1 + np.tanh(0.5 * self.data))
        return self._make(out, (self,), lambda g: (g * out * (1 - out),), "sigmoid")

    def tanh(self):
        out = np.tanh(self.data)
        return self._make(out, (self,), lambda g: (g * (1 - out**2),), "tanh")

    def log_softmax(self, axis: int = -1):
        """``x - log(sum(exp(x)))`` along ``axis``, computed stably."""
        shifted = self.data - self.data.max(axis=axis, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        softmax = np.exp(out)
        return self._make(
            out, (self,), lambda g: (g - softmax * g.sum(axis=axis, keepdims=True),), "log_softmax"
        )

    # -- Running the graph backwards ----------------------------------------------------

    def backward(self, gradient=None, *, trace=None) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        Parameters
        ----------
        gradient : numpy.ndarray or float, optional
            dL/d(self). May be omitted only when this tensor holds a single value,
            in which case it is 1 (as in PyTorch).
        trace : callable, optional
            Called as ``trace(node, grad)`` for each node, in the order the
            backward pass visits them: a way to watch the engine work.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            gradient = np.ones_like(self.data)
        order = topological_order(self)
        grads = {id(self): np.asarray(gradient, dtype=self.data.dtype)}
        for node in reversed(order):  # from the output back towards the leaves
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if trace is not None:
                trace(node, g)
            if node.grad_fn is None:  # a leaf: accumulate, as PyTorch does
                node.grad = g.copy() if node.grad is None else node.grad + g
                continue
            if node.retains_grad:
                node.grad = g
            for parent, parent_grad in zip(node.parents, node.grad_fn(g)):
                if parent.requires_grad and parent_grad is not None:
                    grads[id(parent)] = grads.get(id(parent), 0) + parent_grad

    # -- Conveniences ---------------------------------------------------------------------

    def retain_grad(self) -> None:
        """Keep this intermediate result's gradient in ``.grad`` (leaves always keep theirs)."""
        self.retains_grad = True

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def item(self) -> float:
        return self.data.item()

    def numpy(self) -> np.ndarray:
        return self.data

    def __repr__(self) -> str:
        suffix = (
            f", grad_fn=<{self.op}>"
            if self.grad_fn
            else (", requires_grad=True" if self.requires_grad else "")
        )
        return f"Tensor({np.array2string(self.data, precision=4)}{suffix})"


def zero_grad(tensors) -> None:
    """Forget the accumulated gradients (``.grad = None``, as ``optimizer.zero_grad()``)."""
    for t in tensors:
        t.grad = None


class Context:
    """What a :class:`Function` keeps between its forward and backward passes."""

    def save_for_backward(self, *arrays) -> None:
        self.saved_tensors = arrays


class Function:
    """A custom operation with a hand-written backward, as :class:`torch.autograd.Function`.

    Subclass it with two static methods, ``forward(ctx, *arrays)`` and
    ``backward(ctx, grad_output)`` (one gradient per input), on NumPy arrays;
    call it with ``MyFunction.apply(*tensors)``.
    """

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs):
        ctx = Context()
        tensors = [Tensor._lift(t) for t in inputs]
        out = cls.forward(ctx, *(t.data for t in tensors))

        def backward(g):
            grads = cls.backward(ctx, g)
            return grads if isinstance(grads, tuple) else (grads,)

        return Tensor._make(out, tensors, backward, cls.__name__)


def graph_text(tensor: Tensor) -> str:
    """The graph behind ``tensor`` as an indented tree: operation, shape, gradient shape."""
    lines, shown = [], set()

    def show(node, depth):
        grad = "no grad" if node.grad is None else f"grad {node.grad.shape}"
        name = node.op or ("leaf" if node.requires_grad else "constant")
        again = " (shown above)" if id(node) in shown and node.parents else ""
        lines.append(f"{'    ' * depth}{name}: value {node.shape}, {grad}{again}")
        if not again:
            shown.add(id(node))
            for parent in node.parents:
                show(parent, depth + 1)

    show(tensor, 0)
    return "\n".join(lines)
