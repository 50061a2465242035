"""The one text expression search filters with, the same on PostgreSQL and SQLite.

`cchc_unaccent(text)` is lower case without diacritics ("Đăng ký" → "dang ky"). On PostgreSQL it is
an IMMUTABLE SQL function over the unaccent extension, created by the migration
search/0001_trigram_indexes together with GIN trigram indexes on cchc_unaccent(plan title) and
cchc_unaccent(legal document number, summary, issuer): a filter written with `Unaccent(...)` (the same
expression) lets the planner use them. On SQLite (development, `make run`) the same-named function
is registered on every new connection, in Python. Task rows need no function: Task.search_text is
already folded when a task is saved (tasks.services.search_text) and is indexed as it is.
"""

import unicodedata

from django.db.models import Func, TextField

FUNCTION = "cchc_unaccent"


class Unaccent(Func):
    function = FUNCTION
    arity = 1
    output_field = TextField()


def unaccent_lower(text: str | None) -> str | None:
    """What cchc_unaccent gives on PostgreSQL, character for character: đ becomes d, marks go, lower case."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn").lower()


def register_sqlite_unaccent(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, unaccent_lower, deterministic=True)
