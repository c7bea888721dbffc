"""The widget rooms of the book's extension (ext/book_web/widget_state.py,
kernel_controls.py, images.py), without building the book."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import ipywidgets as w
import numpy as np
import PIL.Image
from book_web import images, kernel_controls, patches, widget_state

from backprop.book.widgets import kernel_note, needs_kernel


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    PIL.Image.fromarray(pixels).save(buffer, format="png")
    return buffer.getvalue()


FLAT = np.random.default_rng(0).integers(0, 4, size=(40, 60, 3), dtype=np.uint8) * 60


def test_static_page_disables_live_controls_and_says_why() -> None:
    slider = w.FloatSlider(description="noise")
    button = w.Button(description="Preset")
    outside = w.Dropdown(options=["a", "b"], description="elsewhere")
    panel = needs_kernel(w.VBox([kernel_note(), w.HBox([slider, button])]))
    state = {"state": w.Widget.get_manager_state(drop_defaults=True)["state"]}
    try:
        kernel_controls.disable_live_controls(state)
        models = state["state"]
        assert models[slider.model_id]["state"]["disabled"] is True
        assert models[button.model_id]["state"]["disabled"] is True
        assert "disabled" not in models[outside.model_id]["state"]  # not live-only: untouched
        note = models[panel.children[0].model_id]["state"]["value"]
        assert "need a running Python kernel" in note
    finally:
        w.Widget.close_all()


def test_webp_keeps_every_pixel() -> None:
    png = _png(FLAT)
    webp = images.smaller_webp(png)
    assert webp is not None and len(webp) < len(png)
    back = np.asarray(PIL.Image.open(io.BytesIO(webp)).convert("RGB"))
    np.testing.assert_array_equal(back, FLAT)


def test_image_widgets_go_webp_in_the_state() -> None:
    data = base64.b64encode(_png(FLAT)).decode("ascii")
    model: dict[str, Any] = {
        "model_name": "ImageModel",
        "state": {"format": "png"},
        "buffers": [{"path": ["value"], "encoding": "base64", "data": data}],
    }
    state = {"state": {"m": model}}
    widget_state.webp_state(state)
    assert model["state"]["format"] == "webp"
    webp = base64.b64decode(model["buffers"][0]["data"])
    assert PIL.Image.open(io.BytesIO(webp)).format == "WEBP"


def test_figures_point_at_webp_twins_with_their_size(tmp_path: Path) -> None:
    (tmp_path / "fig.png").write_bytes(_png(FLAT))
    page = '<p><img alt="a" src="../_images/fig.png" /></p>'
    done: dict[str, tuple[str, int, int]] = {}
    new = images.webp_figures(page, tmp_path, done)
    assert 'src="../_images/fig.webp"' in new and 'width="60" height="40"' in new
    assert 'loading="lazy" decoding="async"' in new
    assert not (tmp_path / "fig.png").exists() and (tmp_path / "fig.webp").is_file()
    assert images.webp_figures(page, tmp_path, {}) == new  # an earlier build's twin


def _app(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(outdir=str(tmp_path), add_js_file=lambda *a, **k: None)


def test_a_page_with_state_but_without_the_widget_scripts_is_reported(tmp_path: Path) -> None:
    """myst-nb's widget scripts are the target: a page with widget state
    that lacks one is reported by patch and page, and the build goes on."""
    body = json.dumps({"state": {}})
    state = SimpleNamespace(
        filename=None, attributes={"type": widget_state.STATE_TYPE, "body": body}
    )
    other = SimpleNamespace(filename="_static/npm/requirejs/require.js", attributes={})
    app = _app(tmp_path)
    context = {"script_files": [state, other]}
    widget_state.lazy_widgets(app, "book/ch", "page.html", context, None)
    found = patches.problems(app).found
    assert [(p.patch, p.page) for p in found] == [("widget_state.WIDGET_SCRIPTS", "book/ch.html")]
    assert "_static/widgets-setup.js" in found[0].message
    assert context["script_files"] == []  # the state and the scripts went all the same
    assert (tmp_path / "_static" / "widget-state" / "book" / "ch.js").is_file()
