"""Browser tests of the numbers behind the network pictures
(ext/book_web/picture_numbers.py) in the built book: pointing at a node and
an edge of chapter 1's Figure 1, or moving keyboard focus to them, shows the
kernel's numbers at 4 decimals; the folded table holds the same; axe finds
nothing serious in either theme; a phone keeps the tooltip on screen; the
page works from file://.

Run on a built book, as tests/test_browser.py:
``BOOK_HTML=<dir>/_build/html pytest tests/test_picture_numbers.py -m browser``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import test_browser
from test_browser import AXE, REQUIRE_BROWSER, SERIOUS, Visit, _show_theme, _skip_or_fail

from backprop import Network

pytestmark = pytest.mark.browser

# tests/test_browser.py's fixtures: the built book, its server, Chromium, a page visit
built_book = test_browser.built_book
server = test_browser.server
browser = test_browser.browser
visit = test_browser.visit

PAGE = "book/01_forward_pass.html"
# chapter 1's second picture: "Forward pass for the input (1, 0.5)"
PICTURE = ".bp-pic >> nth=1"


def _kernel() -> dict[str, str]:
    """Chapter 1's network, input and target, computed here as its kernel
    does (book/01_forward_pass.ipynb), formatted as the prose quotes them."""
    net = Network([2, 3, 1], activations=["tanh", "sigmoid"], seed=0)
    x, t = np.array([1.0, 0.5]), np.array([1.0])
    cache = net.feedforward(x[None, :])
    four = "{:.4f}".format
    return {
        "z": four(cache.z[0][0, 1]),
        "a": four(cache.a[1][0, 1]),
        "b": four(net.biases[0][1]),
        "w": four(net.weights[0][0, 1]),
        "a_out": four(cache.a[2][0, 0]),
        "E": four(net.loss(x[None, :], t[None, :])),
    }


def _tip(page: Any, button: Any) -> str:
    """The tooltip's text, which must be showing."""
    tip = button.locator(".bp-tip")
    assert tip.is_visible(), "the tooltip does not show"
    return str(tip.inner_text()).replace("\n", ", ")


def test_pointing_and_focus_show_the_kernel_numbers(visit: Callable[[str], Visit]) -> None:
    numbers = _kernel()
    opened = visit(PAGE)
    page = opened.page
    picture = page.locator(PICTURE)
    node = picture.locator('.bp-spot[aria-label^="hidden node 2:"]')
    assert not node.locator(".bp-tip").is_visible()
    node.hover()
    text = _tip(page, node)
    for symbol in ("b", "z", "a"):
        assert f"{symbol} = {numbers[symbol]}" in text, text
    label = node.get_attribute("aria-label")
    assert f"z = {numbers['z']}" in label and f"a = {numbers['a']}" in label
    page.mouse.move(0, 0)
    # the keyboard alone: Tab from the spot before the edge's reaches it
    edge = picture.locator('.bp-spot[aria-label^="weight from input node 1 to hidden node 2:"]')
    before = picture.locator(".bp-spot").nth(
        page.evaluate(
            "([p, e]) => [...document.querySelectorAll('.bp-pic')[p]"
            ".querySelectorAll('.bp-spot')].findIndex(b => b.ariaLabel.startsWith(e)) - 1",
            [1, "weight from input node 1 to hidden node 2:"],
        )
    )
    before.focus()
    page.keyboard.press("Tab")
    assert edge.evaluate("e => e === document.activeElement")
    assert edge.evaluate("e => e.matches(':focus-visible')")
    outline = edge.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", "no visible focus"
    assert f"w = {numbers['w']}" in _tip(page, edge)
    opened.check()


