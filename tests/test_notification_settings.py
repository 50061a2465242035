"""The settings of notices: what a person wants to be told and how, the agency's reminder rules and the
addresses whose mail fails (its administrator's), and the sent log ("was I told?")."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from notifications.models import AgencySettings, Mail, Notification, Preference
from notifications.preferences import address_problem_clear, preference_update
from notifications.services import Notice, notify
from tests.conftest import client_for, make_task, make_user

Kind = Notification.Kind
PREFERENCES = reverse("notifications:preferences")
AGENCY_SETTINGS = reverse("notifications:agency_settings")
LOG = reverse("notifications:log")
REFUSED = "Máy chủ thư từ chối địa chỉ (550 5.1.1 User unknown)."
VN = datetime.timezone(datetime.timedelta(hours=7))


def page_of(response) -> str:
    return response.content.decode()


def record_problem(user, address=None, at=None):
    """The address problem notifications.mailing records when the mail server refuses the address."""
    Preference.objects.update_or_create(
        user=user,
        defaults={
            "address_problem": REFUSED,
            "address_problem_at": at or datetime.datetime(2026, 11, 30, 8, 5, tzinfo=VN),
            "problem_address": address or user.email,
        },
    )


def with_email(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def preference_post(*, mail_enabled=True, digest_time="", notified=None, mailed=None) -> dict:
    data = {
        "digest_time": digest_time,
        "notified": Kind.values if notified is None else notified,
        "mailed": Kind.values if mailed is None else mailed,
    }
    if mail_enabled:
        data["mail_enabled"] = "on"
    return data


RULES = {
    "upcoming": "5, 10 ,2",
    "repeat_every": "2",
    "escalate_head": "4",
    "escalate_leaders": "8",
    "update_due": "3",
    "digest_time": "08:00",
}


# A person's preference -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["staff", "dept_head", "leader", "clerk", "admin", "overseer", "outsider"]
)
def test_every_signed_in_person_opens_their_preferences(personas, persona):
    assert client_for(personas[persona]).get(PREFERENCES).status_code == 200


def test_the_preferences_send_an_anonymous_visitor_to_the_login(db):
    response = client_for(None).get(PREFERENCES)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_person_who_never_chose_sees_everything_wanted_at_the_agencys_hour(staff):
    page = page_of(client_for(staff).get(PREFERENCES))
    assert re.search(r'<input type="checkbox" name="mail_enabled"[^>]* checked', page)
    for kind in Kind.values:
        assert f'name="notified" value="{kind}"' in page
        assert f'name="mailed" value="{kind}"' in page
    assert page.count("checked") == 1 + 2 * len(Kind.values)  # mail on, every kind told and mailed
    assert "Theo giờ mặc định của cơ quan (07:30)" in page
    for label in Kind.labels:
        assert label in page
    assert not Preference.objects.exists()


def test_the_empty_hour_names_the_agencys_own_default(staff, agency):
    AgencySettings.objects.create(agency=agency, digest_time=datetime.time(8, 15))
    page = page_of(client_for(staff).get(PREFERENCES))
    assert "Theo giờ mặc định của cơ quan (08:15)" in page


def test_the_hours_offered_are_the_quarter_hours_from_5_to_21(staff):
    page = page_of(client_for(staff).get(PREFERENCES))
    assert 'value="05:00"' in page and 'value="05:15"' in page and 'value="21:00"' in page
    assert 'value="04:45"' not in page and 'value="21:15"' not in page and 'value="07:10"' not in page


def test_saving_writes_the_preference_on_the_first_save_and_updates_it_after(staff):
    client = client_for(staff)
    told = [kind for kind in Kind.values if kind != Kind.OVERDUE]
    mailed = [kind for kind in told if kind != Kind.ASSIGNED]
    response = client.post(PREFERENCES, preference_post(digest_time="06:45", notified=told, mailed=mailed))
    assert response.status_code == 302 and response["Location"] == PREFERENCES
    preference = Preference.objects.get(user=staff)
    assert preference.muted == [Kind.OVERDUE]
    assert preference.not_mailed == [Kind.ASSIGNED, Kind.OVERDUE]
    assert preference.digest_time == datetime.time(6, 45) and preference.mail_enabled

    page = page_of(client.get(PREFERENCES))
    assert "Đã lưu cách nhận thông báo." in page
    assert '<option value="06:45" selected>' in page
    assert f'name="notified" value="{Kind.OVERDUE}"' in page
    assert page.count("checked") == 1 + len(told) + len(mailed)

    client.post(PREFERENCES, preference_post(mail_enabled=False))
    assert Preference.objects.filter(user=staff).count() == 1
    preference.refresh_from_db()
    assert preference.muted == [] and preference.not_mailed == []
    assert preference.digest_time is None and not preference.mail_enabled


def test_a_muted_kind_is_not_told_any_more(staff):
    client_for(staff).post(
        PREFERENCES, preference_post(notified=[k for k in Kind.values if k != Kind.DIRECTION])
    )
    notify(
        [
            Notice(recipient_id=staff.pk, kind=Kind.DIRECTION, text="Chỉ đạo", key="muted:1"),
            Notice(recipient_id=staff.pk, kind=Kind.ASSIGNED, text="Được giao", key="muted:2"),
        ]
    )
    assert list(staff.notifications.values_list("kind", flat=True)) == [Kind.ASSIGNED]


def test_an_unknown_kind_posted_is_refused_and_nothing_is_saved(staff):
    response = client_for(staff).post(PREFERENCES, preference_post(notified=[*Kind.values, "nonsense"]))
    assert response.status_code == 200
    assert "Không có loại thông báo “nonsense”." in page_of(response)
    assert not Preference.objects.exists()


def test_an_hour_outside_the_list_is_refused_and_nothing_changes(staff):
    client = client_for(staff)
    client.post(PREFERENCES, preference_post(digest_time="06:00"))
    response = client.post(PREFERENCES, preference_post(digest_time="04:00", mail_enabled=False))
    assert "Chọn một giờ trong danh sách (từ 05:00 đến 21:00)." in page_of(response)
    preference = Preference.objects.get(user=staff)
    assert preference.digest_time == datetime.time(6, 0) and preference.mail_enabled


def test_the_service_refuses_a_kind_that_does_not_exist(staff):
    with pytest.raises(ValidationError) as refused:
        preference_update(
            user=staff, mail_enabled=True, digest_time=None, muted=[], not_mailed=[Kind.ASSIGNED, "unknown"]
        )
    assert refused.value.message_dict == {"not_mailed": ["Không có loại thông báo “unknown”."]}
    assert not Preference.objects.exists()


def test_saving_keeps_the_recorded_address_problem(staff):
    record_problem(with_email(staff, "cv@skhdt.gov.vn"))
    client_for(staff).post(PREFERENCES, preference_post(mail_enabled=False))
    preference = Preference.objects.get(user=staff)
    assert preference.address_problem == REFUSED and not preference.mail_enabled


def test_a_person_without_an_address_is_told_mails_need_one(staff):
    page = page_of(client_for(staff).get(PREFERENCES))
    assert "Chưa có địa chỉ thư điện tử" in page
    assert "Thư điện tử chỉ gửi được khi tài khoản có địa chỉ thư" in page


def test_the_preferences_show_the_address_and_a_problem_recorded_for_it(staff):
    record_problem(with_email(staff, "cv@skhdt.gov.vn"), address="CV@skhdt.gov.vn")
    page = page_of(client_for(staff).get(PREFERENCES))
    assert "cv@skhdt.gov.vn" in page and "Chưa có địa chỉ thư điện tử" not in page
    assert REFUSED in page and "Ghi nhận lúc 08:05 30/11/2026" in page


def test_a_problem_of_an_address_no_longer_used_is_not_shown(staff):
    record_problem(with_email(staff, "moi@skhdt.gov.vn"), address="cu@skhdt.gov.vn")
    page = page_of(client_for(staff).get(PREFERENCES))
    assert "moi@skhdt.gov.vn" in page and REFUSED not in page


# The agency's settings and its failing addresses -----------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "dept_head", "leader", "clerk", "overseer", "outsider"])
def test_only_the_agencys_administrator_opens_the_agency_settings(personas, persona):
    client = client_for(personas[persona])
    assert client.get(AGENCY_SETTINGS).status_code == 403
    assert client.post(AGENCY_SETTINGS, RULES).status_code == 403
    assert client.get(LOG).status_code == 403
    assert not AgencySettings.objects.exists()


def test_the_agency_settings_send_an_anonymous_visitor_to_the_login(db):
    for url in (AGENCY_SETTINGS, LOG):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_an_administrator_of_no_agency_has_no_agency_settings(db):
    system = make_user("hethong", Role.ADMIN, None, is_staff=True, is_superuser=True)
    assert client_for(system).get(AGENCY_SETTINGS).status_code == 403
    assert client_for(system).get(LOG).status_code == 403


def test_a_superuser_of_another_role_manages_their_agency(leader):
    leader.is_superuser = True
    leader.save(update_fields=["is_superuser"])
    assert client_for(leader).get(AGENCY_SETTINGS).status_code == 200


def test_the_administrator_sees_the_defaults_before_the_first_save(admin_user):
    page = page_of(client_for(admin_user).get(AGENCY_SETTINGS))
    assert 'value="7, 3, 1"' in page
    assert '<option value="07:30" selected>' in page
    assert "Số ngày làm việc trước hạn thì nhắc" in page  # the model's help text
    assert "Không có địa chỉ thư nào đang bị lỗi." in page


def test_the_administrator_saves_the_rules_on_the_first_save(admin_user, agency, staff):
    client = client_for(admin_user)
    response = client.post(AGENCY_SETTINGS, RULES)
    assert response.status_code == 302 and response["Location"] == AGENCY_SETTINGS
    settings = AgencySettings.objects.get(agency=agency)
    assert settings.upcoming == "10, 5, 2"
    assert (
        settings.repeat_every,
        settings.escalate_head,
        settings.escalate_leaders,
        settings.update_due,
    ) == (
        2,
        4,
        8,
        3,
    )
    assert settings.digest_time == datetime.time(8, 0)
    assert "Đã lưu cài đặt nhắc việc của cơ quan." in page_of(client.get(AGENCY_SETTINGS))
    assert "Theo giờ mặc định của cơ quan (08:00)" in page_of(client_for(staff).get(PREFERENCES))

    client.post(AGENCY_SETTINGS, {**RULES, "upcoming": "3"})
    assert AgencySettings.objects.get(agency=agency).upcoming == "3"
    assert AgencySettings.objects.count() == 1


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"upcoming": "7, x"}, "Ghi các số ngày làm việc, cách nhau bởi dấu phẩy, ví dụ 7, 3, 1."),
        ({"upcoming": "7, 90"}, "Mỗi số ngày làm việc phải từ 1 đến 60."),
        ({"escalate_head": "5", "escalate_leaders": "3"}, "Báo lãnh đạo không thể sớm hơn báo trưởng phòng."),
        ({"repeat_every": "0"}, "Phải từ 1 đến 60 ngày làm việc."),
        ({"update_due": "ba"}, "Nhập một số nguyên ngày làm việc."),
        ({"digest_time": "04:00"}, "Chọn một giờ trong danh sách (từ 05:00 đến 21:00)."),
        ({"digest_time": ""}, "Chọn giờ gửi thư tổng hợp."),
    ],
)
def test_bad_rules_are_refused_with_a_message_and_change_nothing(admin_user, agency, changed, message):
    AgencySettings.objects.create(agency=agency, upcoming="4, 2")
    response = client_for(admin_user).post(AGENCY_SETTINGS, {**RULES, **changed})
    assert response.status_code == 200
    page = page_of(response)
    assert message in page and "Chưa lưu được cài đặt" in page
    settings = AgencySettings.objects.get(agency=agency)
    assert (
        settings.upcoming == "4, 2"
        and settings.repeat_every == 3
        and settings.digest_time == datetime.time(7, 30)
    )


def test_bad_rules_on_the_first_save_write_no_row(admin_user):
    client_for(admin_user).post(AGENCY_SETTINGS, {**RULES, "upcoming": "7, x"})
    assert not AgencySettings.objects.exists()


def test_the_failing_addresses_are_those_of_the_agency_still_in_use(admin_user, staff, dept_head, outsider):
    record_problem(with_email(staff, "cv@skhdt.gov.vn"))
    record_problem(with_email(dept_head, "moi@skhdt.gov.vn"), address="cu@skhdt.gov.vn")
    record_problem(with_email(outsider, "vt@stc.gov.vn"))
    page = page_of(client_for(admin_user).get(AGENCY_SETTINGS))
    table = page[page.index('id="bang-dia-chi-loi"') :]
    assert f'data-user="{staff.pk}"' in table and "cv@skhdt.gov.vn" in table
    assert REFUSED in table and "08:05 30/11/2026" in table
    assert reverse("notifications:address_retry", args=[staff.pk]) in table
    assert f'data-user="{dept_head.pk}"' not in table  # a new address is tried anyway
    assert f'data-user="{outsider.pk}"' not in table and "vt@stc.gov.vn" not in page


def test_trying_again_clears_the_problem(admin_user, staff):
    record_problem(with_email(staff, "cv@skhdt.gov.vn"))
    client = client_for(admin_user)
    response = client.post(reverse("notifications:address_retry", args=[staff.pk]))
    assert response.status_code == 302 and response["Location"] == AGENCY_SETTINGS
    preference = Preference.objects.get(user=staff)
    assert not preference.address_problem and not preference.address_failing(staff.email)
    page = page_of(client.get(AGENCY_SETTINGS))
    assert f"Thư của {staff} sẽ được thử gửi lại đến cv@skhdt.gov.vn từ lần gửi tới." in page
    assert "Không có địa chỉ thư nào đang bị lỗi." in page


def test_trying_again_for_someone_of_another_agency_is_404_and_changes_nothing(admin_user, outsider):
    record_problem(with_email(outsider, "vt@stc.gov.vn"))
    response = client_for(admin_user).post(reverse("notifications:address_retry", args=[outsider.pk]))
    assert response.status_code == 404
    assert Preference.objects.get(user=outsider).address_problem == REFUSED


@pytest.mark.parametrize("persona", ["staff", "dept_head", "leader", "clerk", "outsider"])
def test_trying_again_needs_the_agencys_administrator(personas, persona):
    staff = personas["staff"]
    record_problem(with_email(staff, "cv@skhdt.gov.vn"))
    response = client_for(personas[persona]).post(reverse("notifications:address_retry", args=[staff.pk]))
    assert response.status_code == 403
    assert Preference.objects.get(user=staff).address_problem == REFUSED


def test_trying_again_is_a_post(admin_user, staff):
    record_problem(with_email(staff, "cv@skhdt.gov.vn"))
    assert (
        client_for(admin_user).get(reverse("notifications:address_retry", args=[staff.pk])).status_code == 405
    )
    assert Preference.objects.get(user=staff).address_problem == REFUSED


def test_the_service_clears_only_inside_the_agency(admin_user, outsider):
    record_problem(with_email(outsider, "vt@stc.gov.vn"))
    with pytest.raises(ValidationError):
        address_problem_clear(user=outsider, by=admin_user)
    assert Preference.objects.get(user=outsider).address_problem == REFUSED


# The sent log ----------------------------------------------------------------------------------------


def told(user, text, *, kind=Kind.ASSIGNED, task=None, at=None, key=None):
    """A notice written by the service, then dated `at` (Vietnam time)."""
    key = key or f"log:{user.pk}:{text}"
    notify([Notice(recipient_id=user.pk, kind=kind, text=text, key=key, task_id=task.pk if task else None)])
    notice = Notification.objects.get(key=key)
    if at is not None:
        Notification.objects.filter(pk=notice.pk).update(created_at=at)
        notice.refresh_from_db()
    return notice


def carried_by(notice, **fields) -> Mail:
    defaults = {
        "recipient": notice.recipient,
        "kind": Mail.Kind.DIGEST,
        "day": datetime.date(2026, 12, 1),
        "key": f"mail:{notice.pk}",
        "address": "cv@skhdt.gov.vn",
    }
    mail = Mail.objects.create(**(defaults | fields))
    Notification.objects.filter(pk=notice.pk).update(mail=mail)
    return mail


@pytest.fixture
def logged(staff, dept_head, outsider, plan, department, clerk):
    """Notices of the agency's people, of several kinds, tasks and days, with and without a mail."""
    first = make_task(plan, department, number="1.2", by=clerk)
    second = make_task(plan, department, number="7", by=clerk)
    Notification.objects.all().delete()  # the notices the tasks' creation wrote, if any
    assigned = told(staff, "Giao việc A", task=first, at=datetime.datetime(2026, 11, 30, 9, 0, tzinfo=VN))
    direction = told(
        dept_head,
        "Chỉ đạo B",
        kind=Kind.DIRECTION,
        task=second,
        at=datetime.datetime(2026, 12, 1, 23, 30, tzinfo=VN),  # 16:30 UTC: 1/12 in Vietnam
    )
    overdue = told(
        staff, "Quá hạn C", kind=Kind.OVERDUE, task=second, at=datetime.datetime(2026, 12, 2, 7, 0, tzinfo=VN)
    )
    foreign = told(outsider, "Việc của cơ quan khác", at=datetime.datetime(2026, 12, 2, 8, 0, tzinfo=VN))
    sent = carried_by(
        assigned,
        day=datetime.date(2026, 12, 1),
        status=Mail.Status.SENT,
        attempts=1,
        sent_at=datetime.datetime(2026, 12, 1, 7, 31, tzinfo=VN),
    )
    failed = carried_by(
        direction,
        day=datetime.date(2026, 12, 2),
        status=Mail.Status.FAILED,
        attempts=3,
        error="Máy chủ thư từ chối địa chỉ truongphong@skhdt.gov.vn (550 User unknown).",
    )
    Notification.objects.filter(pk=direction.pk).update(
        read_at=datetime.datetime(2026, 12, 2, 10, 15, tzinfo=VN)
    )
    return {
        "assigned": assigned,
        "direction": direction,
        "overdue": overdue,
        "foreign": foreign,
        "first": first,
        "second": second,
        "sent": sent,
        "failed": failed,
    }


TEXTS = {"assigned": "Giao việc A", "direction": "Chỉ đạo B", "overdue": "Quá hạn C"}


def shown(page: str) -> set[str]:
    return {name for name, text in TEXTS.items() if text in page}


def test_the_log_lists_the_agencys_notices_newest_first_with_their_mail(admin_user, logged, staff, dept_head):
    page = page_of(client_for(admin_user).get(LOG))
    table = page[page.index('id="nhat-ky"') :]
    assert table.index("Quá hạn C") < table.index("Chỉ đạo B") < table.index("Giao việc A")
    assert "Việc của cơ quan khác" not in page
    row = table[table.index(f'data-notice="{logged["assigned"].pk}"') :].split("</tr>")[0]
    assert "09:00 30/11/2026" in row and str(staff) in row and Kind.ASSIGNED.label in row
    assert reverse("tasks:detail", args=[logged["first"].pk]) in row and "Nhiệm vụ 1.2" in row
    assert "Chưa đọc" in row
    assert "Đã gửi" in row and "Gửi lúc 07:31 01/12/2026" in row and "Số lần gửi: 1" in row
    row = table[table.index(f'data-notice="{logged["direction"].pk}"') :].split("</tr>")[0]
    assert "Đã đọc lúc 10:15 02/12/2026" in row and str(dept_head) in row
    assert "Không gửi được" in row and "Số lần gửi: 3" in row and "550 User unknown" in row
    row = table[table.index(f'data-notice="{logged["overdue"].pk}"') :].split("</tr>")[0]
    assert "Chưa gửi thư" in row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"assigned", "direction", "overdue"}),
        ({"person": "staff"}, {"assigned", "overdue"}),
        ({"person": "dept_head"}, {"direction"}),
        ({"task": "1.2"}, {"assigned"}),
        ({"task": " 7 "}, {"direction", "overdue"}),
        ({"task": "second-id"}, {"direction", "overdue"}),
        ({"task": "1.20"}, set()),  # a number matches as written: 1.20 is not 1.2
        ({"day": "30/11/2026"}, {"assigned"}),
        ({"day": "01/12/2026"}, {"assigned", "direction"}),  # the mail of the one, the notice of the other
        ({"day": "02/12/2026"}, {"direction", "overdue"}),
        ({"kind": Kind.OVERDUE}, {"overdue"}),
        ({"person": "staff", "kind": Kind.ASSIGNED, "day": "01/12/2026"}, {"assigned"}),
    ],
)
def test_each_filter_of_the_log_narrows_the_rows(request, admin_user, logged, params, expected):
    if params.get("person"):
        params = {**params, "person": request.getfixturevalue(params["person"]).pk}
    if params.get("task") == "second-id":
        params = {**params, "task": logged["second"].pk}
    assert shown(page_of(client_for(admin_user).get(LOG, params))) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"person": "outsider"}, "Người này không thuộc cơ quan."),
        ({"person": "abc"}, "Người này không thuộc cơ quan."),
        ({"day": "31/02/2026"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"day": "2026-12-01"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"kind": "nonsense"}, "Không có loại thông báo này."),
        ({"task": "x" * 60}, "Số nhiệm vụ dài tối đa 50 ký tự."),
    ],
)
def test_a_bad_filter_value_is_told_and_filters_nothing(request, admin_user, logged, params, message):
    if params.get("person") == "outsider":
        params = {"person": request.getfixturevalue("outsider").pk}
    response = client_for(admin_user).get(LOG, params)
    assert response.status_code == 200
    page = page_of(response)
    assert message in page
    assert shown(page) == {"assigned", "direction", "overdue"}


def test_the_log_is_paginated_and_keeps_its_filters(admin_user, staff):
    notify(
        Notice(recipient_id=staff.pk, kind=Kind.UPCOMING, text=f"Nhắc số {n:02}", key=f"p{n}")
        for n in range(25)
    )
    client = client_for(admin_user)
    first = page_of(client.get(LOG, {"kind": Kind.UPCOMING}))
    second = page_of(client.get(LOG, {"kind": Kind.UPCOMING, "page": 2}))
    assert first.count("Nhắc số") == 20 and second.count("Nhắc số") == 5
    assert f"?kind={Kind.UPCOMING}&amp;page=2" in first


def test_the_log_queries_do_not_grow_with_the_rows(
    admin_user, staff, dept_head, task, django_assert_max_num_queries
):
    client = client_for(admin_user)

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            notice = told(staff if n % 2 else dept_head, f"Dòng {n}", task=task, key=f"q{n}")
            carried_by(notice, key=f"qm{n}", status=Mail.Status.SENT, attempts=1, sent_at=timezone.now())

    add(2, 0)
    with django_assert_max_num_queries(12) as few:
        assert client.get(LOG).status_code == 200
    add(30, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LOG, {"page": 2}).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert (
            client.get(
                LOG, {"person": staff.pk, "day": timezone.localdate().strftime("%d/%m/%Y")}
            ).status_code
            == 200
        )


