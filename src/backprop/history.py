"""What training records, and the two rules for "the learning rate is too large".

:func:`backprop.training.fit` and the chapter helpers that run their own
gradient descent (``backprop.book.output_layer``,
``backprop.book.hidden_layer``) all stop by :func:`blew_up` and report in a
:class:`History`. :func:`ended_higher` judges a finished run: a bounded loss
(SSE on sigmoid outputs, say) may never blow up, yet end higher than it began.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .network import Network

DIVERGENCE_FACTOR = 1e4
"""Training stops as diverged when a loss exceeds this factor times the
first loss (or 1, whichever is larger), or is not finite."""


def blew_up(loss: float, first_loss: float) -> bool:
    """The divergence rule: True when ``loss`` is not finite or exceeds
    ``DIVERGENCE_FACTOR * max(first_loss, 1)``.

    >>> blew_up(2.0, first_loss=0.5), blew_up(2e4, first_loss=0.5), blew_up(float("nan"), 1.0)
    (False, True, True)
    """
    return not (math.isfinite(loss) and loss <= DIVERGENCE_FACTOR * max(first_loss, 1.0))


def ended_higher(history: History) -> bool:
    """The second rule, for a run that finished: True when over two or more
    epochs (or steps) the recorded loss ended higher than it started.

    >>> ended_higher(History(loss=[1.0, 0.5, 1.5])), ended_higher(History(loss=[1.0, 2.0, 0.9]))
    (True, False)
    """
    return len(history.loss) >= 2 and history.loss[-1] > history.loss[0]


@dataclass
class History:
    """What training recorded, one entry per completed epoch.

    Every series is a list; a series that was not recorded stays empty.

    Attributes:
        loss: mean training loss per epoch.
        accuracy: training accuracy per epoch; empty when the targets are not
            class labels (0/1 or one-hot).
        val_loss, val_accuracy: the same on the validation set; empty
            without one (``val_accuracy`` also when its targets are not
            class labels).
        diverged: True when training stopped because the loss blew up
            (:func:`blew_up`).
        diverged_at: the epoch (counting from 0) in which it stopped, or None.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    diverged: bool = False
    diverged_at: int | None = None

    @property
    def message(self) -> str:
        """A sentence for a reader: how training ended."""
        if self.diverged:
            return (
                f"Diverged in epoch {self.diverged_at}: the loss blew up, so "
                "training stopped. Try a smaller learning rate."
            )
        if not self.loss:
            return "No epochs run."
        return f"Trained {len(self.loss)} epochs; final loss {self.loss[-1]:.4g}."


def is_classification(T: np.ndarray) -> bool:
    """True when every target is 0 or 1 (binary labels or one-hot rows)."""
    return bool(np.isin(T, (0.0, 1.0)).all())


def count_correct(a: np.ndarray, T: np.ndarray) -> int:
    """Number of rows whose predicted class matches the target's.

    One output: a > 0.5 against t; several: argmax against argmax.
    """
    if a.shape[1] == 1:
        return int(np.sum((a[:, 0] > 0.5) == (T[:, 0] > 0.5)))
    return int(np.sum(a.argmax(axis=1) == T.argmax(axis=1)))


def record_epoch(
    net: Network,
    history: History,
    loss: float,
    accuracy: float | None,
    validation: tuple[np.ndarray, np.ndarray] | None,
    validation_classes: bool,
) -> None:
    """Append one epoch to ``history``: its training ``loss``, its
    ``accuracy`` (None: not tracked) and, given ``validation`` (checked
    arrays), the loss of ``net`` on it, and its accuracy when
    ``validation_classes`` says the validation targets are class labels."""
    history.loss.append(loss)
    if accuracy is not None:
        history.accuracy.append(accuracy)
    if validation is not None:
        X_val, T_val = validation
        cache = net.feedforward(X_val)
        errors = net.loss_function.value(cache.z[-1], cache.output, T_val)
        history.val_loss.append(float(errors.mean()))
        if validation_classes:
            history.val_accuracy.append(count_correct(cache.output, T_val) / X_val.shape[0])
