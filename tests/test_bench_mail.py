"""The bench's e-mail figures (demo.bench_mail): digests sent by one worker to an SMTP server on the
loopback interface, the people added for them deleted after; the queries the bell adds to a page."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth.backends import ModelBackend

from accounts.models import Role, User
from cchc import periods
from demo import bench_mail
from notifications.models import Mail, Notification
from tasks.selectors import OPEN_STATES
from tests.conftest import make_task
from tests.test_bench import run_bench


@pytest.fixture
def data_set(task, plan, department, staff, dept_head, leader):
    """An agency with people (who have a digest due: the head) and tasks with due dates."""
    make_task(plan, department, number="2", deadline_text="Trước 30/9/2019")
    Notification.objects.create(recipient=staff, kind="assigned", text="Cũ.", key="old")  # not mailed yet


def rows() -> dict[str, set]:
    return {
        "users": set(User.objects.values_list("pk", flat=True)),
        "mails": set(Mail.objects.values_list("pk", flat=True)),
        "notices": set(Notification.objects.values_list("pk", "mail_id", "read_at")),
    }


def test_the_digests_of_the_people_added_reach_the_server_and_nothing_is_left_behind(data_set):
    before = rows()

    figures = bench_mail.measure_digests(5, today=datetime.date(2019, 9, 5))

    # only the people added are mailed: the head and the staff member with a notice are not
    assert (figures.claimed, figures.sent, figures.received) == (5, 5, 5)
    assert figures.day == datetime.date(2019, 9, 3)  # Monday 2/9 is the national day: the week opens on 3/9
    assert periods.is_working_day(figures.day) and not periods.is_working_day(datetime.date(2019, 9, 2))
    assert figures.claim_queries > 0 and figures.claim_seconds > 0 and figures.send_seconds > 0
    assert figures.total_seconds == figures.claim_seconds + figures.send_seconds
    assert rows() == before
    assert not User.objects.filter(username__startswith=bench_mail.USERNAME_PREFIX).exists()


def test_the_people_added_have_addresses_roles_and_notices_on_their_agencys_tasks(data_set, plan):
    people = User.objects.filter(pk__in=bench_mail.add_people(plan.agency, 100, datetime.date(2019, 9, 3)))

    assert people.count() == 100
    assert all(
        person.email.endswith("@so.example.vn") and person.agency_id == plan.agency_id for person in people
    )
    roles = [person.role for person in people]
    assert (roles.count(Role.LEADER), roles.count(Role.DEPT_HEAD)) == (2, 8)
    notices = Notification.objects.filter(recipient__in=people)
    per_person = [person.unread_notifications for person in people]
    assert min(per_person) >= bench_mail.NOTICES[0] and max(per_person) <= bench_mail.NOTICES[1]
    assert notices.count() == sum(per_person)
    assert len(set(notices.values_list("kind", flat=True))) > 3
    assert set(notices.values_list("task__plan__agency", flat=True)) == {plan.agency_id}
    assert set(notices.values_list("task__state", flat=True)) <= set(OPEN_STATES)
    assert notices.filter(info=True, text__startswith="Để biết – ").exists()


def test_a_run_stopped_half_way_leaves_nothing_behind(data_set):
    before = rows()

    stop = mock.patch.object(bench_mail, "notify", side_effect=RuntimeError("stopped"))
    with stop, pytest.raises(RuntimeError, match="stopped"):
        bench_mail.measure_digests(5, today=datetime.date(2019, 9, 5))

    assert rows() == before


def test_it_refuses_to_run_when_mails_wait_to_be_sent(data_set, staff):
    Mail.objects.create(recipient=staff, kind=Mail.Kind.URGENT, day=datetime.date(2019, 9, 5), key="u")

    with pytest.raises(ValueError, match="waiting to be sent"):
        bench_mail.measure_digests(5)


def test_the_bell_adds_no_query_and_its_notices_are_rolled_back(data_set, staff):
    figures = bench_mail.measure_bell(staff)

    assert (figures.user, figures.unread, figures.added) == (staff.username, 3, 0)
    assert [label for label, _without, _with in figures.pages] == [
        label for label, _name in bench_mail.BELL_PAGES
    ]
    assert all(without > 0 for _label, without, _with in figures.pages)
    staff.refresh_from_db()
    assert staff.unread_notifications == 0 and Notification.objects.filter(recipient=staff).count() == 1


def test_a_bell_reading_its_count_apart_from_the_user_row_is_caught(data_set, staff):
    def get_user(backend, user_id):
        return User.objects.defer("unread_notifications").filter(pk=user_id).first()

    with mock.patch.object(ModelBackend, "get_user", get_user):
        figures = bench_mail.measure_bell(staff)

    assert figures.added == 1


@pytest.mark.django_db
def test_the_bench_prints_the_digests_and_the_bell():
    output = run_bench(in_place=True, reminder_tasks=0, digests=5)

    lines = output.splitlines()
    mail = next(line for line in lines if line.startswith("Gửi 5 thư tổng hợp"))
    assert "tới máy chủ SMTP nội bộ (một worker): claim " in mail and "(mục tiêu ≤ 60 s) – OK" in mail
    assert "máy chủ nhận 5 thư" in lines[lines.index(mail) + 1]
    assert "Chuông thông báo: thêm 0 truy vấn mỗi trang (mục tiêu ≤ 1) – OK" in lines


@pytest.mark.django_db
def test_the_bench_skips_the_mail_with_0_digests():
    output = run_bench(in_place=True, reminder_tasks=0, digests=0)

    assert "thư tổng hợp" not in output and "Chuông thông báo" not in output
