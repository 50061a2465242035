"""What a refused request must leave as it found: every table of the project's apps (and the auth and
admin tables the Django admin writes) as count, largest pk and a hash of every row's values, and the
names and sizes of the private files.

One `SELECT *` per table, hashed in Python: the test database of one matrix case holds a few hundred
rows, so a digest takes milliseconds and can be taken before and after every refused request.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

# the contrib apps whose tables a request of the project may write: users' groups and permissions, the
# admin's own log
CONTRIB_WRITTEN = {"auth", "admin"}


def _is_project_app(config) -> bool:
    return (
        config.label in CONTRIB_WRITTEN
        or Path(config.path).is_relative_to(settings.BASE_DIR)
        and (".venv" not in Path(config.path).relative_to(settings.BASE_DIR).parts)
    )


@cache
def _tables() -> tuple[tuple[str, str], ...]:
    """(table, pk column) of every concrete model of those apps, the many-to-many tables included."""
    found = {}
    for config in apps.get_app_configs():
        if not _is_project_app(config):
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy:
                found[meta.db_table] = meta.pk.column
    return tuple(sorted(found.items()))


def project_tables() -> list[str]:
    return [table for table, _pk in _tables()]


def _files(root) -> list[tuple[str, int]]:
    root = Path(root)
    if not root.exists():
        return []
    return sorted(
        (str(path.relative_to(root)), path.stat().st_size) for path in root.rglob("*") if path.is_file()
    )


def digest() -> dict:
    """table → (count, largest pk, hash of the rows), and the private files under "files"."""
    quote = connection.ops.quote_name
    result = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")  # noqa: S608 (model names)
            rows = cursor.fetchall()
            pk_index = [column[0] for column in cursor.description].index(pk)
            largest = rows[-1][pk_index] if rows else None
            result[table] = (len(rows), largest, hashlib.blake2b(repr(rows).encode()).hexdigest())
    result["files"] = _files(settings.PRIVATE_STORAGE_ROOT)
    return result


def changes(before: dict, after: dict) -> dict:
    """What differs, by table (or "files"): (before, after)."""
    return {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }
