"""One beat per deployment (cchc.beat): the scheduler holding the lock in the real Redis sends the schedule,
a second one sends nothing until the first stops or its lock expires.

Runs where Redis is configured (REDIS_URL, as in CI); the two-process test needs the broker too."""

import datetime
import os
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from cchc import beat
from cchc.celery import app as celery_app
from notifications.models import Notification
from tests.conftest import make_task
from tests.test_mailing import at

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set"),
]


@pytest.fixture
def lock_key(monkeypatch):
    """A lock key of this test's own, so that nothing else (a beat of the developer's) shares it."""
    key = f"test:beat:lock:{uuid.uuid4().hex}"
    monkeypatch.setattr(beat, "LOCK_KEY", key)
    yield key
    beat.BeatLock(settings.REDIS_URL).client.delete(key)


def test_a_second_lock_is_refused_while_the_first_holds_it(lock_key):
    first = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    second = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    assert first.hold() is True
    assert second.hold() is False
    assert second.holder() == first.token
    assert first.hold() is True  # renewed, still the holder's
    assert second.hold() is False


def test_the_waiting_one_takes_the_lock_once_the_first_releases_it(lock_key):
    first = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    second = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    assert first.hold() is True
    second.release()  # not the holder: the first keeps it
    assert second.hold() is False
    first.release()
    assert second.hold() is True
    assert first.hold() is False


def test_the_lock_of_a_holder_that_died_expires(lock_key):
    dead = beat.BeatLock(settings.REDIS_URL, key=lock_key, seconds=1)
    second = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    assert dead.hold() is True  # and never renewed nor released
    assert second.hold() is False
    time.sleep(1.2)
    assert second.hold() is True


class RecordingScheduler(beat.SingleBeatScheduler):
    """The beat scheduler with one entry due every 0.1 s, which records what it sends instead of
    publishing it (the decision to send is under test, not the broker)."""

    def __init__(self, *args, **kwargs):
        self.sent = []
        self.closed = False
        super().__init__(*args, **kwargs)
        self.producer = None  # no broker connection: nothing is published
        self.schedule.clear()
        self.update_from_dict({"probe": {"task": "cchc.jobs.echo", "schedule": 0.1, "args": ("probe",)}})

    def apply_entry(self, entry, producer=None):
        self.sent.append(entry.name)

    def close(self):
        if not self.closed:
            self.closed = True
            super().close()


def scheduler(tmp_path, name: str) -> RecordingScheduler:
    return RecordingScheduler(app=celery_app, schedule_filename=str(tmp_path / name), lazy=False)


def tick_for(scheduler_, seconds: float) -> list[float]:
    waits = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        waits.append(scheduler_.tick())
        time.sleep(0.12)
    return waits


def test_a_second_beat_sends_nothing_and_takes_over_when_the_first_stops(lock_key, tmp_path):
    first = scheduler(tmp_path, "first")
    second = scheduler(tmp_path, "second")
    try:
        tick_for(first, 0.5)
        waits = tick_for(second, 0.5)
        assert first.sent, "the holder sent nothing"
        assert second.sent == []
        assert set(waits) == {beat.RETRY_SECONDS}  # it tries again later, nothing else
        first.close()
        tick_for(second, 0.5)
        assert second.sent, "the waiting beat did not take over"
    finally:
        first.close()
        second.close()


def test_run_schedule_runs_nothing_while_a_beat_holds_the_lock(lock_key, plan, department, clerk, dept_head):
    make_task(plan, department, by=clerk, number="7", deadline_text="28/6/2019")
    running_beat = beat.BeatLock(settings.REDIS_URL, key=lock_key)
    assert running_beat.hold()
    errors = StringIO()
    with time_machine.travel(at(datetime.date(2019, 7, 1), 0, 5), tick=False):
        call_command("run_schedule", "--once", stdout=StringIO(), stderr=errors)
    assert Notification.objects.filter(kind="overdue").count() == 0
    assert running_beat.token in errors.getvalue()
    running_beat.release()
    with time_machine.travel(at(datetime.date(2019, 7, 1), 0, 5), tick=False):
        call_command("run_schedule", "--once", stdout=StringIO())
    assert Notification.objects.filter(recipient=dept_head, kind="overdue").count() == 1
    assert running_beat.holder() == ""  # released when it stopped


def test_without_redis_there_is_no_lock(settings):
    settings.REDIS_URL = None
    settings.CELERY_BROKER_URL = "amqp://guest@127.0.0.1//"
    assert beat.beat_lock() is None


def start_beat(tmp_path, name: str) -> tuple[subprocess.Popen, Path]:
    log_path = tmp_path / f"{name}.log"
    command = [sys.executable, "-m", "celery", "-A", "cchc", "beat", "--loglevel=INFO"]
    command += ["--schedule", str(tmp_path / f"{name}-schedule")]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=log)
    return process, log_path


def wait_for_line(process, log_path: Path, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while text not in log_path.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{log_path.name} never said {text!r}:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)


def stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="CELERY_BROKER_URL is not set")
def test_a_second_celery_beat_process_waits_until_the_first_stops(tmp_path):
    """The real `celery beat` of docker-compose.yml, twice, on the deployment's lock."""
    first, first_log = start_beat(tmp_path, "first")
    second = None
    try:
        wait_for_line(first, first_log, "holds the beat lock", 30)
        second, second_log = start_beat(tmp_path, "second")
        wait_for_line(second, second_log, "Another scheduler", 30)
        stop(first)
        assert "released the beat lock" in first_log.read_text(errors="replace")
        wait_for_line(second, second_log, "holds the beat lock", beat.RETRY_SECONDS + 10)
    finally:
        stop(first)
        if second is not None:
            stop(second)
