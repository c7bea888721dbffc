"""backprop.book.quoted: numbers glued into the prose are printed as the prose shows them."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from IPython.core.formatters import format_display_data
from myst_nb.core.variables import format_plain_text

from backprop.book.quoted import PREFIX, WIDTH, glue_and_show, quoted_text

VALUES = [0.5, -0.0561, 0.13, 9, 0, 3.814697265625e-06, 2.3e-06, 1e-323, True, 0.25**9]
SPECS = ["", ".4f", ".2f", ".1e", ".0e", ".0f"]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("fmt", SPECS)
def test_quoted_text_is_what_myst_nb_pastes(value: float, fmt: str) -> None:
    # myst-nb's {glue:text}`name:fmt` formats the glued text/plain
    plain = format_display_data(value)[0]["text/plain"]
    assert quoted_text(value, fmt) == format_plain_text(plain, fmt)


def test_quoted_text_of_a_string_is_the_string() -> None:
    plain = format_display_data("1e-05")[0]["text/plain"]
    assert quoted_text("1e-05") == format_plain_text(plain, "") == "1e-05"


@pytest.mark.parametrize("value", [np.float64(0.5), np.int64(3), np.array(0.5), None, [1]])
def test_only_python_numbers_and_strings(value: object) -> None:
    with pytest.raises(ValueError, match="Python int or float"):
        quoted_text(value)  # type: ignore[arg-type]


def test_a_format_needs_a_number() -> None:
    with pytest.raises(ValueError, match="needs a number"):
        quoted_text("0.5", ".2f")


def _glued(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Record what glue_and_show glues, in place of myst-nb's glue."""
    import myst_nb

    calls: dict[str, object] = {}

    def fake_glue(name: str, value: object, display: bool = True) -> None:
        assert display is False
        calls[name] = value

    monkeypatch.setattr(myst_nb, "glue", fake_glue)
    return calls


def test_glues_under_the_name_and_prints_as_the_prose_shows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = _glued(monkeypatch)
    glue_and_show({"ch1_z3": 0.6937, "ch5_E:.4f": 0.13, "n": 9})
    assert calls == {"ch1_z3": 0.6937, "ch5_E": 0.13, "n": 9}
    assert capsys.readouterr().out == f"{PREFIX}ch1_z3 = 0.6937, ch5_E = 0.1300, n = 9\n"


def test_long_lists_wrap_between_entries(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _glued(monkeypatch)
    numbers = {f"ch5_hand_new_w_ij{i}{j}:.4f": -0.0316 * i * j for i in range(1, 5) for j in (1, 2)}
    glue_and_show(numbers)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) > 1 and all(len(line) <= WIDTH for line in lines)
    entries = " ".join(line.strip().removeprefix(PREFIX.strip()).strip() for line in lines)
    expected = ", ".join(f"{key.split(':')[0]} = {value:.4f}" for key, value in numbers.items())
    assert entries == expected


def test_without_myst_nb_it_still_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "myst_nb", None)  # import myst_nb raises ImportError
    glue_and_show({"pg_spike": 2.5})
    assert capsys.readouterr().out == f"{PREFIX}pg_spike = 2.5\n"


@pytest.mark.parametrize(
    ("numbers", "problem"),
    [
        ({}, "numbers is empty"),
        ({"ch 1": 1.0}, "glue name 'ch 1'"),
        ({"x": np.float64(1)}, "int or float"),
    ],
)
def test_bad_input(numbers: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        glue_and_show(numbers)  # type: ignore[arg-type]
