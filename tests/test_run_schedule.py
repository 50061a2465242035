"""`manage.py run_schedule`: the beat schedule run in-process for `make run` (no broker)."""

import datetime
from io import StringIO
from unittest import mock

import time_machine
from django.core.management import call_command

from notifications.models import Notification
from tests.conftest import make_task
from tests.test_mailing import at


def test_once_runs_every_scheduled_job_in_process(plan, department, clerk, dept_head):
    make_task(plan, department, by=clerk, number="7", deadline_text="28/6/2019")
    out = StringIO()
    with time_machine.travel(at(datetime.date(2019, 7, 1), 0, 5), tick=False):
        call_command("run_schedule", "--once", stdout=out)
    assert Notification.objects.filter(recipient=dept_head, kind="overdue").count() == 1
    assert "reminders: 1" in out.getvalue()


def test_a_failing_job_is_logged_and_the_others_still_run(plan, department, clerk, dept_head):
    make_task(plan, department, by=clerk, number="7", deadline_text="28/6/2019")
    with (
        mock.patch("cchc.jobs.beat_heartbeat.run", side_effect=RuntimeError("cache down")),
        mock.patch("cchc.management.commands.run_schedule.logger") as logger,
        time_machine.travel(at(datetime.date(2019, 7, 1), 0, 5), tick=False),
    ):
        call_command("run_schedule", "--once", stdout=StringIO())
    logger.exception.assert_called_once_with("Scheduled job %s failed", "cchc.jobs.beat_heartbeat")
    assert Notification.objects.filter(kind="overdue").count() == 1
