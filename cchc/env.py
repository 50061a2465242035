"""Strict readers for the environment variables that drive the settings."""

import hashlib
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"true", "1"}
FALSE_WORDS = {"false", "0"}


def read(name: str, default: str | None = None) -> str | None:
    """Return NAME, or the contents of the file named by NAME_FILE (for secrets), or default."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as secret_file:
                return secret_file.read().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {error}") from error
    return default if value is None or value == "" else value


def read_bool(name: str, default: bool) -> bool:
    value = read(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use true, false, 1 or 0.")


def read_int(name: str, default: int) -> int:
    value = read(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from error


def read_list(name: str, default: list[str]) -> list[str]:
    value = read(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Phụ lục I of Nghị định 30/2020: the page margins an administrative document may have, in mm.
MARGIN_RANGES = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}


def read_margins(name: str, default: str) -> dict[str, float]:
    """Four numbers in mm, "top,bottom,left,right", each within the range the decree allows."""
    text = read(name, default)
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    if len(values) != len(MARGIN_RANGES):
        raise ImproperlyConfigured(
            f"{name} must be four numbers in mm, top,bottom,left,right (got {text!r})."
        )
    margins = dict(zip(MARGIN_RANGES, values, strict=True))
    for side, (low, high) in MARGIN_RANGES.items():
        if not low <= margins[side] <= high:
            raise ImproperlyConfigured(
                f"{name}: the {side} margin must be {low}–{high} mm (Nghị định 30/2020, Phụ lục I); "
                f"got {margins[side]:g}."
            )
    return margins


def templates_digest(folder: Path) -> str:
    """A short digest of every file under `folder` (names and contents): it changes with any template."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
