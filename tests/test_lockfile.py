"""The locks in requirements/ agree with pyproject.toml, and make and the Dockerfile install from them.

requirements/base.txt pins the runtime dependencies, requirements/test.txt the same pins plus the "test"
extra, requirements/tools.txt uv (which writes them: `make lock`). Every entry is an exact `==` pin with
its hashes, so an install is the same everywhere and `pip install --require-hashes` refuses anything else.
"""

import importlib.metadata
import os
import re
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements"
BASE_LOCK = REQUIREMENTS / "base.txt"
TEST_LOCK = REQUIREMENTS / "test.txt"
TOOLS_LOCK = REQUIREMENTS / "tools.txt"
TOOLS_IN = REQUIREMENTS / "tools.in"
HASH = re.compile(r"^--hash=sha256:[0-9a-f]{64}$")


@dataclass
class Pin:
    name: str
    version: str | None
    marker: str | None
    hashes: list[str] = field(default_factory=list)
    line: str = ""


def read_lock(text: str) -> tuple[dict[str, list[Pin]], list[str]]:
    """The lock's entries by canonical name (a universal lock may pin one name per marker), and what
    is wrong with its lines: anything but an exact `==` pin with sha256 hashes."""
    pins: dict[str, list[Pin]] = {}
    problems: list[str] = []
    logical, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    if current:
        logical.append(current)
    for line in logical:
        line = line.split(" #", 1)[0].strip()
        if line.startswith("-"):
            problems.append(f"an option line instead of a pin: {line!r}")
            continue
        words = line.split()
        hash_words = [word for word in words if word.startswith("--hash")]
        requirement_text = " ".join(word for word in words if not word.startswith("--hash"))
        try:
            requirement = Requirement(requirement_text)
        except InvalidRequirement as error:
            problems.append(f"not a requirement: {line!r} ({error})")
            continue
        name = canonicalize_name(requirement.name)
        specifiers = list(requirement.specifier)
        exact = (
            requirement.url is None
            and len(specifiers) == 1
            and specifiers[0].operator == "=="
            and "*" not in specifiers[0].version
        )
        version = specifiers[0].version if exact else None
        if not exact:
            problems.append(f"{name} is not pinned exactly (==): {requirement_text!r}")
        if not hash_words:
            problems.append(f"{name} has no --hash")
        problems.extend(
            f"{name} has a malformed hash: {word!r}" for word in hash_words if not HASH.match(word)
        )
        marker = str(requirement.marker) if requirement.marker else None
        pins.setdefault(name, []).append(Pin(name, version, marker, hash_words, line))
    if not pins:
        problems.append("the lock pins nothing")
    return pins, problems


def declared(pyproject_text: str) -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads(pyproject_text)["project"]
    return (
        [Requirement(text) for text in project["dependencies"]],
        [Requirement(text) for text in project.get("optional-dependencies", {}).get("test", [])],
    )


def pin_problems(requirement: Requirement, pins: dict[str, list[Pin]], lock_name: str) -> list[str]:
    name = canonicalize_name(requirement.name)
    if name not in pins:
        return [f"{requirement} (pyproject.toml) is not pinned in {lock_name}"]
    return [
        f"{lock_name} pins {name}=={pin.version}, outside pyproject.toml's {requirement}"
        for pin in pins[name]
        if pin.version is not None
        and not requirement.specifier.contains(Version(pin.version), prereleases=True)
    ]


def disagreements(pyproject_text: str, base_text: str, test_text: str) -> list[str]:
    """Everything on which pyproject.toml and the two locks disagree; empty when they agree."""
    runtime, test_extra = declared(pyproject_text)
    base, base_format = read_lock(base_text)
    test, test_format = read_lock(test_text)
    problems = [f"base.txt: {problem}" for problem in base_format]
    problems += [f"test.txt: {problem}" for problem in test_format]
    for requirement in runtime:
        problems += pin_problems(requirement, base, "base.txt")
        problems += pin_problems(requirement, test, "test.txt")
    for requirement in test_extra:
        problems += pin_problems(requirement, test, "test.txt")
    for name, pins in base.items():
        in_base = sorted((pin.version or "", pin.marker or "") for pin in pins)
        in_test = sorted((pin.version or "", pin.marker or "") for pin in test.get(name, []))
        if in_base != in_test:
            problems.append(f"{name}: base.txt pins {in_base}, test.txt {in_test or 'nothing'}")
    return problems


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# The project's own files.


def test_the_locks_agree_with_pyproject():
    assert disagreements(read(ROOT / "pyproject.toml"), read(BASE_LOCK), read(TEST_LOCK)) == []


def test_the_locks_say_how_they_are_refreshed():
    for lock in (BASE_LOCK, TEST_LOCK, TOOLS_LOCK):
        assert "#    make lock" in read(lock).splitlines()[1], f"{lock.name} was not written by `make lock`"


def test_the_tools_lock_pins_the_uv_of_tools_in_with_hashes():
    wanted = [Requirement(line) for line in read(TOOLS_IN).splitlines() if line and not line.startswith("#")]
    pins, problems = read_lock(read(TOOLS_LOCK))
    assert problems == []
    assert [canonicalize_name(r.name) for r in wanted] == ["uv"]
    assert [str(r.specifier) for r in wanted] == [f"=={pins['uv'][0].version}"]


