"""The permission matrix, one module of rows per feature; tests/test_permissions.py runs them all.

A row: url name → (method, what the URL's pk comes from, expected status per persona, a wrong method).
The pk comes from a fixture named by a string, or from a callable taking pytest's `request`.

Beside its ROWS a module may hold:
- BODIES: url name → the body of the row's POST (a dict, or a callable of the request returning one),
  a valid one where a refusal must be seen to refuse a write that would otherwise happen;
- FORMS: url name → Form(expected, body) for the POST of a page whose row asks with GET;
- STATES: url name → [State(label, pk source, expected, form)]: the same URL on objects in other states
  (a draft and an issued plan, an open, pending and completed task, a draft and an issued report).
- WRONG_METHOD: url name → expected per persona for the other method of GET and POST where it differs
  from the rule: every other method of a URL is the wrong one, 405 (the login page for anonymous
  visitors where the login comes first).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

PERSONAS = [
    "anonymous",
    "staff",
    "dept_head",
    "other_head",
    "coordinator",
    "leader",
    "clerk",
    "admin",
    "overseer",
    "outsider",
]
LOGIN = "login"
ADMIN_LOGIN = "admin_login"  # 302 to the Django admin's own login page
# A refusal that may take the form of a redirect back with a message (a rule of the service layer) or a
# 403 (a rule of the access helpers): what counts is that nothing is written.
REFUSED = "refused"


def expect(default, **overrides):
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas: {sorted(unknown)}")
    table = dict.fromkeys(PERSONAS, default)
    table.update(overrides)
    return table


def signed_in(status, anonymous=LOGIN, **overrides):
    """`status` for every signed-in persona, the login redirect for anonymous visitors."""
    return expect(status, anonymous=anonymous, **overrides)


Body = dict | Callable | None


@dataclass(frozen=True)
class Form:
    """The POST of a page shown with GET: who gets what, with which body."""

    expected: dict
    body: Body = field(default_factory=dict)


@dataclass(frozen=True)
class State:
    """The URL on an object in another state: the row's method gets `expected`; `form`, when the URL is
    a page with a form, is its POST in that state."""

    label: str
    source: object
    expected: dict
    form: Form | None = None
    body: Body = None