# Links and the Django admin --------------------------------------------------------------------------


def test_the_list_links_the_settings_and_for_the_administrator_the_agencys_pages(staff, admin_user):
    staff_page = page_of(client_for(staff).get(reverse("notifications:list")))
    assert f'href="{PREFERENCES}"' in staff_page and "Cài đặt nhận thông báo" in staff_page
    assert f'href="{AGENCY_SETTINGS}"' not in staff_page and f'href="{LOG}"' not in staff_page
    admin_page = page_of(client_for(admin_user).get(reverse("notifications:list")))
    assert f'href="{PREFERENCES}"' in admin_page
    assert f'href="{AGENCY_SETTINGS}"' in admin_page and f'href="{LOG}"' in admin_page


def test_the_admin_lists_mails_read_only_and_edits_the_settings(admin_user, logged, agency, staff, dept_head):
    client = client_for(admin_user)
    mails = client.get(reverse("admin:notifications_mail_changelist"), {"status": Mail.Status.FAILED})
    assert mails.status_code == 200
    results = page_of(mails)[page_of(mails).index('id="result_list"') :]
    assert str(dept_head) in results and str(staff) not in results
    change = client.get(reverse("admin:notifications_mail_change", args=[logged["sent"].pk]))
    assert change.status_code == 200 and 'name="_save"' not in page_of(change)
    assert client.get(reverse("admin:notifications_mail_add")).status_code == 403

    notices = page_of(client.get(reverse("admin:notifications_notification_changelist")))
    assert "Không gửi được" in notices and "Chưa gửi thư" in notices

    added = client.post(
        reverse("admin:notifications_agencysettings_add"),
        {"agency": agency.pk, **RULES, "digest_time": "06:10"},
    )
    assert added.status_code == 302
    assert AgencySettings.objects.get(agency=agency).upcoming == "10, 5, 2"
    refused = client.post(
        reverse("admin:notifications_agencysettings_change", args=[AgencySettings.objects.get().pk]),
        {"agency": agency.pk, **RULES, "upcoming": "7, x"},
    )
    assert refused.status_code == 200 and "Ghi các số ngày làm việc" in page_of(refused)
    assert client.get(reverse("admin:notifications_preference_changelist")).status_code == 200
    assert client.get(reverse("admin:notifications_preference_add")).status_code == 200
