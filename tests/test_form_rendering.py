"""Every form renders through crispy-forms (Bootstrap 5): what a user sees of it is checked here, on the
pages themselves: the labels, the help texts, each error beside its field, and what was typed kept."""

import datetime

import pytest
import time_machine
from django.test.html import Element, parse_html
from django.urls import reverse

from accounts.forms import GENERIC_LOGIN_ERROR
from tests.conftest import client_for
from tests.test_plans import plan_post_data

HTMX = {"HTTP_HX_REQUEST": "true"}


def elements(page: str):
    """Every element of the page, in document order."""

    def walk(node):
        if isinstance(node, Element):
            yield node
            for child in node.children:
                yield from walk(child)

    return walk(parse_html(page))


def attributes(element: Element) -> dict:
    return dict(element.attributes)


def by_id(page: str, element_id: str) -> Element:
    found = [element for element in elements(page) if attributes(element).get("id") == element_id]
    assert len(found) == 1, f"{len(found)} elements with id {element_id}"
    return found[0]


def text(node) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text(child) for child in node.children)


def label_of(page: str, control_id: str) -> str:
    labels = [e for e in elements(page) if e.name == "label" and attributes(e).get("for") == control_id]
    assert len(labels) == 1, f"{len(labels)} labels for {control_id}"
    return text(labels[0])


def classes(element: Element) -> set[str]:
    return set((attributes(element).get("class") or "").split())


def error_of(page: str, control_id: str) -> str:
    """The error shown beside a field (crispy-forms: div_<id> holds the control and its feedback)."""
    wrapper = by_id(page, f"div_{control_id}")
    feedback = [e for e in elements(str(wrapper)) if "invalid-feedback" in classes(e)]
    return " ".join(text(item) for item in feedback)


def test_the_progress_form_shows_its_labels_and_help(staff, task):
    page = client_for(staff).get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Tiến độ (%)" in label_of(page, "id_percent")
    assert "Nội dung báo cáo" in label_of(page, "id_narrative")
    assert "Kết quả, sản phẩm" in label_of(page, "id_result")
    assert "Tài liệu kiểm chứng" in label_of(page, "id_files")
    assert "có thể chọn nhiều tệp" in text(by_id(page, "id_files_helptext"))
    assert "multiple" in attributes(by_id(page, "id_files"))
    assert attributes(by_id(page, "id_percent"))["value"] == "0"  # the task's progress so far


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["without-javascript", "htmx"])
def test_a_refused_report_shows_the_error_beside_its_field_and_keeps_the_text(
    staff, task, private_storage, headers
):
    response = client_for(staff).post(
        reverse("tasks:progress", args=[task.pk]),
        {"percent": "150", "narrative": "Đã rà soát <12> thủ tục"},
        **headers,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in page) is not bool(headers)  # htmx gets the live part of the page only
    assert "Tiến độ phải từ 0 đến 100%." in error_of(page, "id_percent")
    percent = by_id(page, "id_percent")
    assert attributes(percent)["value"] == "150" and "is-invalid" in classes(percent)
    assert text(by_id(page, "id_narrative")).strip() == "Đã rà soát <12> thủ tục"


def test_a_report_without_narrative_says_what_is_missing(staff, task, private_storage):
    page = (
        client_for(staff).post(reverse("tasks:progress", args=[task.pk]), {"percent": "20"}).content.decode()
    )
    assert "Nhập nội dung báo cáo." in error_of(page, "id_narrative")
    assert attributes(by_id(page, "id_percent"))["value"] == "20"


def test_the_return_reason_is_labelled_for_screen_readers(dept_head, pending_report):
    page = client_for(dept_head).get(reverse("tasks:detail", args=[pending_report.task_id])).content.decode()
    assert "Lý do trả lại" in label_of(page, "id_reason")
    reason = by_id(page, "id_reason")
    assert attributes(reason)["name"] == "reason" and "required" in attributes(reason)
    assert attributes(reason)["placeholder"] == "Lý do trả lại (bắt buộc)"
    form = next(
        e
        for e in elements(page)
        if e.name == "form"
        and attributes(e).get("action") == reverse("tasks:progress_return", args=[pending_report.pk])
    )
    assert "Trả lại" in text(form)


