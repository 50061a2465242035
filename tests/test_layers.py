"""The apps are layers: each imports only the apps below it, and no module imports itself back through
others. Every import statement counts, those inside functions too (a lazy import hides a cycle, it does
not remove it)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Bottom up (README, "Architecture"): an app may import the apps before it in this list, never after.
LAYERS = [
    "accounts",
    "cchc",
    "plans",
    "tasks",
    "dashboards",
    "search",
    "reports",
    "evaluations",
    "notifications",
    "ratings",
    "administration",
    "audit",
    "demo",
]
# Apps of one rank stand side by side: neither imports the other (evaluations and notifications,
# dashboards and search, administration and audit).
RANK = {"accounts": 0, "cchc": 1, "plans": 2, "tasks": 3, "dashboards": 4, "reports": 5}
RANK |= {"evaluations": 6, "notifications": 6, "ratings": 7, "search": 4, "administration": 8, "audit": 8}
RANK |= {"demo": 9}


def app_packages() -> list[str]:
    """Every top-level package of the project that is a Django app (it has an apps.py)."""
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def modules() -> dict[str, Path]:
    """Module name → file, for every Python file of the apps outside their migrations."""
    found = {}
    for app in app_packages():
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).with_suffix("")
            if "migrations" in relative.parts:
                continue
            parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
            found[".".join(parts)] = path
    return found


def imported_modules(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its file (`from a.b import c` counts a.b.c when
    c is a module, else a.b)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                targets.add(candidate if candidate in known else base)
    resolved = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            resolved.add(target)
    return resolved


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imported_modules(path, name, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each one an import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_app_has_a_place_among_the_layers():
    assert set(app_packages()) <= set(LAYERS), "add the new app to LAYERS and RANK, and to the README"


def test_each_app_imports_only_the_apps_below_it():
    wrong = []
    for module, targets in graph().items():
        app = module.split(".")[0]
        for target in targets:
            other = target.split(".")[0]
            if other != app and RANK[other] >= RANK[app]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_module_imports_itself_back_through_others():
    assert cycles(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles_and_only_cycles(edges, expected):
    assert cycles(edges) == expected


def test_a_lazy_import_inside_a_function_counts(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from plans import models\n")
    known = {"plans.models": Path("x"), "plans": Path("y"), "tasks.m": module}
    assert imported_modules(module, "tasks.m", known) == {"plans.models"}
