"""Print the project's dependencies from pyproject.toml, one requirement a line.

    python scripts/deps.py          # runtime dependencies
    python scripts/deps.py test     # runtime dependencies and the "test" extra

The project is not an installable package (setuptools packages=[]), so `make` and the Dockerfile
install exactly these requirements instead of the project itself.
"""

import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def requirements(extras: list[str]) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    unknown = [extra for extra in extras if extra not in optional]
    if unknown:
        raise SystemExit(f"Unknown extra(s) {', '.join(unknown)}; pyproject.toml has: {', '.join(optional)}")
    found = list(project["dependencies"])
    for extra in extras:
        found.extend(optional[extra])
    return found


if __name__ == "__main__":
    print("\n".join(requirements(sys.argv[1:])))
