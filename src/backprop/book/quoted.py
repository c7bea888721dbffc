"""Numbers quoted in the prose: glued for the HTML book, printed for every reader.

A chapter quotes a number that its code computes with myst-nb's ``glue`` and
the role ``{glue:text}`name``` (or ``{glue:text}`name:.4f```) in a markdown
cell. Jupyter Book pastes the number into the page, but JupyterLab (even with
jupyterlab-myst), Binder and Colab do not: there the reader sees only the
name. So the cell that computes a quoted number also prints it, by name and
exactly as the prose shows it:

    >>> glue_and_show({"ch1_z3": 0.5807, "ch1_E:.4f": 0.13})
    quoted in the text: ch1_z3 = 0.5807, ch1_E = 0.1300

* :func:`glue_and_show` glues each number (when myst-nb is installed, as it
  is wherever the book is built) and prints ``name = number`` for each, with
  the format spec the prose uses (a key ``name:fmt``);
* :func:`quoted_text` is the text that ``{glue:text}`name:fmt``` shows.

Only Python ``int``, ``float`` and ``str`` are glued: a NumPy scalar would
show in the prose as ``np.float64(0.5)``. Round the number in the code (the
standards: what a chapter prints or glues must not depend on the last bits
of the arithmetic) and let ``fmt`` only lay it out.
"""

from __future__ import annotations

from collections.abc import Mapping

WIDTH = 88
"""Longest printed line (a Colab or JupyterLab output area without scrolling)."""

PREFIX = "quoted in the text: "


def quoted_text(value: int | float | str, fmt: str = "") -> str:
    """The text of ``{glue:text}`name:fmt``` for a glued ``value``.

    Without ``fmt`` the number as Python writes it (``0.5``, ``9``), with it
    ``format(value, fmt)`` (``.4f`` gives ``0.5000``), as myst-nb renders it.
    ``value`` must be a Python ``int``, ``float`` or ``str`` (a ``str`` only
    without ``fmt``); anything else raises ``ValueError``.
    """
    if type(value) is str:
        if fmt:
            raise ValueError(f"fmt {fmt!r} needs a number, got the string {value!r}")
        return value
    if type(value) not in (int, float, bool):  # np.float64 is a float subclass
        raise ValueError(
            f"glue a Python int or float (e.g. round(float(x), 4)), got {type(value).__name__}"
            f" {value!r}: it would show in the prose as {value!r}"
        )
    return format(value, fmt) if fmt else str(value)


def glue_and_show(numbers: Mapping[str, int | float | str]) -> None:
    """Glue each of ``numbers`` and print them as the prose shows them.

    A key is the glue name, or ``name:fmt`` when the prose quotes it as
    ``{glue:text}`name:fmt``` (e.g. ``"ch5_hand_E:.4f"``): the number is glued
    under ``name`` and printed as :func:`quoted_text` lays it out. Prints
    ``quoted in the text: name = text, ...``, wrapped at :data:`WIDTH`
    characters, never inside an entry. The glue (a hidden output that
    Jupyter Book pastes into the prose) is left out where myst-nb is not
    installed, e.g. on Colab.
    """
    if not numbers:
        raise ValueError("numbers is empty; expected a mapping name -> value")
    glued, entries = {}, []
    for key, value in numbers.items():
        name, _, fmt = key.partition(":")
        if not name.isidentifier():
            raise ValueError(f"glue name {name!r} in {key!r}: expected letters, digits and _")
        glued[name] = value
        entries.append(f"{name} = {quoted_text(value, fmt)}")
    try:
        from myst_nb import glue
    except ImportError:  # Colab: nothing builds the book there
        pass
    else:
        for name, value in glued.items():
            glue(name, value, display=False)
    pieces = [entry + "," for entry in entries[:-1]] + entries[-1:]
    lines, line = [], PREFIX
    for piece in pieces:
        if line not in (PREFIX, "  ") and len(line) + len(piece) > WIDTH:
            lines.append(line.rstrip())
            line = "  "
        line += piece + " "
    lines.append(line.rstrip())
    print("\n".join(lines))
