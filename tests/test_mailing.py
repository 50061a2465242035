"""Notices by mail: the daily digest at the person's hour, the urgent mail batched, the sent log claimed
before sending, retries, refused addresses and the heads' and leaders' sections."""

import datetime
import smtplib
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail as outbox

from notifications import mailing
from notifications.models import AgencySettings, Mail, Notification, Preference
from notifications.reminders import reminders_on
from notifications.services import Notice, notify
from tests.conftest import make_task

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


MONDAY = datetime.date(2019, 7, 1)  # the first working day after Friday 28/6/2019


def tell(now: datetime.datetime, user, kind: str, key: str, text: str = "Được giao nhiệm vụ 3."):
    with time_machine.travel(now, tick=False):
        notify([Notice(recipient_id=user.pk, kind=kind, text=text, key=key)])


@pytest.fixture
def addressed(staff, dept_head):
    for user in (staff, dept_head):
        user.email = f"{user.username}@so.example.vn"
        user.save(update_fields=["email"])
    return staff, dept_head


@pytest.fixture
def overdue(plan, department, clerk, addressed):
    return make_task(
        plan, department, by=clerk, number="7", deadline_text="28/6/2019", content="Rà soát văn bản"
    )


def run(now: datetime.datetime):
    with time_machine.travel(now, tick=False):
        reminders_on(now.astimezone(VN).date())
        mailing.claim_digests()
        mailing.claim_urgent()
        return mailing.deliver_due()


def test_the_digest_waits_for_the_hour_then_goes_once(overdue, dept_head):
    assert not run(at(MONDAY, 0, 15))  # the reminder is written at night, mailed at 07:30
    assert Notification.objects.filter(recipient=dept_head).count() == 1
    assert outbox.outbox == []
    result = run(at(MONDAY, 7, 30))
    assert result.sent == 1
    run(at(MONDAY, 7, 45))
    run(at(MONDAY, 16, 0))
    assert len(outbox.outbox) == 1
    message = outbox.outbox[0]
    assert message.to == ["truongphong@so.example.vn"]
    assert message.subject == "[CCHC] 1 việc cần xử lý – ngày 01/07/2019"
    assert "Nhiệm vụ 7 đã quá hạn 1 ngày làm việc (hạn 28/06/2019): Rà soát văn bản" in message.body
    assert "Hạn:" not in message.body  # a reminder's own words give its due date
    html = message.alternatives[0][0]
    assert "Cần xử lý (1)" in html and "/thong-bao/" in html
    sent = Mail.objects.get(recipient=dept_head)
    assert (sent.status, sent.kind, sent.day, sent.attempts) == ("sent", "digest", MONDAY, 1)
    assert message.extra_headers["Message-ID"] == sent.message_id
    assert Notification.objects.get(recipient=dept_head).mail == sent


def test_a_head_reads_the_department_in_the_digest(overdue, dept_head):
    run(at(MONDAY, 7, 30))
    body = outbox.outbox[0].body
    assert "TÌNH HÌNH NHIỆM VỤ CỦA" in body
    assert "Quá hạn: 1 nhiệm vụ" in body


def test_the_hour_a_person_chooses_and_the_agency_default(overdue, dept_head, agency):
    AgencySettings.objects.create(agency=agency, digest_time=datetime.time(9, 0))
    run(at(MONDAY, 8, 0))
    assert outbox.outbox == []
    Preference.objects.create(user=dept_head, digest_time=datetime.time(8, 30))
    run(at(MONDAY, 8, 30))
    assert len(outbox.outbox) == 1


def test_no_digest_on_a_day_off_nor_when_there_is_nothing(addressed, staff):
    saturday = datetime.date(2019, 7, 6)
    tell(at(saturday, 7, 0), staff, "assigned", "k1")
    run(at(saturday, 8, 0))
    assert outbox.outbox == []  # the notice waits for Monday
    run(at(datetime.date(2019, 7, 8), 8, 0))
    assert [message.to for message in outbox.outbox] == [["chuyenvien@so.example.vn"]]


def test_a_notice_read_in_the_app_is_not_mailed(addressed, staff):
    tell(at(MONDAY, 6, 0), staff, "assigned", "k1")
    Notification.objects.update(read_at=at(MONDAY, 7, 0))
    run(at(MONDAY, 7, 30))
    assert outbox.outbox == []
    assert Mail.objects.get(recipient=staff).status == "empty"


def test_urgent_notices_go_at_once_but_at_most_one_mail_per_quarter_hour(addressed, staff):
    tell(at(MONDAY, 10, 0), staff, "report_returned", "r1", "Trả lại r1")
    run(at(MONDAY, 10, 1))
    tell(at(MONDAY, 10, 5), staff, "report_returned", "r2", "Trả lại r2")
    tell(at(MONDAY, 10, 5), staff, "report_returned", "r3", "Trả lại r3")
    run(at(MONDAY, 10, 6))
    run(at(MONDAY, 10, 10))
    assert len(outbox.outbox) == 1
    run(at(MONDAY, 10, 16))
    assert len(outbox.outbox) == 2
    assert "Trả lại r2" in outbox.outbox[1].body and "Trả lại r3" in outbox.outbox[1].body
    run(at(datetime.date(2019, 7, 2), 7, 30))
    assert len(outbox.outbox) == 2  # the digest does not carry them again


