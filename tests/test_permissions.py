"""The permission matrix: every URL × every persona (pretix test_permissions.py style).

anonymous → 302 to the login page; another agency → 404; a missing right → 403; a wrong method → 405.
A test below fails when a URL of the project is missing from the matrix.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.matrix import LOGIN, PERSONAS
from tests.matrix.administration import ROWS as ADMINISTRATION
from tests.matrix.audit import ROWS as AUDIT
from tests.matrix.core import ROWS as CORE
from tests.matrix.dashboard import ROWS as DASHBOARD
from tests.matrix.evaluations import ROWS as EVALUATIONS
from tests.matrix.notifications import ROWS as NOTIFICATIONS
from tests.matrix.printing import ROWS as PRINTING
from tests.matrix.ratings import ROWS as RATINGS
from tests.matrix.reports import ROWS as REPORTS
from tests.matrix.search import ROWS as SEARCH
from tests.matrix.tasks_detail import ROWS as TASK_DETAIL
from tests.matrix.tasks_import import ROWS as TASK_IMPORT
from tests.matrix.tasks_lists import ROWS as TASK_LISTS

# name: (method, fixture whose pk the URL takes (or a callable of the request), expected status per
# persona (LOGIN: 302 to the login page), a method the URL refuses with 405).
MATRIX = {
    **CORE,
    **TASK_DETAIL,
    **TASK_LISTS,
    **TASK_IMPORT,
    **DASHBOARD,
    **REPORTS,
    **PRINTING,
    **NOTIFICATIONS,
    **AUDIT,
    **EVALUATIONS,
    **RATINGS,
    **SEARCH,
    **ADMINISTRATION,
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
    if callable(object_fixture):
        return object_fixture(request)
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


# The pages offer a link exactly when the page it opens lets the user in: templates and views ask the
# same predicates (accounts.context_processors, the apps' template filters).

SIGNED_IN = [persona for persona in PERSONAS if persona != "anonymous"]
MENU = {
    "Phòng của tôi": "tasks:department",
    "Tổng quan tỉnh": "dashboards:province",
    "Quản trị": "admin:index",
    "Quản lý": "administration:users",
}


def menu_of(client) -> str:
    page = client.get(reverse("profile")).content.decode()
    return page[page.index('id="menu-chinh"') : page.index("</nav>")]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_the_menu_offers_a_page_exactly_when_it_opens(personas, persona):
    client = client_for(personas[persona])
    menu = menu_of(client)
    for label, name in MENU.items():
        opens = client.get(reverse(name)).status_code == 200
        assert (f'href="{reverse(name)}"' in menu) == opens, f"{persona}: {label}"
    starts_at_work = client.get(reverse("home"))["Location"] == reverse("tasks:mine")
    assert (f'href="{reverse("tasks:mine")}"' in menu) == starts_at_work, persona


@pytest.mark.parametrize("persona", [persona for persona in SIGNED_IN if persona != "outsider"])
def test_a_plan_links_its_dashboard_and_its_new_plan_button_exactly_when_they_open(personas, persona, plan):
    client = client_for(personas[persona])
    dashboard = reverse("dashboards:plan", args=[plan.pk])
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert (f'href="{dashboard}"' in detail) == (client.get(dashboard).status_code == 200), persona
    listing = client.get(reverse("plans:list"), {"agency": plan.agency_id}).content.decode()
    create = reverse("plans:create")
    assert (f'href="{create}"' in listing) == (client.get(create).status_code == 200), persona
