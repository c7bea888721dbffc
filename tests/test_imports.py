"""The package's import graph: every module on its floor, imports pointing down.

Read from the source with ``ast`` (nothing is imported), function-local
imports included. Imports under ``if TYPE_CHECKING:`` are left out: they
exist for annotations and never run.

    python tests/test_imports.py     # print the floors and every edge

Floors (docs/architecture.md):

1. ``_checks``, ``activations``, ``losses``, ``datasets``, ``history``
2. ``network``, ``reference``
3. ``training``, ``_fast``, ``gradcheck``, ``diagnostics``, ``autograd``, ``bugs``,
   ``selfcheck``
   (and the package's ``__init__``, which gathers the public names)
4. ``book.*``: figures, widgets and chapter helpers

A module imports modules on its own floor or below, never above, with one
exception: ``Network.fit`` (floor 2) is a lazy delegate of
``training.fit`` (floor 3), a function-local import that runs only when it is
called. That single edge is listed in ``LAZY_DELEGATES``; the graph without
it has no cycle.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "backprop"

FLOORS = {
    "backprop._checks": 1,
    "backprop.activations": 1,
    "backprop.losses": 1,
    "backprop.datasets": 1,
    "backprop.history": 1,
    "backprop.network": 2,
    "backprop.reference": 2,
    "backprop.training": 3,
    "backprop._fast": 3,
    "backprop.gradcheck": 3,
    "backprop.diagnostics": 3,
    "backprop.autograd": 3,
    "backprop.bugs": 3,
    "backprop.selfcheck": 3,
    "backprop": 3,
}
"""Each core module's floor; every module of backprop.book is on floor 4."""

LAZY_DELEGATES = {("backprop.network", "backprop.training"): "Network.fit"}
"""The one upward import: (importer, imported) -> the function it sits in."""

CORE_THIRD_PARTY = {"numpy"}
BOOK_THIRD_PARTY = {"numpy", "matplotlib", "ipywidgets", "traitlets", "PIL", "IPython"}
"""NumPy and what the ``book`` extra brings; ``sklearn`` (the ``digits`` extra) only
inside functions, so that importing backprop.book.digits works without it, and
``myst_nb`` (which builds the book) only inside backprop.book.quoted's function,
which works without it on Colab."""
FUNCTION_LOCAL_ONLY = {"sklearn", "myst_nb"}


def floor(module: str) -> int:
    return 4 if module.startswith("backprop.book") else FLOORS[module]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, scope: str = "") -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement that can run, with the function it sits in."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (item for child in node.orelse for item in _imports(child, scope))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node, scope
        inner = scope
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            inner = f"{scope}.{node.name}" if scope else node.name
        yield from _imports(node, inner)


def edges(
    known: dict[str, Path],
) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """(internal edges, third-party imports) as (importer, imported, scope);
    scope is "" for a module-level import, else the enclosing function."""
    internal, external = set(), set()
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node, scope in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif node.level == 0:
                targets = [node.module or ""]
            else:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
                # `from . import x` imports the module x when there is one.
                targets = [
                    f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in known else stem
                    for alias in node.names
                ]
            for target in targets:
                if target == "backprop" or target.startswith("backprop."):
                    while target not in known:  # a name inside a module
                        target = target.rpartition(".")[0]
                    if target != name:
                        internal.add((name, target, scope))
                elif target.split(".")[0] not in sys.stdlib_module_names:
                    external.add((name, target.split(".")[0], scope))
    return internal, external


KNOWN = modules()
INTERNAL, EXTERNAL = edges(KNOWN)


def test_every_module_has_a_floor() -> None:
    missing = [m for m in KNOWN if not m.startswith("backprop.book") and m not in FLOORS]
    assert not missing, f"give these modules a floor in FLOORS: {missing}"


@pytest.mark.parametrize(("importer", "imported", "scope"), sorted(INTERNAL))
def test_imports_point_down(importer: str, imported: str, scope: str) -> None:
    if floor(imported) <= floor(importer):
        return
    assert LAZY_DELEGATES.get((importer, imported)) == scope and scope, (
        f"{importer} (floor {floor(importer)}) imports {imported} "
        f"(floor {floor(imported)}) in {scope or 'its module body'}"
    )


def test_the_lazy_delegate_is_the_only_upward_edge_and_is_there() -> None:
    upward = {(a, b, s) for a, b, s in INTERNAL if floor(b) > floor(a)}
    assert upward == {(a, b, s) for (a, b), s in LAZY_DELEGATES.items()}


def test_no_cycles() -> None:
    graph: dict[str, set[str]] = {m: set() for m in KNOWN}
    for importer, imported, _ in INTERNAL:
        if (importer, imported) not in LAZY_DELEGATES:
            graph[importer].add(imported)
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycle = path[path.index(module) :] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, path + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_core_imports_numpy_and_nothing_else() -> None:
    core = {(m, lib) for m, lib, _ in EXTERNAL if floor(m) < 4}
    assert {lib for _, lib in core} <= CORE_THIRD_PARTY, sorted(core)


def test_the_book_imports_only_its_extras() -> None:
    book = {(m, lib, s) for m, lib, s in EXTERNAL if floor(m) == 4}
    allowed = BOOK_THIRD_PARTY | FUNCTION_LOCAL_ONLY
    assert {lib for _, lib, _ in book} <= allowed, sorted(book)
    module_level = [(m, lib) for m, lib, s in book if lib in FUNCTION_LOCAL_ONLY and not s]
    assert not module_level, f"import these inside the functions that need them: {module_level}"


def test_the_graph_sees_function_local_imports() -> None:
    # Guards the reader above: these are known imports inside functions.
    assert ("backprop.network", "backprop.training", "Network.fit") in INTERNAL
    assert ("backprop.book.digits", "sklearn", "sklearn_mlp") in EXTERNAL


def main() -> None:
    for level in (1, 2, 3, 4):
        names = sorted(m for m in KNOWN if floor(m) == level)
        print(f"floor {level}: " + ", ".join(n.removeprefix("backprop.") for n in names))
    print()
    for importer, imported, scope in sorted(INTERNAL, key=lambda e: (floor(e[0]), e)):
        where = f"  (inside {scope})" if scope else ""
        print(f"{importer} [{floor(importer)}] -> {imported} [{floor(imported)}]{where}")
    print()
    for importer, lib, scope in sorted(EXTERNAL):
        where = f"  (inside {scope})" if scope else ""
        print(f"{importer} -> {lib}{where}")


if __name__ == "__main__":
    main()