def test_table_holds_the_same_numbers(visit: Callable[[str], Visit]) -> None:
    numbers = _kernel()
    opened = visit(PAGE)
    page = opened.page
    details = page.locator(".bp-numbers >> nth=1")
    details.locator("summary").click()
    row = details.locator('tr:has(th:text-is("hidden node 2"))')
    heads = details.locator("table >> nth=0").locator("thead th").all_inner_texts()
    cells = dict(zip(heads[1:], row.locator("td").all_inner_texts(), strict=True))
    assert cells["z"] == numbers["z"] and cells["a"] == numbers["a"]
    assert cells["b"] == numbers["b"]
    edge = details.locator('tr:has(th:text-is("weight from input node 1 to hidden node 2"))')
    assert edge.locator("td").first.inner_text() == numbers["w"]
    output = details.locator('tr:has(th:text-is("output node 1"))')
    assert numbers["a_out"] in output.locator("td").all_inner_texts()
    assert f"E = {numbers['E']}" in details.inner_text()
    opened.check()


def test_axe_finds_nothing_serious_in_the_pictures(visit: Callable[[str], Visit]) -> None:
    if not AXE.is_file():
        _skip_or_fail(f"no {AXE}: run `make vendor`", REQUIRE_BROWSER)
    opened = visit(PAGE)
    page = opened.page
    for details in page.locator(".bp-numbers").all():
        details.locator("summary").click()
    page.locator(f"{PICTURE} >> .bp-spot >> nth=3").focus()  # a tooltip showing
    page.add_script_tag(path=str(AXE))
    run = """() => axe.run({include: [['.bp-pic'], ['.bp-numbers']]},
        {resultTypes: ['violations']}).then(r => r.violations.map(v =>
        ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"""
    found = []
    for scheme in ("light", "dark"):
        _show_theme(opened, scheme)
        found += [f"{scheme}: {v}" for v in page.evaluate(run) if v["impact"] in SERIOUS]
    assert not found, "\n".join(found)
    opened.check()


def test_tooltips_stay_on_a_phone_screen(browser: Any, server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/{PAGE}", wait_until="load")
        buttons = page.locator(f"{PICTURE} >> .bp-spot")
        for index in range(buttons.count()):
            buttons.nth(index).focus()
            box = buttons.nth(index).locator(".bp-tip").bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (index, box)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways ({width} px)"
    finally:
        context.close()


def test_works_from_file_url(built_book: Path, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(built_book.joinpath(PAGE).resolve().as_uri(), wait_until="load")
        node = page.locator(f'{PICTURE} >> .bp-spot[aria-label^="hidden node 2:"]')
        node.focus()
        assert f"z = {_kernel()['z']}" in _tip(page, node)
    finally:
        context.close()


def test_stepper_frames_show_their_numbers(visit: Callable[[str], Visit]) -> None:
    """Chapter 6's stepper (the deep worked example): the frame shown has
    its spots and table; the next frame brings its own."""
    from backprop.book.worked_example import deep_worked_example

    net, x, t = deep_worked_example()
    cache = net.feedforward(x[None, :])
    opened = visit("book/06_deep_networks.html")
    page = opened.page
    test_browser.settle(opened, test_browser._read("book/06_deep_networks.html"))
    picture = page.locator("img.bp-wpic").first
    picture.scroll_into_view_if_needed()
    layer = page.locator(".bp-pic-layer").first
    layer.wait_for(state="attached")
    assert page.locator(".bp-pic-layer").count() == 1  # only the frame shown
    spot = layer.locator('.bp-spot[aria-label^="input node 1:"]')
    spot.hover()
    assert f"a = {x[0]:.4f}" in _tip(page, spot)
    # the next step: z and a of hidden layer 1
    slider = page.locator(".widget-slider .slider-handle, .widget-slider [role=slider]").first
    slider.focus()
    page.keyboard.press("ArrowRight")
    name = 'hidden layer 1 node 1:"]'
    page.locator(f'.bp-pic-layer .bp-spot[aria-label^="{name}').wait_for(state="attached")
    label = page.locator(f'.bp-pic-layer .bp-spot[aria-label^="{name}').get_attribute("aria-label")
    assert f"z = {cache.z[0][0, 0]:.4f}" in label and f"a = {cache.a[1][0, 0]:.4f}" in label
    assert page.locator(".bp-pic-layer").count() == 1
    assert page.locator("img.bp-wpic + .bp-pic-layer + details.bp-numbers").count() == 1
    opened.check()
