"""Password reset by e-mail ("Quên mật khẩu?"): Django's auth views with Vietnamese pages and mail."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.conftest import PASSWORD, make_user, signs_in

NEW_PASSWORD = "mat-khau-moi-2026!"


@pytest.fixture
def person(department):
    return make_user("nguoidung", Role.STAFF, department.agency, department, email="nguoi.dung@skhdt.gov.vn")


def link_in(message) -> str:
    return re.search(r"https?://\S+/quen-mat-khau/\S+/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def ask_for_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def set_password(client, url, password=NEW_PASSWORD):
    """Open the link (Django moves the token to the session and redirects) and set the password."""
    form_page = client.get(path_of(url), follow=True)
    assert form_page.status_code == 200
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    return client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


def test_the_login_page_offers_the_reset(client, db):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page
    assert "Quên mật khẩu?" in page


def test_a_known_address_gets_a_mail_whose_link_sets_a_new_password(client, person, mailoutbox, settings):
    settings.SITE_URL = "https://cchc.vinhphuc.gov.vn"
    response = ask_for_reset(client, "Nguoi.Dung@skhdt.gov.vn")
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["nguoi.dung@skhdt.gov.vn"]
    assert message.subject == "Đặt lại mật khẩu tài khoản CCHC"
    assert "Kính gửi Nguoidung" in message.body and "3 ngày" in message.body
    url = link_in(message)
    assert url.startswith("https://cchc.vinhphuc.gov.vn/quen-mat-khau/")
    html = message.alternatives[0][0]
    assert url in html and "Đặt mật khẩu" in html

    done = set_password(Client(), url)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    assert signs_in("nguoidung", NEW_PASSWORD)
    assert not signs_in("nguoidung", PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, person, mailoutbox):
    known = ask_for_reset(Client(), person.email)
    unknown = ask_for_reset(Client(), "khong.co@skhdt.gov.vn")
    assert len(mailoutbox) == 1
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert "Hãy kiểm tra hộp thư" in unknown.content.decode()


def test_a_link_works_once(client, person, mailoutbox):
    ask_for_reset(client, person.email)
    url = link_in(mailoutbox[0])
    set_password(Client(), url)
    page = Client().get(path_of(url), follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in page


def test_an_expired_link_is_refused(client, person, mailoutbox, settings):
    settings.PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
    ask_for_reset(client, person.email)
    url = link_in(mailoutbox[0])
    with time_machine.travel(datetime.timedelta(days=1, minutes=5)):
        page = Client().get(path_of(url), follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in page
    assert "yêu cầu một đường dẫn mới" in page
    with time_machine.travel(datetime.timedelta(hours=23)):
        assert "Đặt mật khẩu mới" in Client().get(path_of(url), follow=True).content.decode()


def test_a_locked_account_gets_no_mail_and_its_old_link_is_refused(client, person, mailoutbox):
    ask_for_reset(client, person.email)
    url = link_in(mailoutbox[0])
    person.is_active = False
    person.save(update_fields=["is_active"])
    response = ask_for_reset(Client(), person.email)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert len(mailoutbox) == 1
    page = Client().get(path_of(url), follow=True).content.decode()
    assert "Đường dẫn không còn dùng được" in page


def test_an_account_waiting_for_its_first_password_can_ask_for_a_link(client, person, mailoutbox):
    person.set_unusable_password()
    person.save(update_fields=["password"])
    ask_for_reset(client, person.email)
    assert len(mailoutbox) == 1
    set_password(Client(), link_in(mailoutbox[0]))
    assert signs_in("nguoidung", NEW_PASSWORD)


def test_the_new_password_must_pass_the_password_rules(client, person, mailoutbox):
    ask_for_reset(client, person.email)
    response = set_password(Client(), link_in(mailoutbox[0]), password="123")
    assert response.status_code == 200
    assert not response.redirect_chain  # the form again, with what is wrong
    assert "Mật khẩu" in response.content.decode() and 'class="invalid-feedback' in response.content.decode()
    assert signs_in("nguoidung", PASSWORD)
