"""The engine's and the app's import graph: no cycles, layers in order, imports at the top of each module.

Every `import` and `from ... import` of a project module counts, wherever it sits (inside a function too);
imports under `if TYPE_CHECKING:` do not run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("scenarios", "ui")
# Each layer may import itself and the layers before it (ui and app.py sit above them all).
LAYERS = ("scenarios.registry", "scenarios.data", "scenarios.model", "scenarios.words", "scenarios.cli", "ui")
# Imports inside a function that delay a heavy optional dependency, by module: (module, imported module).
DELAYED_OK: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}
    found["app"] = ROOT / "app.py"
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    return skip


def imports_of(name: str, path: Path, known: set[str]) -> list[tuple[str, bool]]:
    """(imported project module, inside a function?) for every import in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inside.update(id(n) for n in ast.walk(node) if n is not node)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in known else node.module
                       for a in node.names]
        for target in targets:
            if target in known and target != name:
                out.append((target, id(node) in inside))
    return out


def graph() -> dict[str, list[tuple[str, bool]]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def layer(name: str) -> int:
    for i, prefix in enumerate(LAYERS):
        if name == prefix or name.startswith(prefix + "."):
            return i
    return len(LAYERS)  # app.py, and the package roots (scenarios/__init__, __main__) at the top


def test_no_import_cycle():
    edges = {name: {t for t, _ in imps} for name, imps in graph().items()}
    seen: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if seen.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for node in sorted(edges):
        if node not in seen:
            visit(node)
    assert cycles == []


def test_each_layer_imports_only_the_layers_before_it():
    upward = [(name, target) for name, imps in graph().items() for target, _ in imps
              if layer(target) > layer(name)]
    assert upward == []


def test_imports_sit_at_the_top_of_each_module():
    inside = [(name, target) for name, imps in graph().items() for target, is_inside in imps
              if is_inside and (name, target) not in DELAYED_OK]
    assert inside == []


def test_the_graph_sees_the_engine():
    g = graph()
    assert "scenarios.model.outcome" in g and ("scenarios.data.dataset", False) in g["scenarios.model.outcome"]


def test_no_module_keeps_data():
    """No cached loader of data in the engine: data reach a computation only as a Dataset argument."""
    offenders = []
    for name, path in modules().items():
        if not name.startswith("scenarios."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("default_") and node.name not in (
                    "default_macro_levers",):
                offenders.append(f"{name}.{node.name}")
    assert offenders == []
