"""Rows for the foundation: accounts, health, plans, the admin index."""

from tests.matrix import expect, signed_in

ROWS = {
    "home": ("get", None, signed_in(302), "post"),
    "healthz": ("get", None, expect(200), "post"),
    "login": ("get", None, expect(302, anonymous=200), "put"),
    "logout": ("post", None, expect(302), "get"),
    "password_change": ("get", None, signed_in(200), "put"),
    "password_change_done": ("get", None, signed_in(200), "post"),
    "profile": ("get", None, signed_in(200), "post"),
    "plans:list": ("get", None, signed_in(200), "post"),
    "plans:create": ("get", None, signed_in(403, clerk=200, outsider=200), "put"),
    "plans:detail": ("get", "plan", signed_in(200, outsider=404), "post"),
    "plans:update": ("get", "plan", signed_in(403, clerk=200, outsider=404), "delete"),
    # a draft stays inside its agency: the overseer of the province does not reach it either
    "plans:issue": ("post", "draft_plan", signed_in(403, clerk=302, outsider=404, overseer=404), "get"),
    "plans:close": ("post", "plan", signed_in(403, clerk=302, outsider=404), "get"),
    "plans:seal": ("post", "plan", signed_in(403, clerk=302, outsider=404), "get"),
    "admin:index": ("get", None, expect(302, admin=200), None),
}
