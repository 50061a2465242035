"""The permission matrix: every URL × every persona (pretix test_permissions.py style).

anonymous → 302 to the login page; another agency → 404; a missing right → 403; a wrong method → 405.
A test below fails when a URL of the project is missing from the matrix.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for

PERSONAS = ["anonymous", "staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]
LOGIN = "login"
AGENCY_USERS = ["staff", "dept_head", "leader", "clerk", "admin"]


def expect(default, **overrides):
    table = dict.fromkeys(PERSONAS, default)
    table.update(overrides)
    return table


def signed_in(status, anonymous=LOGIN, **overrides):
    return expect(status, anonymous=anonymous, **overrides)


CLERK_ONLY_ON_OWN_PLAN = signed_in(403, clerk=None, outsider=404)

# name: (method, url args from the fixtures, expected per persona, wrong method).
# None as expected status means "the success status given in SUCCESS".
MATRIX = {
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
    "plans:issue": ("post", "draft_plan", signed_in(403, clerk=302, outsider=404), "get"),
    "plans:close": ("post", "plan", signed_in(403, clerk=302, outsider=404), "get"),
    "admin:index": ("get", None, expect(302, admin=200), None),
}

# The Django admin has its own permission system (is_staff and model permissions): its index stands
# for it in the matrix, and every other admin URL is checked by Django's admin itself.
EXCLUDED_NAMESPACES = {"admin"}


def all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            child_namespace = pattern.namespace or ""
            prefix = f"{namespace}{child_namespace}:" if child_namespace else namespace
            names |= all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    names = {name for name in all_url_names() if name.split(":")[0] not in EXCLUDED_NAMESPACES}
    missing = names - set(MATRIX)
    assert not missing, f"URLs missing from the permission matrix: {sorted(missing)}"
    assert set(MATRIX) - names <= {"admin:index"}


def build_url(request, name, object_fixture):
    if object_fixture is None:
        return reverse(name)
    return reverse(name, args=[request.getfixturevalue(object_fixture).pk])


CASES = [(name, persona) for name in MATRIX for persona in PERSONAS]


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{name}-{persona}" for name, persona in CASES])
def test_permission_matrix(request, settings, personas, name, persona):
    method, object_fixture, expected, _ = MATRIX[name]
    if name == "healthz":
        settings.CELERY_TASK_ALWAYS_EAGER = (
            True  # no worker runs beside this test; test_health covers workers
        )
    url = build_url(request, name, object_fixture)
    response = getattr(client_for(personas[persona]), method)(url)
    if expected[persona] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected[persona], f"{persona} {method.upper()} {url}"


WRONG_METHOD_CASES = [name for name, row in MATRIX.items() if row[3]]


@pytest.mark.parametrize("name", WRONG_METHOD_CASES)
def test_a_wrong_method_is_405(request, personas, name):
    _, object_fixture, expected, wrong_method = MATRIX[name]
    allowed = next((p for p in ["anonymous", "clerk"] if expected[p] not in (LOGIN, 403, 404)), "clerk")
    url = build_url(request, name, object_fixture)
    response = getattr(client_for(personas[allowed]), wrong_method)(url)
    assert response.status_code == 405
