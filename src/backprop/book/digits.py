"""Real data, end to end: the handwritten digits of the chapter "Real data".

Defined for the chapter "Real data". What the chapter needs beyond the core
package: the data (:func:`load_digits`, which needs the ``digits`` extra,
scikit-learn), scoring a trained classifier
(accuracy, confusion matrix, the misclassified samples), pictures of the
digits and of the first layer's weights, and a scikit-learn ``MLPClassifier``
configured to run the same plain minibatch gradient descent as
:meth:`backprop.Network.fit`, for a comparison.

Images are rows of 64 pixel values (8x8 digits flattened row by row); labels
are integers 0..9; one-hot targets have shape (n_samples, 10).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from numpy.typing import ArrayLike

from .. import _checks
from ..datasets import one_hot
from ..history import History
from ..network import Network
from .plots import plot_loss_curves
from .style import DIVERGING, NEGATIVE, POSITIVE, fit_messages

if TYPE_CHECKING:
    from sklearn.neural_network import MLPClassifier

DIGIT_SHAPE = (8, 8)
"""Height and width of one digit image."""

SKLEARN_ACTIVATIONS = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu", "linear": "identity"}
"""The package's activation names and scikit-learn's names for the same g."""


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled handwritten digits (no download).

    Returns X (1797, 64): 8x8 images flattened, pixel values 0..16, and
    T (1797, 10): one-hot labels.
    """
    from sklearn.datasets import load_digits as load

    bunch = load()
    return bunch.data.astype(float), one_hot(bunch.target, 10)


def labels_of(T: ArrayLike) -> np.ndarray:
    """Class labels (n_samples,) from one-hot rows (n_samples, n_classes)."""
    T = np.asarray(T)
    if T.ndim != 2 or T.shape[1] < 2:
        raise ValueError(
            f"T must be one-hot rows with shape (n_samples, n_classes >= 2); got shape {T.shape}"
        )
    return T.argmax(axis=1)


def accuracy(net: Network, X: ArrayLike, T: ArrayLike) -> float:
    """Fraction of samples whose predicted class (argmax of the output) is
    the target's class."""
    return float(np.mean(net.predict(X) == labels_of(T)))


def confusion_matrix(true: ArrayLike, predicted: ArrayLike, n_classes: int = 10) -> np.ndarray:
    """Counts (n_classes, n_classes): entry [i, j] is how many samples of
    class i were predicted as class j. The diagonal holds the correct ones."""
    n_classes = _checks.positive_int("n_classes", n_classes)
    true, predicted = np.asarray(true), np.asarray(predicted)
    if true.shape != predicted.shape or true.ndim != 1:
        raise ValueError(
            f"true and predicted must be 1-D label arrays of the same length; "
            f"got shapes {true.shape} and {predicted.shape}"
        )
    for name, labels in (("true", true), ("predicted", predicted)):
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"{name} labels must be integers; got dtype {labels.dtype}")
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} labels must lie in 0..{n_classes - 1}")
    matrix = np.zeros((n_classes, n_classes), dtype=int)
    np.add.at(matrix, (true, predicted), 1)
    return matrix


def _check_images(images: ArrayLike) -> np.ndarray:
    images = np.asarray(images, dtype=float)
    size = DIGIT_SHAPE[0] * DIGIT_SHAPE[1]
    if images.ndim != 2 or images.shape[1] != size:
        raise ValueError(
            f"images must have shape (n_images, {size}): one flattened "
            f"{DIGIT_SHAPE[0]}x{DIGIT_SHAPE[1]} digit per row; got {images.shape}"
        )
    return images


