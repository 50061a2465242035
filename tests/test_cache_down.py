"""The cache is an optimisation: with Redis down every page is computed and shown, the outage is logged
once, and /healthz says Redis is down."""

import logging
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc import cache as resilient
from cchc import health
from tests.conftest import PASSWORD, client_for, make_task

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings, caplog):
    """The cache and /healthz's Redis check pointing at a port where nothing listens."""
    caplog.set_level(logging.INFO)
    resilient._outages.clear()
    health.forget()
    settings.REDIS_URL = CLOSED_PORT
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CACHES = {
        "default": {"BACKEND": "cchc.cache.ResilientRedisCache", "LOCATION": CLOSED_PORT, "KEY_PREFIX": "t"}
    }
    yield
    resilient._outages.clear()
    health.forget()


def outage_lines(caplog):
    """What cchc.cache logged, in the fixtures (which already meet the outage) and in the test."""
    records = caplog.get_records("setup") + caplog.get_records("call")
    return [record for record in records if record.name == "cchc.cache"]


def test_the_settings_use_the_resilient_cache_when_redis_is_configured(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'cchc.settings'\n"
        "from django.conf import settings\n"
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default']['LOCATION'])\n"
    )
    env = {"CCHC_VAR_DIR": str(tmp_path), "REDIS_URL": CLOSED_PORT, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["cchc.cache.ResilientRedisCache", CLOSED_PORT]


def test_every_page_renders_with_redis_down_and_the_outage_is_logged_once(
    redis_down, caplog, plan, task, staff, dept_head, leader
):
    second = make_task(plan, task.lead_department, number="2")
    pages = [
        (staff, reverse("tasks:detail", args=[task.pk]), task.content),
        (staff, reverse("tasks:plan_tasks", args=[plan.pk]), second.content),
        (staff, reverse("tasks:mine"), "Việc của tôi"),
        (dept_head, reverse("tasks:department"), task.lead_department.name),
        (leader, reverse("dashboards:plan", args=[plan.pk]), plan.title),
        (leader, reverse("tasks:plan_tasks", args=[plan.pk]), task.content),
    ]
    for user, url, shown in pages * 2:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert shown in response.content.decode(), url
    lines = outage_lines(caplog)
    assert len(lines) == 1, [line.getMessage() for line in lines]
    assert lines[0].levelno == logging.ERROR
    assert "unreachable" in lines[0].getMessage()


def test_signing_in_and_reporting_progress_still_work_with_redis_down(redis_down, client, task, staff):
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        reverse("tasks:progress", args=[task.pk]),
        {"percent": 40, "narrative": "Đã rà soát 12 thủ tục", "delay_cause": "Chờ ý kiến của Sở Tư pháp"},
    )
    assert response.status_code == 302, response.content.decode()
    task.refresh_from_db()
    assert task.progress_updates.filter(narrative="Đã rà soát 12 thủ tục").exists()


def test_healthz_says_redis_is_down(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "không kết nối được"


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(redis_down):
    assert cache.get("a", "default") == "default"
    cache.set("a", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is True  # nobody to share the claim with: the caller's stands
    assert cache.get_or_set("c", 3) == 3
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    with pytest.raises(ValueError, match="not found"):
        cache.incr("a")


def test_keys_deleted_while_redis_was_down_are_deleted_once_it_answers(settings, monkeypatch, caplog):
    """A key dropped during the outage (a renamed department's cached list) is not read back after."""
    from django.conf import settings as live

    if not live.REDIS_URL:
        pytest.skip("REDIS_URL is not configured")
    resilient._outages.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "cchc.cache.ResilientRedisCache",
            "LOCATION": live.REDIS_URL,
            "KEY_PREFIX": "rt",
        }
    }
    caplog.set_level(logging.INFO)
    cache.set("departments", "old names")
    client = cache._cache
    real_delete = client.delete

    def unreachable(*args, **kwargs):
        raise resilient.RedisConnectionError("Error 111 connecting. Connection refused.")

    monkeypatch.setattr(client, "delete", unreachable)
    assert cache.delete("departments") is False
    monkeypatch.setattr(client, "delete", real_delete)
    monkeypatch.setattr(resilient, "RETRY_SECONDS", 0)
    resilient.outage_of(cache._servers).retry_at = 0
    assert cache.get("departments") is None  # the first answer after the outage: the key is gone
    messages = [record.getMessage() for record in outage_lines(caplog)]
    assert len(messages) == 2
    assert "answers again" in messages[1]
    resilient._outages.clear()
