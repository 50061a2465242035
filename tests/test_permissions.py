"""The permission matrix: every URL × every persona × GET and POST (pretix test_permissions.py style).

anonymous → 302 to the login page; another agency → 404; a missing right → 403; a wrong method → 405;
and a refused request writes nothing (tests.matrix.digest: every table and the private files, before and
after). State-dependent URLs are asked on objects in several states (tests.matrix.State).
A test below fails when a URL of the project is missing from the matrix.
"""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for
from tests.matrix import (
    ADMIN_LOGIN,
    LOGIN,
    PERSONAS,
    REFUSED,
    administration,
    audit,
    core,
    dashboard,
    evaluations,
    notifications,
    printing,
    ratings,
    reports,
    search,
    tasks_detail,
    tasks_import,
    tasks_lists,
)
from tests.matrix.digest import changes, digest, project_tables

MODULES = [
    core,
    tasks_detail,
    tasks_lists,
    tasks_import,
    dashboard,
    reports,
    printing,
    notifications,
    audit,
    evaluations,
    ratings,
    search,
    administration,
]


def _gather(attribute: str) -> dict:
    gathered = {}
    for module in MODULES:
        rows = getattr(module, attribute, {})
        assert not set(rows) & set(gathered), f"{module.__name__}: {attribute} named twice"
        gathered.update(rows)
    return gathered


# name: (method, fixture whose pk the URL takes (or a callable of the request), expected status per
# persona (LOGIN: 302 to the login page), a method the URL refuses with 405).
MATRIX = _gather("ROWS")
BODIES = _gather("BODIES")
FORMS = _gather("FORMS")
STATES = _gather("STATES")
WRONG_METHOD = _gather("WRONG_METHOD")

# The Django admin: its own URLs, many per model; the rows name its index and a few of its pages.
ADMIN_NAMESPACE = "admin"


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
    everything = all_url_names()
    names = {name for name in everything if name.split(":")[0] != ADMIN_NAMESPACE}
    missing = names - set(MATRIX)
    assert not missing, f"URLs missing from the permission matrix: {sorted(missing)}"
    assert set(MATRIX) <= everything, sorted(set(MATRIX) - everything)
    admin_rows = {name for name in MATRIX if name.startswith(f"{ADMIN_NAMESPACE}:")}
    assert "admin:index" in admin_rows
    assert any(name.endswith("_changelist") for name in admin_rows)
    assert any(name.endswith("_change") for name in admin_rows)


def test_every_page_with_a_form_has_its_post_in_the_matrix():
    """A GET row whose POST is not the wrong method is a form page: its POST has a row of its own."""
    for name, (method, _source, _expected, wrong) in MATRIX.items():
        if method == "get":
            assert (name in FORMS) == (wrong != "post"), name
        else:
            assert name not in FORMS, name
    for extra in (FORMS, BODIES, STATES, WRONG_METHOD):
        assert set(extra) <= set(MATRIX), sorted(set(extra) - set(MATRIX))


# The URLs whose answer depends on the state of their object: each is asked in at least two.
STATE_DEPENDENT = {
    "plans:detail",
    "plans:update",
    "plans:issue",
    "plans:close",
    "plans:seal",
    "tasks:progress",
    "tasks:update",
    "tasks:progress_approve",
    "tasks:progress_return",
    "reports:update",
    "reports:refresh",
    "reports:issue",
    "evaluations:score_self",
    "evaluations:score_appraise",
    "evaluations:submit",
    "evaluations:return",
}


def test_state_dependent_urls_are_asked_in_several_states():
    for name in STATE_DEPENDENT:
        assert STATES.get(name), f"{name}: one state only"


def test_the_digest_sees_every_table_of_the_project(db):
    tables = project_tables()
    for table in ("tasks_task", "tasks_task_coordinating_departments", "plans_plan", "accounts_user"):
        assert table in tables
    assert "django_session" not in tables  # signing in writes a session; that is no change of the data


def test_the_digest_notices_a_changed_value(task):
    from tasks.models import Task

    before = digest()
    Task.objects.filter(pk=task.pk).update(content="Nội dung khác")
    assert set(changes(before, digest())) == {"tasks_task"}


def test_the_digest_notices_a_new_file(db, private_storage):
    before = digest()
    private_storage.mkdir(parents=True, exist_ok=True)
    (private_storage / "minh-chung.pdf").write_bytes(b"%PDF-1.4")
    assert set(changes(before, digest())) == {"files"}


def build_url(request, name, object_fixture):
    if object_fixture is None:
        return reverse(name)
    if callable(object_fixture):
        return object_fixture(request)
    return reverse(name, args=[request.getfixturevalue(object_fixture).pk])


@dataclass(frozen=True)
class Variant:
    """One URL in one state asked with one method."""

    name: str
    state: str
    method: str
    source: object
    expected: dict
    body: object = None

    @property
    def id(self) -> str:
        state = f"[{self.state}]" if self.state else ""
        return f"{self.name}{state}-{self.method.upper()}"


def wrong_method(expected: dict) -> dict:
    """The answer to the method a URL refuses: the login page first where the page asks for it, 405."""
    return {
        persona: status if status in (LOGIN, ADMIN_LOGIN) else 405 for persona, status in expected.items()
    }


def _other(method: str) -> str:
    return "post" if method == "get" else "get"


