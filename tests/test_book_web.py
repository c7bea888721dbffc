"""The book's Sphinx extension (ext/book_web.py), without building the book."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import ipywidgets as w
import numpy as np
import PIL.Image

from backprop.book.widgets import kernel_note, needs_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ext"))
import book_web  # noqa: E402


def test_static_page_disables_live_controls_and_says_why() -> None:
    slider = w.FloatSlider(description="noise")
    button = w.Button(description="Preset")
    outside = w.Dropdown(options=["a", "b"], description="elsewhere")
    panel = needs_kernel(w.VBox([kernel_note(), w.HBox([slider, button])]))
    state = {"state": w.Widget.get_manager_state(drop_defaults=True)["state"]}
    try:
        book_web._disable_live_controls(state)
        models = state["state"]
        assert models[slider.model_id]["state"]["disabled"] is True
        assert models[button.model_id]["state"]["disabled"] is True
        assert "disabled" not in models[outside.model_id]["state"]  # not live-only: untouched
        note = models[panel.children[0].model_id]["state"]["value"]
        assert "need a running Python kernel" in note
    finally:
        w.Widget.close_all()


def test_webp_keeps_every_pixel() -> None:
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 4, size=(40, 60, 3), dtype=np.uint8) * 60  # a few flat colours
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels).save(buffer, format="png")
    webp = book_web.smaller_webp(buffer.getvalue())
    assert webp is not None and len(webp) < len(buffer.getvalue())
    back = np.asarray(PIL.Image.open(io.BytesIO(webp)).convert("RGB"))
    np.testing.assert_array_equal(back, pixels)
