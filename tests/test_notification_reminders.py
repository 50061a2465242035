"""The reminders of a day written as notices in the app: once each, with their words, on the bell."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from notifications.models import Notification
from notifications.reminders import reminders_on
from tests.conftest import make_task


@pytest.fixture
def overdue(plan, department, clerk, dept_head):
    return make_task(
        plan, department, by=clerk, number="7", deadline_text="28/6/2019", content="Rà soát văn bản"
    )


def test_a_days_reminders_are_written_once_with_their_words(overdue, dept_head):
    day = datetime.date(2019, 7, 1)  # Monday: the first working day after Friday 28/6
    assert reminders_on(day) == 1
    assert reminders_on(day) == 0  # the job runs every 15 minutes: nobody is told twice
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.task) == (dept_head, "overdue", overdue)
    assert notice.text == "Nhiệm vụ 7 đã quá hạn 1 ngày làm việc (hạn 28/06/2019): Rà soát văn bản"
    assert User.objects.get(pk=dept_head.pk).unread_notifications == 1


def test_the_days_before_and_the_day_itself(overdue, dept_head):
    reminders_on(datetime.date(2019, 6, 25))  # Tuesday: 3 working days left
    reminders_on(datetime.date(2019, 6, 28))
    texts = list(Notification.objects.order_by("pk").values_list("text", flat=True))
    assert texts == [
        "Nhiệm vụ 7 còn 3 ngày làm việc đến hạn 28/06/2019: Rà soát văn bản",
        "Nhiệm vụ 7 đến hạn hôm nay (28/06/2019): Rà soát văn bản",
    ]


def test_the_command_writes_the_reminders_of_a_given_day(overdue):
    out = StringIO()
    call_command("send_reminders", "--date", "01/07/2019", stdout=out)
    assert out.getvalue().strip() == "Ngày 01/07/2019: ghi 1 nhắc việc mới."
    with pytest.raises(CommandError, match="không đúng dạng dd/mm/yyyy"):
        call_command("send_reminders", "--date", "2019-07-01")


def test_a_periodic_task_is_reminded_of_its_report_date(plan, department, clerk, dept_head):
    make_task(plan, department, by=clerk, number="4", deadline_text="Thường xuyên", content="Cập nhật TTHC")
    reminders_on(datetime.date(2019, 6, 13))  # Thursday: 1 working day before the cut-off 14/6
    texts = list(Notification.objects.filter(kind="upcoming").values_list("text", flat=True))
    assert "Nhiệm vụ 4 còn 1 ngày làm việc đến kỳ báo cáo 14/06/2019: Cập nhật TTHC" in texts