def plot_confusion_matrix(matrix: ArrayLike, ax: Axes | None = None) -> Axes:
    """Draw a confusion matrix with its counts written in the cells.

    Off-diagonal cells (the mistakes) are coloured on their own scale so that
    a handful of errors stands out next to the large diagonal counts.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square; got shape {matrix.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.2))
    n = matrix.shape[0]
    mistakes = np.where(np.eye(n, dtype=bool), 0, matrix)
    ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=max(int(mistakes.max()), 1) * 1.5)
    for i in range(n):
        for j in range(n):
            if matrix[i, j]:
                weight = "bold" if i == j else "normal"
                ax.text(
                    j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8, fontweight=weight
                )
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title("confusion matrix (test set)")
    return ax


def plot_digits(
    images: ArrayLike, titles: list[str], n_cols: int = 10, color: str = "black"
) -> Figure:
    """Small multiples of 8x8 digits, each with its title.

    Args:
        images: raw pixel rows, shape (n_images, 64), values 0..16.
        titles: one short title per image.
        n_cols: images per row.
        color: the titles' colour.
    """
    images = _check_images(images)
    if len(titles) != images.shape[0]:
        raise ValueError(f"got {len(titles)} titles for {images.shape[0]} images")
    n_cols = _checks.positive_int("n_cols", n_cols)
    n_rows = max(1, -(-images.shape[0] // n_cols))
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(0.95 * n_cols, 1.1 * n_rows), squeeze=False, facecolor="white"
    )
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < images.shape[0]:
            ax.imshow(images[index].reshape(DIGIT_SHAPE), cmap="gray_r", vmin=0, vmax=16)
            ax.set_title(titles[index], fontsize=9, color=color)
    if images.shape[0] == 0:
        axes.flat[0].text(0.5, 0.5, "nothing to show", ha="center", va="center")
    fig.tight_layout()
    return fig


def plot_misclassified(
    images: ArrayLike, true: ArrayLike, predicted: ArrayLike, max_images: int = 20
) -> Figure:
    """The first ``max_images`` digits whose prediction is wrong, each titled
    "true → predicted"."""
    true, predicted = np.asarray(true), np.asarray(predicted)
    images = _check_images(images)
    if true.shape != (images.shape[0],) or predicted.shape != true.shape:
        raise ValueError("true and predicted need one label per image")
    wrong = np.flatnonzero(true != predicted)[: _checks.positive_int("max_images", max_images)]
    titles = [f"{true[i]} → {predicted[i]}" for i in wrong]
    return plot_digits(images[wrong], titles, color="darkred")


def plot_history(history: History, title: str = "") -> Figure:
    """Loss per epoch (training and test, log scale) next to accuracy per
    epoch; the final test accuracy, or the divergence, in the title."""
    fig, (ax_loss, ax_acc) = plt.subplots(
        1, 2, figsize=(7.2, 2.8), facecolor="white", gridspec_kw={"wspace": 0.3}
    )
    plot_loss_curves(history, ax=ax_loss)
    # Plain tick labels: parsing 10^k as mathtext would cost more time than
    # training, for a grid of these figures.
    if ax_loss.get_yscale() == "log":
        ax_loss.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax_loss.yaxis.set_minor_locator(NullLocator())
    fit_messages(ax_loss, 34, 9)  # the divergence note, sized to the panel
    ax_loss.set_ylabel("cross-entropy")
    ax_acc.set_ylim(0.0, 1.02)
    ax_acc.set_xlabel("epoch")
    ax_acc.set_ylabel("accuracy")
    ax_acc.grid(alpha=0.3)
    if history.accuracy and history.val_accuracy:
        epochs = np.arange(1, len(history.accuracy) + 1)
        ax_acc.plot(epochs, history.accuracy, color=POSITIVE, lw=2, label="training")
        ax_acc.plot(epochs, history.val_accuracy, color=NEGATIVE, lw=2, ls="--", label="test")
        ax_acc.legend(loc="lower right", fontsize=9)
    if history.diverged:
        summary = "diverged"
    elif history.val_accuracy:
        summary = f"test accuracy {history.val_accuracy[-1]:.3f}"
    else:
        summary = ""
    fig.suptitle(f"{title}: {summary}" if title else summary, fontsize=11)
    fig.subplots_adjust(top=0.84, bottom=0.18, left=0.08, right=0.98)
    return fig


def plot_first_layer_weights(W: ArrayLike, n_cols: int = 8, label: str = "$w_{ij}$") -> Figure:
    """Each hidden node's incoming weights w_ij drawn as an 8x8 image.

    Column j of ``W`` (shape (64, n_hidden)) holds the weights from every pixel
    i to hidden node j, so the image shows which pixels push node j up (blue,
    as positive weights are in :func:`backprop.book.figure1.draw_network`) or down
    (vermillion). One colour scale, symmetric about 0, for all nodes; the
    largest 1 % of |w| saturate it. ``label`` names the colour bar (e.g. for
    the change of the weights during training).
    """
    W = np.asarray(W, dtype=float)
    size = DIGIT_SHAPE[0] * DIGIT_SHAPE[1]
    if W.ndim != 2 or W.shape[0] != size:
        raise ValueError(f"W must have shape ({size}, n_hidden); got {W.shape}")
    n_cols = _checks.positive_int("n_cols", n_cols)
    n_hidden = W.shape[1]
    n_rows = -(-n_hidden // n_cols)
    # The colour scale ends at the 99th percentile of |w|, so that a handful
    # of large weights does not wash out all the others (they saturate).
    limit = float(np.percentile(np.abs(W), 99)) or 1.0
    norm = Normalize(-limit, limit)
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(0.9 * n_cols, 0.95 * n_rows), squeeze=False, facecolor="white"
    )
    for j, ax in enumerate(axes.flat):
        ax.axis("off")
        if j < n_hidden:
            ax.imshow(W[:, j].reshape(DIGIT_SHAPE), cmap=DIVERGING, norm=norm)
            ax.set_title(f"node {j}", fontsize=7)
    fig.colorbar(ScalarMappable(norm, DIVERGING), ax=axes.ravel().tolist(), shrink=0.8, label=label)
    return fig


def sklearn_mlp(
    hidden: int,
    activation: str,
    learning_rate: float,
    batch_size: int,
    epochs: int,
    seed: int = 0,
) -> MLPClassifier:
    """An unfitted ``MLPClassifier`` doing what :meth:`Network.fit` does.

    One hidden layer of ``hidden`` nodes, softmax output with cross-entropy,
    plain minibatch gradient descent at a constant ``learning_rate``: no
    momentum, no weight decay (alpha=0), no early stopping, and exactly
    ``epochs`` passes (the no-improvement stop is pushed out of reach). Its
    initial weights are scikit-learn's own (Glorot), so the two runs start
    from different points. Fitting it warns ``ConvergenceWarning`` when it
    reaches ``epochs``; that is expected.
    """
    from sklearn.neural_network import MLPClassifier

    name = _checks.choice("activation", activation, list(SKLEARN_ACTIVATIONS))
    epochs = _checks.positive_int("epochs", epochs)
    return MLPClassifier(
        hidden_layer_sizes=(_checks.positive_int("hidden", hidden),),
        activation=SKLEARN_ACTIVATIONS[name],
        solver="sgd",
        alpha=0.0,
        batch_size=_checks.positive_int("batch_size", batch_size),
        learning_rate="constant",
        learning_rate_init=_checks.positive_float("learning_rate", learning_rate),
        max_iter=epochs,
        shuffle=True,
        random_state=seed,
        momentum=0.0,
        nesterovs_momentum=False,
        early_stopping=False,
        n_iter_no_change=epochs + 1,
    )