def test_an_smtp_failure_is_retried_with_backoff_and_sent_once(overdue, dept_head):
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPDataError(451, b"try later"),
    ):
        assert run(at(MONDAY, 7, 30)).retry == 1
    sent = Mail.objects.get()
    assert (sent.status, sent.attempts) == ("retry", 1)
    assert sent.next_attempt_at == at(MONDAY, 7, 31)
    run(at(MONDAY, 7, 30))  # not before its time
    assert outbox.outbox == []
    run(at(MONDAY, 7, 31))
    assert len(outbox.outbox) == 1
    assert Mail.objects.get().status == "sent"


def test_a_refused_address_is_recorded_and_the_others_go_on(overdue, dept_head, staff):
    staff.email = "sai@"
    staff.save(update_fields=["email"])
    tell(at(MONDAY, 7, 0), staff, "assigned", "k1")

    def refuse(messages):
        if messages[0].to == ["truongphong@so.example.vn"]:
            raise smtplib.SMTPRecipientsRefused({"truongphong@so.example.vn": (550, b"No such user")})
        return len(messages)

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=refuse):
        run(at(MONDAY, 7, 30))
    problems = dict(Preference.objects.values_list("user__username", "address_problem"))
    assert problems["truongphong"] == (
        "Máy chủ thư từ chối địa chỉ truongphong@so.example.vn (550 No such user)."
    )
    assert problems["chuyenvien"] == "Địa chỉ thư điện tử không hợp lệ."
    # the next day nothing is tried at a failing address; a new address is tried again
    run(at(datetime.date(2019, 7, 2), 7, 30))
    assert Mail.objects.filter(recipient=dept_head).count() == 1
    dept_head.email = "ha.tt@so.example.vn"
    dept_head.save(update_fields=["email"])
    run(at(datetime.date(2019, 7, 3), 7, 30))
    assert [message.to for message in outbox.outbox] == [["ha.tt@so.example.vn"]]


def test_a_lease_keeps_a_second_worker_off_and_expires_after_a_kill(overdue, dept_head, settings):
    with time_machine.travel(at(MONDAY, 7, 30), tick=False):
        reminders_on(MONDAY)
        [claimed] = mailing.claim_digests()
        assert mailing._take(claimed.pk, at(MONDAY, 7, 30))  # a worker takes it, then dies
    assert not run(at(MONDAY, 7, 35))  # another run leaves it to its lease
    assert outbox.outbox == []
    run(at(MONDAY, 7, 30) + datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1))
    assert len(outbox.outbox) == 1
    assert Mail.objects.get().attempts == 2


def test_muted_kinds_and_kinds_kept_in_the_app(addressed, staff):
    Preference.objects.create(user=staff, muted=["assigned"], not_mailed=["direction"])
    tell(at(MONDAY, 7, 0), staff, "assigned", "k1")
    tell(at(MONDAY, 7, 0), staff, "direction", "k2", "Chỉ đạo")
    assert list(Notification.objects.values_list("kind", flat=True)) == ["direction"]
    run(at(MONDAY, 7, 30))
    assert outbox.outbox == []


def test_leaders_read_the_week_on_its_first_working_day(overdue, leader):
    leader.email = "lanhdao@so.example.vn"
    leader.save(update_fields=["email"])
    run(at(MONDAY, 7, 30))
    [message] = [message for message in outbox.outbox if message.to == ["lanhdao@so.example.vn"]]
    assert "TỔNG HỢP TUẦN THEO ĐƠN VỊ CHỦ TRÌ" in message.body
    assert "1 quá hạn" in message.body
    outbox.outbox.clear()
    run(at(datetime.date(2019, 7, 2), 7, 30))
    assert not [message for message in outbox.outbox if message.to == ["lanhdao@so.example.vn"]]


def test_news_overtaken_by_events_is_not_mailed(overdue, dept_head, staff):
    tell(at(MONDAY, 6, 0), dept_head, "report_pending", "p1")
    with time_machine.travel(at(MONDAY, 6, 0), tick=False):
        notify(
            [
                Notice(
                    recipient_id=dept_head.pk,
                    kind="report_pending",
                    text="Chờ duyệt 7",
                    key="p2",
                    task_id=overdue.pk,
                )
            ]
        )
    overdue.state = overdue.State.COMPLETED
    overdue.save(update_fields=["state"])
    run(at(MONDAY, 7, 30))
    [message] = outbox.outbox
    assert "Được giao nhiệm vụ 3." in message.body  # no task: still news
    assert "Chờ duyệt 7" not in message.body  # no longer waiting
    assert "quá hạn" not in message.body  # the reminder of a task since completed
    in_mail = dict(Notification.objects.values_list("key", "in_mail"))
    assert in_mail["p1"] is True and in_mail["p2"] is False  # the sent log says which lines went


def test_a_digest_hour_missed_during_downtime_is_caught_up_once(overdue, dept_head):
    # the server was down from 07:00 to 09:10: the first run after it claims the 07:30 digest
    run(at(MONDAY, 9, 10))
    run(at(MONDAY, 9, 15))
    assert [message.to for message in outbox.outbox] == [["truongphong@so.example.vn"]]
    # a notice written after the hour waits for the next working day's digest
    tell(at(MONDAY, 10, 0), dept_head, "assigned", "late")
    run(at(MONDAY, 17, 0))
    assert len(outbox.outbox) == 1
    run(at(datetime.date(2019, 7, 2), 7, 30))
    assert "Được giao nhiệm vụ 3." in outbox.outbox[-1].body