def variants():
    for name, (method, source, expected, wrong) in MATRIX.items():
        yield Variant(name, "", method, source, expected, BODIES.get(name))
        if name in FORMS:
            yield Variant(name, "", "post", source, FORMS[name].expected, FORMS[name].body)
        elif wrong == _other(method):
            yield Variant(name, "", wrong, source, WRONG_METHOD.get(name) or wrong_method(expected))
        for state in STATES.get(name, ()):
            yield Variant(
                name, state.label, method, state.source, state.expected, state.body or BODIES.get(name)
            )
            if state.form is not None:
                yield Variant(name, state.label, "post", state.source, state.form.expected, state.form.body)


VARIANTS = list(variants())


@pytest.fixture
def matrix_personas(personas, other_head, coordinator):
    return {**personas, "other_head": other_head, "coordinator": coordinator}


def _body(request, body, url) -> dict:
    """The body of a POST: a callable of the request and the URL, or a dict whose values may be callables
    of the request (a pk known once the fixtures exist)."""
    if callable(body):
        return body(request, url)
    return {name: value(request) if callable(value) else value for name, value in (body or {}).items()}


def prepare(request, variant: Variant):
    """The URL and the body of the request: built once, before anyone asks, since building them may create
    the objects of a state (fixtures) or read a form as the person it is for (which signs them in)."""
    url = build_url(request, variant.name, variant.source)
    body = _body(request, variant.body, url) if variant.method == "post" else None
    return url, body


def send(client, variant: Variant, url: str, body):
    if variant.method == "get":
        return client.get(url)
    for value in body.values():
        if hasattr(value, "seek"):
            value.seek(0)  # an uploaded file, read to its end by the persona before
    return client.post(url, body)


REFUSALS = (LOGIN, ADMIN_LOGIN, REFUSED, 400, 403, 404, 405)


def _mismatch(response, expected) -> bool:
    if expected in (LOGIN, ADMIN_LOGIN):
        login = reverse("login" if expected == LOGIN else "admin:login")
        return response.status_code != 302 or not response["Location"].startswith(login)
    if expected == REFUSED:
        return response.status_code not in (302, 400, 403)
    return response.status_code != expected


@pytest.mark.parametrize("variant", VARIANTS, ids=[variant.id for variant in VARIANTS])
def test_permission_matrix(request, settings, matrix_personas, variant):
    """Each persona asks in a savepoint rolled back afterwards, so every persona finds the objects as the
    fixtures made them, whatever an allowed request before it wrote; a refused request is compared with
    the digest of that state (taken again after an allowed request, whose files outlive the rollback)."""
    if variant.name == "healthz":
        # no worker runs beside this test; test_health covers workers
        settings.CELERY_TASK_ALWAYS_EAGER = True
    url, body = prepare(request, variant)
    clients = {persona: client_for(matrix_personas[persona]) for persona in PERSONAS}  # signing in writes
    failures = []
    before = None
    for persona in PERSONAS:
        expected = variant.expected[persona]
        cache.clear()
        with transaction.atomic():
            if expected in REFUSALS and before is None:
                before = digest()
            response = send(clients[persona], variant, url, body)
            where = f"{persona} {variant.method.upper()} {url}"
            if _mismatch(response, expected):
                location = response.get("Location", "")
                failures.append(f"{where}: {response.status_code} {location}, expected {expected}")
            if expected in REFUSALS:
                if changed := changes(before, digest()):
                    failures.append(
                        f"{where} was refused ({response.status_code}) but wrote: {sorted(changed)}"
                    )
            else:
                before = None
            if response.streaming:
                # a file download holds its file open until read to its end, which closes it the way the
                # test client closes a response (response.close() itself would close the connection too)
                b"".join(response.streaming_content)
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)


WRONG_METHOD_CASES = [name for name, row in MATRIX.items() if row[3]]


@pytest.mark.parametrize("name", WRONG_METHOD_CASES)
def test_a_wrong_method_is_405(request, matrix_personas, name):
    """The other methods (PUT, DELETE) too, asked by someone the URL lets in."""
    _, object_fixture, expected, wrong_method_name = MATRIX[name]
    allowed = next((p for p in PERSONAS if expected[p] not in REFUSALS), "clerk")
    url = build_url(request, name, object_fixture)
    response = getattr(client_for(matrix_personas[allowed]), wrong_method_name)(url)
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
def test_the_menu_offers_a_page_exactly_when_it_opens(matrix_personas, persona):
    client = client_for(matrix_personas[persona])
    menu = menu_of(client)
    for label, name in MENU.items():
        opens = client.get(reverse(name)).status_code == 200
        assert (f'href="{reverse(name)}"' in menu) == opens, f"{persona}: {label}"
    starts_at_work = client.get(reverse("home"))["Location"] == reverse("tasks:mine")
    assert (f'href="{reverse("tasks:mine")}"' in menu) == starts_at_work, persona


@pytest.mark.parametrize("persona", [persona for persona in SIGNED_IN if persona != "outsider"])
def test_a_plan_links_its_dashboard_and_its_new_plan_button_exactly_when_they_open(
    matrix_personas, persona, plan
):
    client = client_for(matrix_personas[persona])
    dashboard = reverse("dashboards:plan", args=[plan.pk])
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert (f'href="{dashboard}"' in detail) == (client.get(dashboard).status_code == 200), persona
    listing = client.get(reverse("plans:list"), {"agency": plan.agency_id}).content.decode()
    create = reverse("plans:create")
    assert (f'href="{create}"' in listing) == (client.get(create).status_code == 200), persona
