"""Login throttling (django-axes, accounts.throttling): repeated wrong passwords lock a username, and an
address whatever username it tries, on the site's login and on the Django admin's; the agency's
administrator (or the province's) unlocks, and the lockout ends by itself after the cool-off."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import AccountEvent, Role
from tests.conftest import PASSWORD, client_for, make_user, signs_in

LOCKED = "Tạm khóa đăng nhập"
WRONG = "khong-phai-mat-khau"


def fail(username: str, times: int, client: Client | None = None, url: str | None = None) -> None:
    client = client or Client()
    for _ in range(times):
        response = client.post(url or reverse("login"), {"username": username, "password": WRONG})
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 429)


def attempt(username: str, password: str, client: Client | None = None, url: str | None = None):
    client = client or Client()
    response = client.post(url or reverse("login"), {"username": username, "password": password})
    return client, response


@pytest.fixture
def agency_admin(office):
    return make_user("quantriso", Role.ADMIN, office.agency, office, full_name="Lê Văn Quản")


@pytest.fixture
def province_admin(province):
    return make_user("quantritinh", Role.ADMIN, province, full_name="Trần Thị Tỉnh")


def test_four_wrong_passwords_still_let_the_right_one_in(staff):
    fail(staff.username, 4)
    assert signs_in(staff.username, PASSWORD)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_the_lockout_page(staff):
    fail(staff.username, 5)
    client, response = attempt(staff.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "Vui lòng thử lại sau 15 phút" in page
    assert "liên hệ quản trị của cơ quan" in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_of_one_username_leaves_the_others_alone(staff, dept_head):
    fail(staff.username, 5)
    assert not signs_in(staff.username, PASSWORD)
    assert signs_in(dept_head.username, PASSWORD)


def test_the_lockout_ends_after_the_cool_off(staff):
    with time_machine.travel(
        datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC), tick=False
    ) as traveller:
        fail(staff.username, 5)
        traveller.shift(datetime.timedelta(minutes=14))
        assert not signs_in(staff.username, PASSWORD)  # and this attempt starts the cool-off again
        traveller.shift(datetime.timedelta(minutes=14))
        assert not signs_in(staff.username, PASSWORD)
        traveller.shift(datetime.timedelta(minutes=16))
        assert signs_in(staff.username, PASSWORD)


def test_an_address_trying_many_usernames_is_locked_for_every_username(staff):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(20):  # one or two tries per name stays below the username's limit
        fail(f"nguoidung{number}", 1, client=attacker)
    _, response = attempt(staff.username, PASSWORD, client=Client(REMOTE_ADDR="203.0.113.7"))
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert signs_in(staff.username, PASSWORD, client=Client(REMOTE_ADDR="198.51.100.20"))


def test_behind_the_proxy_each_client_address_counts_on_its_own(settings, staff):
    """Everyone reaches gunicorn from the proxy's address: the address counted is the one the proxy
    appended to X-Forwarded-For, and what a client puts in front of it changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(20):
        forged = f"192.0.2.{number}"  # a different forged address each time, before the proxy's entry
        attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.7")
        fail(f"nguoidung{number}", 1, client=attacker)
    locked = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert not signs_in(staff.username, PASSWORD, client=locked)
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert signs_in(staff.username, PASSWORD, client=colleague)


def test_the_django_admin_login_is_throttled_too(admin_user):
    url = reverse("admin:login")
    fail(admin_user.username, 5, url=url)
    client, response = attempt(admin_user.username, PASSWORD, url=url)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and f'href="{url}"' in page
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_agency_admin_sees_the_lockout_and_unlocks_the_user(staff, agency_admin):
    fail(staff.username, 5)
    admin = client_for(agency_admin)
    listing = admin.get(reverse("administration:lockouts")).content.decode()
    assert staff.username in listing and "Mở khóa đăng nhập" in listing
    assert LOCKED in admin.get(reverse("administration:users")).content.decode()
    page = admin.get(reverse("administration:user_update", args=[staff.pk])).content.decode()
    assert LOCKED in page and reverse("administration:user_login_unlock", args=[staff.pk]) in page

    response = admin.post(reverse("administration:user_login_unlock", args=[staff.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("administration:user_update", args=[staff.pk])
    assert "Đã mở khóa đăng nhập" in response.content.decode()
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.LOGIN_UNLOCKED)
    assert (event.actor, event.subject_user, event.agency) == (agency_admin, staff, staff.agency)
    assert signs_in(staff.username, PASSWORD)


def test_a_user_who_is_not_locked_has_no_unlock_button_and_nothing_is_recorded(staff, agency_admin):
    admin = client_for(agency_admin)
    page = admin.get(reverse("administration:user_update", args=[staff.pk])).content.decode()
    assert reverse("administration:user_login_unlock", args=[staff.pk]) not in page
    admin.post(reverse("administration:user_login_unlock", args=[staff.pk]))
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.LOGIN_UNLOCKED).exists()


def test_an_agency_admin_cannot_unlock_another_agencys_user(outsider, agency_admin):
    fail(outsider.username, 5)
    admin = client_for(agency_admin)
    assert outsider.username not in admin.get(reverse("administration:lockouts")).content.decode()
    response = admin.post(reverse("administration:user_login_unlock", args=[outsider.pk]))
    assert response.status_code == 404
    assert not signs_in(outsider.username, PASSWORD)


@pytest.mark.parametrize("persona", ["staff", "dept_head", "leader", "clerk", "overseer"])
def test_only_administrators_reach_the_lockouts(personas, persona, outsider):
    fail(outsider.username, 5)
    client = client_for(personas[persona])
    assert client.get(reverse("administration:lockouts")).status_code == 403
    assert client.post(reverse("administration:user_login_unlock", args=[outsider.pk])).status_code == 403
    assert (
        client.post(reverse("administration:address_login_unlock"), {"address": "127.0.0.1"}).status_code
        == 403
    )
    assert not signs_in(outsider.username, PASSWORD)


def test_the_province_admin_unlocks_a_user_of_any_agency_and_an_address(outsider, staff, province_admin):
    fail(outsider.username, 5)
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(20):
        fail(f"nguoidung{number}", 1, client=attacker)
    admin = client_for(province_admin)
    listing = admin.get(reverse("administration:lockouts")).content.decode()
    assert outsider.username in listing and "203.0.113.7" in listing

    response = admin.post(reverse("administration:user_login_unlock", args=[outsider.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("administration:lockouts")
    assert signs_in(outsider.username, PASSWORD)

    assert not signs_in(staff.username, PASSWORD, client=Client(REMOTE_ADDR="203.0.113.7"))
    admin.post(
        reverse("administration:address_login_unlock"), {"address": "203.0.113.7", "reason": "Đã kiểm tra"}
    )
    assert signs_in(staff.username, PASSWORD, client=Client(REMOTE_ADDR="203.0.113.7"))
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.LOGIN_UNLOCKED, subject_user=None)
    assert (event.actor, event.new_value, event.reason) == (province_admin, "203.0.113.7", "Đã kiểm tra")


def test_an_agency_admin_cannot_unlock_an_address(agency_admin):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for number in range(20):
        fail(f"nguoidung{number}", 1, client=attacker)
    admin = client_for(agency_admin)
    assert "203.0.113.7" not in admin.get(reverse("administration:lockouts")).content.decode()
    response = admin.post(reverse("administration:address_login_unlock"), {"address": "203.0.113.7"})
    assert response.status_code == 403
    _, refused = attempt("bất-kỳ", PASSWORD, client=Client(REMOTE_ADDR="203.0.113.7"))
    assert refused.status_code == 429
