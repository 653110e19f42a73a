"""The guide's network trained on several processes, each side on its ecosystem's engine.

:mod:`~nnguide.parallel.mpi_numpy`
    the NumPy network, its gradients averaged by MPI (``mpi4py``'s
    ``Allreduce``), launched with ``mpiexec``. NumPy has no collective of its
    own: the averaging step is written here, between the guide's
    ``loss_and_grads`` and its optimizer's ``step``.
:mod:`~nnguide.parallel.ddp_torch`
    the PyTorch network wrapped in
    ``torch.nn.parallel.DistributedDataParallel`` over ``gloo`` (``nccl``
    on a GPU), launched with ``torchrun``; DDP averages the gradients inside
    ``backward()``.
:mod:`~nnguide.parallel.shares`
    how a global batch is cut into each process's share, so that one process
    and several take exactly the same steps.
:mod:`~nnguide.parallel.launch`
    which launcher started this process, and one training run on its job.

The guide itself (:mod:`nnguide.scratch`, :mod:`nnguide.pytorch`) does not
import this package.
"""

#: What to install for training on several processes (mpi4py and the MPICH wheel).
EXTRA = 'pip install "nnguide[parallel]"'
