"""HEAD is answered wherever GET is (RFC 9110 §9.3.2): monitors, link checkers and `curl -I` ask with
HEAD, and a page that opens with GET must give them the same status, the same headers and no body."""

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.matrix import LOGIN
from tests.test_permissions import MATRIX, build_url

SIGNED_IN_ORDER = ["staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]


def persona_let_in(expected):
    """The first signed-in persona the page opens for, else the first that is not refused (a redirect)."""
    for wanted in (lambda status: status == 200, lambda status: status not in (LOGIN, 403, 404)):
        for persona in SIGNED_IN_ORDER:
            if wanted(expected[persona]):
                return persona
    return None


GET_CASES = sorted(
    (name, persona)
    for name, (method, _, expected, _) in MATRIX.items()
    if method == "get" and (persona := persona_let_in(expected))
)


def test_the_walk_covers_the_pages():
    # the parametrized walk below must not shrink to nothing if the matrix changes shape
    names = {name for name, _ in GET_CASES}
    assert {"home", "tasks:mine", "plans:list", "plans:detail"} <= names
    assert len(GET_CASES) > 40


@pytest.mark.parametrize(("name", "persona"), GET_CASES, ids=[name for name, _ in GET_CASES])
def test_head_answers_like_get_without_a_body(request, settings, personas, name, persona):
    if name == "healthz":
        settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker runs beside this test
    url = build_url(request, name, MATRIX[name][1])
    client = client_for(personas[persona])
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code, f"{persona} HEAD {url}"
    assert head.get("Content-Type") == got.get("Content-Type")
    if got.status_code in (301, 302):
        assert head["Location"] == got["Location"]
    body = b"".join(head.streaming_content) if head.streaming else head.content
    assert body == b""
    got.close()  # a file download holds its file open until closed


def test_head_on_the_front_door_redirects_to_the_login_page(client):
    response = client.head("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_post_only_url_still_refuses_head(personas, plan):
    response = client_for(personas["clerk"]).head(reverse("plans:close", args=[plan.pk]))
    assert response.status_code == 405
