"""The permission matrix, one module of rows per feature; tests/test_permissions.py runs them all.

A row: url name → (method, what the URL's pk comes from, expected status per persona, a wrong method).
The pk comes from a fixture named by a string, or from a callable taking pytest's `request`.
"""

PERSONAS = ["anonymous", "staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]
LOGIN = "login"


def expect(default, **overrides):
    table = dict.fromkeys(PERSONAS, default)
    table.update(overrides)
    return table


def signed_in(status, anonymous=LOGIN, **overrides):
    """`status` for every signed-in persona, the login redirect for anonymous visitors."""
    return expect(status, anonymous=anonymous, **overrides)
