"""Controls that need a kernel, disabled in the static page.

Changes: in a page's saved widget state, every control inside a widget
marked ``backprop.book.widgets.needs_kernel`` is disabled, and the note
inside it marked ``kernel_note`` says why. The widget room calls
:func:`disable_live_controls` on each page's state before saving it.

Why: without a kernel such a control would move and change nothing.

Depends on: the CSS classes NEEDS_KERNEL and KERNEL_NOTE of
backprop.book.widgets (this repository) and the widget state's layout of
ipywidgets 8.1 (``state[id]["model_name"]``, ``["state"]["_dom_classes"]``,
``["children"]`` as ``IPY_MODEL_<id>``).
"""

from __future__ import annotations

from typing import Any

NEEDS_KERNEL = "bp-needs-kernel"  # backprop.book.widgets.NEEDS_KERNEL
KERNEL_NOTE = "bp-kernel-note"  # backprop.book.widgets.KERNEL_NOTE
NOTE = (
    "<em>These controls need a running Python kernel (Binder, Colab or "
    "<code>make lab</code>), so they are disabled in this page. The picture "
    "shows the settings above.</em>"
)
NOT_CONTROLS = {"VBoxModel", "HBoxModel", "BoxModel", "HTMLModel", "ImageModel", "OutputModel"}


def disable_live_controls(state: dict[str, Any]) -> None:
    """In the static page, controls that need a kernel would do nothing: every
    control inside a widget marked ``needs_kernel`` is disabled, and its note
    says why. In place."""
    models = state.get("state", {})

    def walk(model_id: str) -> None:
        model = models.get(model_id.removeprefix("IPY_MODEL_"))
        if model is None:
            return
        widget = model["state"]
        if model["model_name"] not in NOT_CONTROLS:
            widget["disabled"] = True
        if KERNEL_NOTE in widget.get("_dom_classes", []):
            widget["value"] = NOTE
        for child in widget.get("children", []):
            walk(child)

    for model_id, model in models.items():
        if NEEDS_KERNEL in model["state"].get("_dom_classes", []):
            walk(model_id)
