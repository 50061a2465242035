"""Markup lives in templates: no Python string of the apps holds an HTML tag, and no code marks a
string safe by hand (mark_safe, format_html, SafeString), so every page's HTML can be read, and
changed, in templates/ alone.

Only string literals are looked at (through the ast module): `a < b` in code is no tag, and neither
is "<" in a message such as "phải < 100". Migrations and tests are left out."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRECTORIES = {"migrations", "tests", "__pycache__"}
# <tag, </tag and <tag/> where the tag is a name an HTML element could have: "<b", "</li", "<br/>",
# "<h2", "<my-widget"; "<=", "< 5", "<-" and "<<" are not.
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])")
SAFE_MARKING = {"mark_safe", "format_html", "format_html_join", "SafeString", "SafeText", "SafeData"}


def app_packages() -> list[Path]:
    """Every top-level package with an apps.py: the project's apps, today's and those to come."""
    return sorted(path.parent for path in ROOT.glob("*/apps.py") if (path.parent / "__init__.py").exists())


def python_files(package: Path) -> list[Path]:
    return sorted(
        path
        for path in package.rglob("*.py")
        if not SKIPPED_DIRECTORIES.intersection(path.relative_to(package).parts[:-1])
    )


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the nodes that are docstrings: prose about the code, which may name a tag."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _literal_text(node: ast.AST) -> str | None:
    """The text of a string literal; an f-string's literal parts joined (its {fields} left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    return None


def offences(path: Path) -> list[str]:
    """`file:line: what` for each string with a tag and each use of a safe-marking helper."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    docstrings = _docstrings(tree)
    name = path.relative_to(ROOT).as_posix()
    found = []
    inside_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside_fstring.update(id(part) for part in node.values)
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in inside_fstring:
            continue
        text = _literal_text(node)
        if text is not None:
            tag = TAG.search(text)
            if tag:
                found.append(f"{name}:{node.lineno}: HTML in a string ({tag.group(0)}…)")
        elif isinstance(node, ast.Name) and node.id in SAFE_MARKING:
            found.append(f"{name}:{node.lineno}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in SAFE_MARKING:
            found.append(f"{name}:{node.lineno}: {node.attr}")
        elif isinstance(node, ast.alias) and node.name.split(".")[-1] in SAFE_MARKING:
            found.append(f"{name}:{node.lineno}: import of {node.name}")
    return sorted(set(found), key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_every_app_package_is_looked_at():
    names = {package.name for package in app_packages()}
    assert {"accounts", "cchc", "plans", "tasks", "dashboards", "reports", "demo"} <= names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('HTML = "<li class=\\"x\\">"\n', 1),
        ("def f(name):\n    return f'<strong>{name}</strong>'\n", 1),
        ('CLOSE = "</td>"\n', 1),
        ('BREAK = "<br/>"\n', 1),
        ("from django.utils.safestring import mark_safe\n", 1),
        ("import django.utils.html\nx = django.utils.html.format_html('{}', 1)\n", 1),
        ("def f(a, b):\n    return a < b and b<a\n", 0),
        ('MESSAGE = "Tiến độ phải < 100 và <= 100"\n', 0),
        ('def f():\n    """Renders <li> items."""\n    return 1\n', 0),
        ("# a comment with <b>bold</b>\nx = 1\n", 0),
    ],
)
def test_the_check_sees_tags_in_strings_only(tmp_path, monkeypatch, source, expected):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert len(offences(path)) == expected, offences(path)


def test_no_python_string_of_the_apps_holds_markup():
    found = [line for package in app_packages() for path in python_files(package) for line in offences(path)]
    assert not found, "Markup belongs in templates/:\n" + "\n".join(found)
