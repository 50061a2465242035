"""Password rules on every page that sets a password (the administrator's set-password link, "Quên mật
khẩu?", "Đổi mật khẩu"): not the username in disguise, at least 10 characters, not a common password,
not digits only; each refusal explained in Vietnamese and the old password kept."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role, User
from tests.conftest import PASSWORD, client_for, make_user, signs_in


@pytest.fixture
def agency_admin(office):
    return make_user("quantriso", Role.ADMIN, office.agency, office, full_name="Lê Văn Quản")


def new_account_link(agency_admin, department, username="cv.ttr") -> str:
    """The set-password link of an account the agency's administrator creates in Quản lý."""
    response = client_for(agency_admin).post(
        reverse("administration:user_create"),
        {
            "username": username,
            "full_name": "Trần Thanh Trà",
            "email": "",
            "position": "Chuyên viên",
            "department": department.pk,
            "role": Role.STAFF,
        },
    )
    assert response.status_code == 200
    url = re.search(r'value="(https?://[^"]+/quen-mat-khau/[^"]+)"', response.content.decode()).group(1)
    return re.sub(r"^https?://[^/]+", "", url)


def choose(link: str, password: str):
    client = Client()
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("cvttr2026", "Mật khẩu không được chứa tên đăng nhập."),  # the finding: cv.ttr without its dot
        ("Cv-Ttr-2026-xuan", "Mật khẩu không được chứa tên đăng nhập."),
        ("Qz7#mw2!k", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),  # nine characters
        ("iloveyou12", "Mật khẩu này quá phổ biến."),
        ("5820193746", "Mật khẩu này hoàn toàn là số."),
    ],
)
def test_a_new_account_cannot_choose_a_weak_password(agency_admin, department, password, message):
    link = new_account_link(agency_admin, department)
    response = choose(link, password)
    assert not response.redirect_chain or response.redirect_chain[-1][0] != reverse("password_reset_complete")
    assert message in response.content.decode()
    assert not User.objects.get(username="cv.ttr").has_usable_password()
    assert not signs_in("cv.ttr", password)


def test_a_new_account_chooses_a_strong_password_and_signs_in(agency_admin, department):
    link = new_account_link(agency_admin, department)
    response = choose(link, "Sen-hong-ven-ho-2026")
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert signs_in("cv.ttr", "Sen-hong-ven-ho-2026")


def test_the_password_page_lists_the_rules_in_vietnamese(agency_admin, department):
    page = Client().get(new_account_link(agency_admin, department), follow=True).content.decode()
    assert "Mật khẩu của bạn phải chứa ít nhất 10 ký tự." in page
    assert "Mật khẩu không được chứa tên đăng nhập." in page
    assert "This password" not in page and "Your password" not in page


def test_changing_ones_password_follows_the_same_rules(staff):
    client = client_for(staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "chuyenvien1", "new_password2": "chuyenvien1"},
    )
    assert response.status_code == 200
    assert "Mật khẩu không được chứa tên đăng nhập." in response.content.decode()
    assert signs_in(staff.username, PASSWORD)
