"""Rows for the top bar's search: every signed-in persona searches what it may read (tests/test_search.py
checks that another agency's rows never appear)."""

from django.urls import reverse

from tests.matrix import signed_in


def _search(request):
    request.getfixturevalue("task")  # something to find in the agency's issued plan
    return reverse("search:results") + "?q=ra+soat"


ROWS = {
    "search:results": ("get", _search, signed_in(200), "post"),
}
