"""The low findings of the hardening probe (issue 16, point 9): dates out of any calendar's reach, a plan
form posted without its formset, a long title in Word, deadlines in year 9999 or 1, the
Content-Security-Policy, and downloads kept out of caches with evidence saved, never run."""

import datetime
import io
import re
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Plan
from tasks import services
from tasks.deadlines import DeadlineOutOfRange, parse_deadline
from tasks.importing.batch import read_row_deadline
from tests.conftest import client_for, make_plan, pdf_upload

ROOT = Path(__file__).resolve().parent.parent
OUT_OF_RANGE = "Nhập một ngày từ năm 1900 đến năm 2100."
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


# Dates a calendar cannot reach ---------------------------------------------------------------------


def _pages_with_a_date(plan, persona):
    """(persona, url, parameter) for every page whose query string takes a date."""
    return [
        (persona["clerk"], reverse("tasks:plan_tasks", args=[plan.pk]), "as_of"),
        (persona["clerk"], reverse("tasks:export", args=[plan.pk]), "as_of"),
        (persona["leader"], reverse("dashboards:plan", args=[plan.pk]), "as_of"),
        (persona["overseer"], reverse("dashboards:province"), "as_of"),
        (persona["leader"], reverse("audit:log"), "since"),
        (persona["leader"], reverse("audit:log"), "until"),
        (persona["leader"], reverse("audit:export"), "since"),
        (persona["admin"], reverse("notifications:log"), "day"),
    ]


@pytest.mark.parametrize("day", ["31/12/9999", "01/01/0001", "01/01/1899", "01/01/2101"])
def test_a_date_beyond_the_calendar_is_left_out_with_a_message_on_every_page_that_takes_one(
    day, plan, task, personas
):
    for user, url, parameter in _pages_with_a_date(plan, personas):
        response = client_for(user).get(url, {parameter: day})
        assert response.status_code == 200, (url, parameter)
        if response["Content-Type"].startswith("text/html"):
            assert OUT_OF_RANGE in response.content.decode(), (url, parameter)


@pytest.mark.parametrize("day", ["01/01/1900", "31/12/2100"])
def test_the_first_and_last_days_of_the_range_still_show_their_figures(day, plan, task, personas):
    for user, url, parameter in _pages_with_a_date(plan, personas):
        response = client_for(user).get(url, {parameter: day})
        assert response.status_code == 200, (url, parameter)
        assert OUT_OF_RANGE not in response.content.decode(errors="replace"), (url, parameter)


def test_the_dashboard_says_it_shows_today_instead(plan, task, leader):
    response = client_for(leader).get(reverse("dashboards:plan", args=[plan.pk]), {"as_of": "31/12/9999"})
    assert f"{OUT_OF_RANGE} Đang hiển thị số liệu hôm nay." in response.content.decode()
    assert response.context["as_of"] == datetime.date.today()


# A plan form without its formset --------------------------------------------------------------------

PLAN_FIELDS = {
    "number": "20",
    "symbol": "KH-SKHĐT",
    "place_name": "Vĩnh Phúc",
    "year": "2019",
    "issued_on": "20/01/2019",
    "title": "Kế hoạch gửi thiếu danh sách căn cứ",
    "recipients": "Lưu: VT, VP.",
}
MISSING_BASES = "Trang gửi lên thiếu danh sách căn cứ nên chưa lưu gì."


def test_a_new_plan_posted_without_its_bases_comes_back_with_a_message_and_saves_nothing(clerk, plan):
    before = Plan.objects.count()
    response = client_for(clerk).post(reverse("plans:create"), PLAN_FIELDS)
    assert response.status_code == 200
    assert MISSING_BASES in response.content.decode()
    assert Plan.objects.count() == before
    # the bases come back whole, so the page saves when sent again
    assert 'name="bases-TOTAL_FORMS" value="2"' in response.content.decode()


def test_a_plan_edited_without_its_bases_keeps_them_and_its_fields(clerk, draft_plan):
    documents = list(draft_plan.basis_links.order_by("position").values_list("document_id", flat=True))
    response = client_for(clerk).post(reverse("plans:update", args=[draft_plan.pk]), PLAN_FIELDS)
    assert response.status_code == 200
    assert MISSING_BASES in response.content.decode()
    draft_plan.refresh_from_db()
    assert draft_plan.title != PLAN_FIELDS["title"]
    assert (
        list(draft_plan.basis_links.order_by("position").values_list("document_id", flat=True)) == documents
    )
    assert response.context["bases"].initial == [
        {"document": pk, "ORDER": position} for position, pk in enumerate(documents, start=1)
    ]


# A long title in Word -------------------------------------------------------------------------------


def test_a_plan_with_a_title_of_500_characters_prints_in_word(clerk, agency):
    title = ("Cải cách hành chính và chuyển đổi số " * 20)[:500].strip()
    draft = make_plan(agency, number=30, title=title, status=Plan.Status.DRAFT)
    response = client_for(clerk).get(reverse("plans:print", args=[draft.pk, "docx"]))
    assert response.status_code == 200
    printed = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    assert len(printed.core_properties.title) <= 255
    assert printed.core_properties.title.startswith("Dự thảo kế hoạch Cải cách hành chính")
    assert printed.core_properties.title.endswith("…")
    name = re.search(r"filename\*=utf-8''(\S+)", response["Content-Disposition"]).group(1)
    assert len(name) < 255 * 3  # percent-encoded: a name of about 100 characters, not 500


