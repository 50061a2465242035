"""Background jobs through the real broker and a real Celery worker process.

Runs only where a broker is configured (CELERY_BROKER_URL, as in CI); `make test` there includes it.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from cchc.celery import app as celery_app
from cchc.jobs import BEAT_MARK_KEY

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set"),
]


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    """A Celery worker subprocess with the test's environment; always terminated afterwards."""
    name = f"pytest-{uuid.uuid4().hex[:8]}@localhost"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "cchc", "worker", "--pool=solo", "--concurrency=1"]
    command += ["-Q", "celery", "--loglevel=INFO", f"--hostname={name}", "--without-mingle"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while not celery_app.control.ping(destination=[name], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start:\n{log_path.read_text(errors='replace')}")
        yield name
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_in_worker(task_name: str, *args):
    # send_task always goes through the broker, even where a test configuration runs jobs eagerly.
    return celery_app.send_task(task_name, args=args).get(timeout=30)


def test_a_job_round_trips_through_the_worker(worker):
    value = f"ping-{uuid.uuid4().hex}"
    assert run_in_worker("cchc.jobs.echo", value) == value


def test_the_worker_answers_the_health_check_ping(worker):
    replies = celery_app.control.ping(destination=[worker], timeout=2)
    assert replies == [{worker: {"ok": "pong"}}]


@pytest.mark.skipif(not settings.REDIS_URL, reason="the worker shares the cache only through Redis")
def test_the_beat_heartbeat_leaves_the_mark_that_health_reads(worker):
    cache.delete(BEAT_MARK_KEY)
    stamp = run_in_worker("cchc.jobs.beat_heartbeat")
    assert cache.get(BEAT_MARK_KEY) == stamp
