"""/healthz: what a load balancer and an operator read to know the application can serve."""

import pytest
from django.conf import settings

from cchc import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_process_jobs(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings


def get_health(client):
    response = client.get("/healthz")
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
    monkeypatch.setattr(health, "check_database", lambda: "could not connect to server")
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["checks"]["database"] == "could not connect to server"


def test_it_answers_503_naming_redis_when_redis_is_unreachable(client, in_process_jobs):
    in_process_jobs.REDIS_URL = "redis://127.0.0.1:1/0"
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1:1" in body["checks"]["redis"]


@pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not configured")
def test_it_reports_redis_ok_when_redis_is_configured(client, in_process_jobs):
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["checks"]["redis"] == "ok"


def test_it_answers_503_naming_the_workers_when_no_worker_answers(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(health, "check_workers", lambda: "no Celery worker answered")
    response, body = get_health(client)
    assert response.status_code == 503
    assert body["checks"]["workers"] == "no Celery worker answered"
    assert "jobs" not in body["checks"]


def test_it_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405
