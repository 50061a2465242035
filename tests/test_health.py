"""/healthz: what a load balancer and an operator read to know the application can serve.

Anyone gets the liveness answer, which touches nothing; the state of each part goes only to a caller
on the server itself (the test client's REMOTE_ADDR is 127.0.0.1) or to one showing HEALTHZ_TOKEN.
"""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from cchc import health
from cchc.jobs import BEAT_MARK_KEY

pytestmark = pytest.mark.django_db

REMOTE = "203.0.113.7"
TOKEN = "k" * 40


@pytest.fixture(autouse=True)
def _fresh_answer():
    """Each test asks the parts itself, and leaves no answer of its own to the tests after it."""
    health.forget()
    yield
    health.forget()


@pytest.fixture
def in_process_jobs(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


@pytest.fixture
def with_workers(settings, monkeypatch):
    """A broker configured, the worker ping answered and beat's mark fresh."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_workers", lambda: None)
    monkeypatch.setattr(health, "check_beat", lambda: None)
    return settings


@pytest.fixture
def slow_worker_ping(settings, monkeypatch):
    """A worker ping that takes its whole 2 s timeout, counted."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    calls = []

    def ping():
        calls.append(1)
        time.sleep(2)
        return None

    monkeypatch.setattr(health, "check_workers", ping)
    monkeypatch.setattr(health, "check_beat", lambda: None)
    return calls


def get_health(client, path="/healthz", **extra):
    response = client.get(path, **extra)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response, response.json()


def test_it_answers_200_with_the_database_ok_and_jobs_in_process(client, in_process_jobs):
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["jobs"] == "in-process"
    assert "workers" not in body["checks"]


def test_it_answers_503_naming_the_database_when_the_database_fails(client, in_process_jobs, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: health.DATABASE_DOWN)
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "không kết nối được"


def test_a_database_error_is_told_without_its_host_and_port(client, in_process_jobs, monkeypatch):
    error = OperationalError('connection to server at "10.20.30.40", port 5432 failed: Connection refused')

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(health.connection, "cursor", refuse)
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == "không kết nối được"
    assert b"10.20.30.40" not in response.content
    assert b"5432" not in response.content


def test_it_answers_503_naming_redis_without_its_address_when_redis_is_unreachable(client, in_process_jobs):
    in_process_jobs.REDIS_URL = "redis://:secret-password@127.0.0.1:1/0"
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == "không kết nối được"
    assert b"127.0.0.1" not in response.content
    assert b":1" not in response.content
    assert b"secret-password" not in response.content


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not configured")
def test_it_reports_redis_ok_when_redis_is_configured(client, in_process_jobs):
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["checks"]["redis"] == "ok"


def test_it_answers_503_naming_the_workers_when_no_worker_answers(client, with_workers, monkeypatch):
    monkeypatch.setattr(health, "check_workers", lambda: health.NO_WORKER)
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["workers"] == "không có worker nào trả lời"
    assert body["checks"]["beat"] == "ok"
    assert "jobs" not in body["checks"]


def test_a_failing_worker_ping_is_told_without_the_broker_address(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_beat", lambda: None)

    def unreachable(timeout):
        raise OSError("Error 111 connecting to 10.20.30.40:6379. Connection refused.")

    monkeypatch.setattr(health.celery_app.control, "ping", unreachable)
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["workers"] == "không có worker nào trả lời"
    assert b"10.20.30.40" not in response.content
    assert b"6379" not in response.content


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (None, "không thấy nhịp của beat trong 5 phút qua"),
        (datetime.timedelta(minutes=6), "không thấy nhịp của beat trong 5 phút qua"),
        (datetime.timedelta(seconds=40), "ok"),
    ],
    ids=["never", "six-minutes-ago", "forty-seconds-ago"],
)
def test_it_tells_whether_beat_left_its_heartbeat_lately(client, settings, monkeypatch, mark, expected):
    from django.core.cache import cache

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_workers", lambda: None)
    if mark is not None:
        cache.set(BEAT_MARK_KEY, (timezone.now() - mark).isoformat())
    response, body = get_health(client)
    assert body["checks"]["beat"] == expected
    assert response.status_code == (200 if expected == "ok" else 503)


def test_a_remote_caller_gets_only_the_liveness_answer_at_once(
    client, slow_worker_ping, django_assert_num_queries
):
    started = time.monotonic()
    with django_assert_num_queries(0):
        response, body = get_health(client, REMOTE_ADDR=REMOTE)
    assert time.monotonic() - started < 0.5
    assert response.status_code == 200
    assert body == {"status": "ok"}
    assert slow_worker_ping == []


def test_a_caller_on_the_server_through_a_proxy_is_a_remote_caller(client, slow_worker_ping):
    for header in ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED", "HTTP_X_FORWARDED_PROTO"):
        response, body = get_health(client, **{header: "198.51.100.3"})
        assert body == {"status": "ok"}, header
    assert slow_worker_ping == []


def test_an_address_the_caller_writes_itself_does_not_make_it_local(client, slow_worker_ping):
    response, body = get_health(client, REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert body == {"status": "ok"}
    assert slow_worker_ping == []


def test_a_caller_on_the_server_over_ipv6_gets_the_details(client, with_workers):
    response, body = get_health(client, REMOTE_ADDR="::1")
    assert response.status_code == 200
    assert body["checks"]["workers"] == "ok"


def test_the_token_opens_the_details_to_a_remote_caller(client, settings, with_workers):
    settings.HEALTHZ_TOKEN = TOKEN
    response, body = get_health(client, REMOTE_ADDR=REMOTE, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert body["checks"] == {"database": "ok", "workers": "ok", "beat": "ok"} | (
        {"redis": "ok"} if settings.REDIS_URL else {}
    )
    response, body = get_health(client, f"/healthz?token={TOKEN}", REMOTE_ADDR=REMOTE)
    assert body["checks"]["workers"] == "ok"


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_AUTHORIZATION": "Bearer wrong-token-of-the-same-kind-000000000"},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {},
    ],
    ids=["wrong", "not-bearer", "empty", "none"],
)
def test_without_the_right_token_a_remote_caller_gets_no_details(client, settings, slow_worker_ping, extra):
    settings.HEALTHZ_TOKEN = TOKEN
    response, body = get_health(client, "/healthz?token=also-wrong", REMOTE_ADDR=REMOTE, **extra)
    assert body == {"status": "ok"}
    assert slow_worker_ping == []


def test_an_empty_token_opens_nothing_when_none_is_configured(client, settings, slow_worker_ping):
    settings.HEALTHZ_TOKEN = ""
    response, body = get_health(client, "/healthz?token=", REMOTE_ADDR=REMOTE, HTTP_AUTHORIZATION="Bearer ")
    assert body == {"status": "ok"}
    assert slow_worker_ping == []


def test_the_detailed_answer_is_kept_a_few_seconds(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_beat", lambda: None)
    pings = []
    monkeypatch.setattr(health, "check_workers", lambda: pings.append(1))
    for _ in range(3):
        response, body = get_health(client)
        assert body["checks"]["workers"] == "ok"
    assert pings == [1]
    monkeypatch.setattr(health, "CACHE_SECONDS", 0)  # the few seconds have passed
    get_health(client)
    assert pings == [1, 1]


def test_callers_arriving_together_wait_for_one_detailed_answer(settings, slow_worker_ping, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: None)  # no connection left open by a thread
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(health.cached_report())) for _ in range(30)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert time.monotonic() - started < 4
    assert slow_worker_ping == [1]
    assert len(answers) == 30


def test_it_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