def test_this_virtualenv_holds_exactly_the_test_lock():
    """`make test` installs requirements/test.txt first; a stale virtualenv shows here."""
    pins, _ = read_lock(read(TEST_LOCK))
    wrong = {}
    for name, entries in pins.items():
        for pin in entries:
            if pin.marker and not Requirement(f"{name}; {pin.marker}").marker.evaluate():
                continue
            try:
                installed = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                installed = None
            if installed is None or Version(installed) != Version(pin.version):
                wrong[name] = (pin.version, installed)
    assert wrong == {}, "locked vs installed; run `make install-test`"


# The checks themselves fail on a disagreement.

PYPROJECT = """
[project]
dependencies = ["Django>=5.2,<5.3", "holidays>=0.60"]
[project.optional-dependencies]
test = ["pytest>=8,<10"]
"""
H1 = "--hash=sha256:" + "a" * 64
H2 = "--hash=sha256:" + "b" * 64
BASE = f"django==5.2.19 \\\n    {H1}\n    # via cchc\nholidays==0.109 \\\n    {H1} \\\n    {H2}\n"
TEST = BASE + f"pytest==9.2.0 \\\n    {H2}\n"


def test_the_sample_locks_agree():
    assert disagreements(PYPROJECT, BASE, TEST) == []


@pytest.mark.parametrize(
    ("base", "test", "expected"),
    [
        (
            BASE.replace("holidays==0.109", "holidayz==0.109"),
            TEST,
            "holidays>=0.60 (pyproject.toml) is not pinned in base.txt",
        ),
        (
            BASE,
            TEST.replace("pytest==9.2.0", "pytest-xdist==3.0"),
            "pytest<10,>=8 (pyproject.toml) is not pinned in test.txt",
        ),
        (BASE.replace("5.2.19", "6.0"), TEST.replace("5.2.19", "6.0"), "base.txt pins django==6.0, outside"),
        (
            BASE,
            TEST.replace("5.2.19", "5.2.18"),
            "django: base.txt pins [('5.2.19', '')], test.txt [('5.2.18', '')]",
        ),
        (
            BASE.replace("holidays==0.109", "holidays>=0.60"),
            TEST,
            "base.txt: holidays is not pinned exactly (==)",
        ),
        (
            BASE.replace(f"django==5.2.19 \\\n    {H1}", "django==5.2.19"),
            TEST,
            "base.txt: django has no --hash",
        ),
        (BASE.replace(H2, H2[:-1]), TEST, "base.txt: holidays has a malformed hash"),
        ("-e .\n" + BASE, TEST, "base.txt: an option line instead of a pin"),
        ("# nothing\n", TEST, "base.txt: the lock pins nothing"),
    ],
)
def test_a_disagreement_is_reported(base, test, expected):
    problems = disagreements(PYPROJECT, base, test)
    assert any(expected in problem for problem in problems), problems


# make and the Dockerfile install from the locks, with hashes.


def make_dry_run(target: str, directory: Path, venv: Path) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", target, f"VENV={venv}"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


@pytest.mark.parametrize(("target", "lock"), [("install", "base"), ("install-test", "test")])
def test_make_installs_the_lock_with_its_hashes(target, lock, tmp_path):
    lines = make_dry_run(target, ROOT, tmp_path / "venv")
    installs = [line for line in lines if "pip install" in line]
    assert installs, lines
    assert all("--require-hashes" in line for line in installs), installs
    assert any(f"-r requirements/{lock}.txt" in line for line in installs), installs
    assert any("pip check" in line for line in lines), lines


def test_the_install_stamp_follows_the_lock_content(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(REQUIREMENTS, tmp_path / "requirements")
    venv = tmp_path / "venv"

    def stamps() -> dict[str, str]:
        found = {}
        for target in ("install", "install-test"):
            for line in make_dry_run(target, tmp_path, venv):
                if match := re.fullmatch(
                    rf"touch {re.escape(str(venv))}/\.installed-(\w+)-([0-9a-f]{{16}})", line
                ):
                    found[match.group(1)] = match.group(2)
        return found

    before = stamps()
    assert set(before) == {"base", "test"}
    with (tmp_path / "requirements" / "base.txt").open("a", encoding="utf-8") as lock:
        lock.write("# changed\n")
    after = stamps()
    assert after["base"] != before["base"]
    assert after["test"] == before["test"]


def test_make_lock_writes_both_locks_from_pyproject_with_hashes(tmp_path):
    compiles = [line for line in make_dry_run("lock", ROOT, tmp_path / "venv") if "uv pip compile" in line]
    assert all("--generate-hashes" in line for line in compiles), compiles
    assert any(re.search(r"pyproject\.toml -o requirements/base\.txt$", line) for line in compiles), compiles
    assert any(
        "pyproject.toml --extra test" in line and "-o requirements/test.txt" in line for line in compiles
    )
    assert any("requirements/tools.in -o requirements/tools.txt" in line for line in compiles), compiles


def test_the_dockerfile_installs_the_base_lock_with_its_hashes():
    instructions = re.sub(r"\\\n", " ", read(ROOT / "Dockerfile")).splitlines()
    installs = [line for line in instructions if "pip install" in line]
    assert installs
    assert all("--require-hashes" in line and "-r requirements/base.txt" in line for line in installs), (
        installs
    )
    assert any(re.match(r"COPY requirements/base\.txt ", line) for line in instructions)