def test_the_plan_form_marks_the_wrong_field_and_keeps_the_rest(clerk, legal_documents):
    data = plan_post_data(legal_documents[:1], title="")
    page = client_for(clerk).post(reverse("plans:create"), data).content.decode()
    assert "Nhập trích yếu của kế hoạch." in error_of(page, "id_title")
    assert "Trích yếu" in label_of(page, "id_title")
    assert attributes(by_id(page, "id_number"))["value"] == "21"
    assert attributes(by_id(page, "id_issued_on"))["value"] == "05/03/2020"
    chosen = [
        attributes(option)["value"]
        for option in elements(str(by_id(page, "id_bases-0-document")))
        if option.name == "option" and "selected" in attributes(option)
    ]
    assert chosen == [str(legal_documents[0].pk)]


def test_a_legal_basis_row_says_what_each_control_is(clerk):
    page = client_for(clerk).get(reverse("plans:create")).content.decode()
    assert attributes(by_id(page, "id_bases-0-ORDER"))["aria-label"] == "Thứ tự"
    assert attributes(by_id(page, "id_bases-0-document"))["aria-label"] == "Văn bản căn cứ"
    assert attributes(by_id(page, "id_bases-0-DELETE"))["aria-label"] == "Bỏ căn cứ này"
    # the row the "Thêm dòng căn cứ" button copies holds the same controls, numbered by the script
    assert 'name="bases-__prefix__-document"' in page


def test_a_failed_login_says_so_once_and_keeps_the_username(db, staff):
    response = client_for(None).post(reverse("login"), {"username": "chuyenvien", "password": "sai"})
    page = response.content.decode()
    assert page.count(GENERIC_LOGIN_ERROR) == 1
    assert "Tên đăng nhập" in label_of(page, "id_username")
    assert "Mật khẩu" in label_of(page, "id_password")
    assert attributes(by_id(page, "id_username"))["value"] == "chuyenvien"


def test_a_wrong_current_password_is_shown_beside_it(staff):
    response = client_for(staff).post(
        reverse("password_change"),
        {"old_password": "khong-dung", "new_password1": "Mot-mat-khau-moi-2019", "new_password2": "x"},
    )
    page = response.content.decode()
    assert "Mật khẩu hiện tại" in label_of(page, "id_old_password")
    assert error_of(page, "id_old_password")
    assert error_of(page, "id_new_password2")


def test_a_bad_dashboard_date_is_explained_beside_the_field(leader, plan):
    with time_machine.travel(datetime.datetime(2019, 6, 14, 9, tzinfo=datetime.UTC), tick=False):
        page = client_for(leader).get(reverse("dashboards:plan", args=[plan.pk]) + "?as_of=31/02/2019")
    page = page.content.decode()
    assert "Số liệu tại ngày" in label_of(page, "id_as_of")
    assert "Đang hiển thị số liệu hôm nay." in error_of(page, "id_as_of")
    assert attributes(by_id(page, "id_as_of"))["value"] == "31/02/2019"


@pytest.mark.parametrize(("query", "shown"), [("?year=2018", "2018"), ("?year=1800", "2019"), ("", "2019")])
def test_the_province_view_shows_the_year_it_counts(overseer, query, shown):
    with time_machine.travel(datetime.datetime(2019, 6, 14, 9, tzinfo=datetime.UTC), tick=False):
        page = client_for(overseer).get(reverse("dashboards:province") + query).content.decode()
    assert "Năm kế hoạch" in label_of(page, "id_year")
    options = [e for e in elements(str(by_id(page, "id_year"))) if e.name == "option"]
    assert [attributes(option)["value"] for option in options if "selected" in attributes(option)] == [shown]
    assert attributes(options[0])["value"] == "2020"  # next year's plans may already be drafted