# Deadlines in year 9999 or 1 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Thường xuyên", 9999),
        ("Trước 15/3", 1),
        ("Hằng quý", 2101),
        ("15/3/1999", 2019),
        ("Từ năm 1990", 1999),
    ],
)
def test_a_deadline_outside_2000_to_2100_is_refused_with_a_message(text, year):
    with pytest.raises(DeadlineOutOfRange, match="chỉ nhận thời hạn từ năm 2000 đến năm 2100"):
        parse_deadline(text, year=year)


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [("15/3/2000", 2019, datetime.date(2000, 3, 15)), ("Thường xuyên", 2100, datetime.date(2100, 12, 31))],
)
def test_deadlines_at_the_ends_of_the_range_are_read(text, year, due):
    assert parse_deadline(text, year=year).due_date == due


def test_the_deadline_form_refuses_a_year_before_2000_and_keeps_the_old_deadline(clerk, task):
    response = client_for(clerk).post(
        reverse("tasks:deadline", args=[task.pk]), {"deadline_text": "31/12/1999", "reason": "Lùi hạn"}
    )
    assert "chỉ nhận thời hạn từ năm 2000 đến năm 2100" in response.content.decode()
    before = task.due_date
    task.refresh_from_db()
    assert task.due_date == before


def test_an_imported_row_with_a_deadline_of_1999_comes_in_without_a_due_date_and_says_why(plan):
    deadline, warning = read_row_deadline("Trước 31/12/1999", plan=plan, has_column=True)
    assert deadline.due_date is None
    assert deadline.text == "Trước 31/12/1999"
    assert "chỉ nhận thời hạn từ năm 2000 đến năm 2100" in warning


def test_a_plan_dated_in_year_9999_is_refused(clerk):
    response = client_for(clerk).post(reverse("plans:create"), {**PLAN_FIELDS, "issued_on": "31/12/9999"})
    assert OUT_OF_RANGE in response.content.decode()
    assert not Plan.objects.filter(title=PLAN_FIELDS["title"]).exists()


# Content-Security-Policy ----------------------------------------------------------------------------


def test_every_page_carries_the_content_security_policy(client, staff):
    for response in (client.get(reverse("login")), client_for(staff).get(reverse("tasks:mine"))):
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self' data:"
        assert policy["object-src"] == "'none'"
        assert policy["base-uri"] == "'self'"
        assert policy["form-action"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
# Not shown under the site's policy: e-mails, the printed documents WeasyPrint lays out, the bench's page.
OUTSIDE_THE_SITE = ("emails", "documents", "demo", "registration/_mail_layout.html")


def test_no_page_template_holds_a_script_or_an_event_handler_the_policy_would_block():
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if relative.startswith(OUTSIDE_THE_SITE):
            continue
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text) or "<style" in text:
            found.append(relative)
    assert found == []


# Downloads: private, not cached; evidence saved, never run ------------------------------------------

NOT_CACHED = {"private", "no-store"}


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_pdf_of_evidence_is_always_saved_and_never_cached(leader, staff, task):
    report = services.progress_report(task=task, by=staff, percent=20, narrative="x", files=[pdf_upload()])
    url = reverse("tasks:evidence", args=[report.evidence.get().pk])
    for asked in (url, url + "?inline=1"):
        response = client_for(leader).get(asked)
        assert response["Content-Disposition"].startswith("attachment"), asked
        assert _cache_control(response) >= NOT_CACHED


def test_an_image_of_evidence_previews_only_under_a_sandbox(leader, staff, task):
    image = SimpleUploadedFile("anh-chup.png", PNG, content_type="image/png")
    report = services.progress_report(task=task, by=staff, percent=20, narrative="x", files=[image])
    url = reverse("tasks:evidence", args=[report.evidence.get().pk])
    saved = client_for(leader).get(url)
    assert saved["Content-Disposition"].startswith("attachment")
    shown = client_for(leader).get(url + "?inline=1")
    assert shown["Content-Disposition"].startswith("inline")
    assert shown["Content-Security-Policy"] == "sandbox; default-src 'none'; img-src 'self'"
    assert _cache_control(shown) >= NOT_CACHED


@pytest.mark.parametrize("code", ["pdf", "docx", "xlsx"])
def test_a_printed_document_is_never_cached(code, clerk, plan, task):
    response = client_for(clerk).get(reverse("plans:print", args=[plan.pk, code]))
    assert response.status_code == 200
    assert _cache_control(response) >= NOT_CACHED


def test_the_task_export_is_never_cached(clerk, plan, task):
    response = client_for(clerk).get(reverse("tasks:export", args=[plan.pk]))
    assert _cache_control(response) >= NOT_CACHED
