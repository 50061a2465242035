"""Printing from the plan and report pages: the files, the store that renders each content once, the
job for long documents and the refusal of an issued document that lacks a required element."""

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from cchc import jobs, storage
from cchc.printing import files
from plans.models import Plan
from tests.conftest import client_for, make_task


@pytest.fixture
def tasks(plan, department, clerk):
    return [
        make_task(
            plan, department, number=str(n), content=f"Rà soát thủ tục hành chính lĩnh vực {n}", by=clerk
        )
        for n in range(1, 4)
    ]


def get(client, plan, code):
    return client.get(reverse("plans:print", args=[plan.pk, code]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_clerk_prints_the_plan_as_pdf_shown_in_the_browser(clerk, plan, tasks):
    response = get(client_for(clerk), plan, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert "K%E1%BA%BF%20ho%E1%BA%A1ch%2014-KH-" in response["Content-Disposition"]  # Kế hoạch 14-KH-…
    assert body(response).startswith(b"%PDF")


def test_the_plan_in_word_and_its_annex_in_excel(staff, plan, tasks):
    client = client_for(staff)
    word = get(client, plan, "docx")
    assert word["Content-Disposition"].startswith("attachment")
    text = "\n".join(paragraph.text for paragraph in WordDocument(io.BytesIO(body(word))).paragraphs)
    assert "KẾ HOẠCH" in text
    sheet = load_workbook(io.BytesIO(body(get(client, plan, "xlsx")))).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert "Rà soát thủ tục hành chính lĩnh vực 2" in cells


def test_an_unchanged_plan_is_not_rendered_twice(clerk, plan, tasks, monkeypatch):
    client = client_for(clerk)
    first = body(get(client, plan, "pdf"))

    def no_rendering(document, code):
        raise AssertionError("rendered again")

    monkeypatch.setattr(files, "render", no_rendering)
    assert body(get(client, plan, "pdf")) == first


def test_a_changed_plan_is_rendered_anew(clerk, plan, tasks):
    client = client_for(clerk)
    get(client, plan, "docx")
    make_task(plan, tasks[0].lead_department, number="4", content="Số hóa hồ sơ lưu trữ", by=clerk)
    text = "\n".join(
        cell.text
        for table in WordDocument(io.BytesIO(body(get(client, plan, "docx")))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Số hóa hồ sơ lưu trữ" in text
    assert len(storage.names(files.STORE_FOLDER)) == 2


def test_a_draft_prints_with_its_mark_and_needs_no_number(clerk, draft_plan):
    draft_plan.signer_name = ""
    draft_plan.save()
    response = get(client_for(clerk), draft_plan, "docx")
    assert response.status_code == 200
    assert "d%E1%BB%B1%20th%E1%BA%A3o" in response["Content-Disposition"]  # "(dự thảo)" in the name
    text = "\n".join(paragraph.text for paragraph in WordDocument(io.BytesIO(body(response))).paragraphs)
    assert "DỰ THẢO" in text


def test_an_issued_plan_without_signer_or_recipients_is_named_before_rendering(clerk, plan, monkeypatch):
    Plan.objects.filter(pk=plan.pk).update(signer_name="", recipients="")
    monkeypatch.setattr(files, "render", lambda document, code: pytest.fail("rendered"))
    response = get(client_for(clerk), plan, "pdf")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Chưa có họ tên người ký." in page
    assert "Chưa có nơi nhận." in page
    assert storage.names(files.STORE_FOLDER) == []


def test_an_unknown_format_is_not_found(clerk, plan):
    assert get(client_for(clerk), plan, "odt").status_code == 404


@pytest.fixture
def long_pdf(monkeypatch):
    """Any PDF counts as long: it goes to a job."""
    monkeypatch.setattr(files, "PDF_ROWS_IN_REQUEST", 0)


@pytest.fixture
def in_process_jobs(monkeypatch):
    """Jobs run inside the request, as when no broker is configured (CI configures one)."""
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: jobs.render_document(*args))


def test_a_long_document_is_prepared_by_a_job_then_handed_out(clerk, plan, tasks, long_pdf, monkeypatch):
    started = []
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: started.append(args))
    client = client_for(clerk)
    waiting = get(client, plan, "pdf")
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "Đang chuẩn bị tệp PDF" in page
    assert 'http-equiv="refresh"' in page
    assert get(client, plan, "pdf").status_code == 202
    assert len(started) == 1, "one job per document, however often the page reloads"
    jobs.render_document(*started[0])  # the worker
    ready = get(client, plan, "pdf")
    assert ready.status_code == 200
    assert body(ready).startswith(b"%PDF")


def test_without_a_broker_the_job_runs_in_process_and_the_file_comes_at_once(
    clerk, plan, tasks, long_pdf, in_process_jobs
):
    response = get(client_for(clerk), plan, "pdf")
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")


def test_a_failed_job_is_explained_and_can_be_tried_again(
    clerk, plan, tasks, long_pdf, in_process_jobs, monkeypatch
):
    real_render = files.render

    def broken(document, code):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(files, "render", broken)
    client = client_for(clerk)
    failed = get(client, plan, "pdf")
    assert failed.status_code == 202
    page = failed.content.decode()
    assert "Chưa tạo được tệp PDF" in page
    assert "Thử lại" in page
    assert 'http-equiv="refresh"' not in page
    monkeypatch.setattr(files, "render", real_render)
    assert get(client, plan, "pdf").status_code == 200


def test_the_plan_page_offers_the_three_files(staff, plan):
    page = client_for(staff).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    for code in ("pdf", "docx", "xlsx"):
        assert reverse("plans:print", args=[plan.pk, code]) in page


def test_a_report_prints_from_its_saved_text(clerk, plan, tasks):
    from reports.services import report_create

    report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    client = client_for(clerk)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:print", args=[report.pk, "pdf"]) in detail
    response = client.get(reverse("reports:print", args=[report.pk, "docx"]))
    assert response.status_code == 200
    text = "\n".join(paragraph.text for paragraph in WordDocument(io.BytesIO(body(response))).paragraphs)
    assert "BÁO CÁO" in text


def test_the_deployments_margins_are_printed(clerk, plan, tasks, settings):
    from tasks.documents import build_plan_document

    settings.DOCUMENT_MARGINS_MM = {"top": 22.5, "bottom": 20, "left": 35, "right": 15}
    document = build_plan_document(plan)
    assert (document.margins.top, document.margins.left) == (22.5, 35)
    word = WordDocument(io.BytesIO(body(get(client_for(clerk), plan, "docx"))))
    assert round(word.sections[0].left_margin.mm) == 35
    assert round(word.sections[0].top_margin.mm, 1) == 22.5
    import pdfplumber

    with pdfplumber.open(io.BytesIO(body(get(client_for(clerk), plan, "pdf")))) as pdf:
        first = pdf.pages[0]
        assert min(char["x0"] for char in first.chars) >= 35 * 72 / 25.4 - 0.5
        assert min(char["top"] for char in first.chars) >= 22.5 * 72 / 25.4 - 0.5  # "22.5", not "22,5"
