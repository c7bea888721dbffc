"""The book's look: colours, new axes, number formatting and message boxes.

Every figure module draws with these. New figures get an opaque white
background (:data:`FACECOLOR`), so they read the same on the book's light and
dark themes; :func:`backprop.book.widgets.figure_to_png` renders and closes them.

Colours come from the Okabe-Ito palette, which stays distinct under the
common colour-vision deficiencies: blue for positive weights (and class 1),
vermillion for negative weights (and class 0).
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex, to_rgb

POSITIVE = "#0072B2"
"""Okabe-Ito blue: positive weights, class 1, g(z)."""
NEGATIVE = "#D55E00"
"""Okabe-Ito vermillion: negative weights, class 0, g'(z)."""
INK = "#222222"
"""Text and outlines."""
FACECOLOR = "white"
"""Opaque figure background, readable on light and dark pages."""
NODE_FILL = "#f2f2f2"
HIGHLIGHT_FILL = "#ffe9a8"
MUTED_ALPHA = 0.3


def _tint(color: str, amount: float) -> str:
    """``color`` mixed with white (amount 0 is white, 1 the colour), as hex."""
    r, g, b = (1.0 - amount * (1.0 - channel) for channel in to_rgb(color))
    return to_hex((r, g, b))


DIVERGING = LinearSegmentedColormap.from_list(
    "backprop_diverging", [_tint(NEGATIVE, 0.55), "#ffffff", _tint(POSITIVE, 0.55)]
)
"""Light vermillion (0) to white (0.5) to light blue (1): output
probabilities, pale enough for the points on top to stand out."""


def format_number(value: float, decimals: int = 3) -> str:
    """Round for display: ``decimals`` places, tiny non-zero values as 1.2e-05.

    >>> format_number(0.12345), format_number(-2e-5), format_number(-0.0)
    ('0.123', '-2.0e-05', '0.000')
    """
    value = float(value)
    if value != 0 and abs(value) < 0.5 * 10.0**-decimals:
        return f"{value:.1e}"
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """Return ``ax``, or the Axes of a new figure with an opaque background."""
    if ax is not None:
        return ax
    fig, new_ax = plt.subplots(figsize=figsize, facecolor=FACECOLOR, layout="constrained")
    new_ax.set_facecolor(FACECOLOR)
    return new_ax


def message(
    ax: Axes, text: str, *, width: int = 40, fontsize: float = 10, blank: bool = False
) -> None:
    """Write a boxed message across the middle of the axes, in lines of at
    most ``width`` characters (``blank``: and remove the ticks of an axes with
    nothing else on it). Used wherever a plot has nothing sound to show, e.g.
    after a diverged training run."""
    if blank:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.text(
        0.5,
        0.5,
        textwrap.fill(text, width),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=fontsize,
        color=INK,
        bbox={"boxstyle": "round", "facecolor": HIGHLIGHT_FILL, "edgecolor": NEGATIVE},
    )


def fit_messages(ax: Axes, width: int, fontsize: float) -> None:
    """Re-wrap the boxed messages on ``ax`` (from :func:`message`) to lines
    of ``width`` characters at ``fontsize``, for small panels."""
    for text in ax.texts:
        if text.get_bbox_patch() is not None:
            text.set_text(textwrap.fill(text.get_text(), width))
            text.set_fontsize(fontsize)
