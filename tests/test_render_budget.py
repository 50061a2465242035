"""Printing by estimated size: a PDF long in rows or in text goes to the render job, the job has a time
limit, and a document that runs past it ends as failed with a page that says what to do."""

import datetime
import time

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from cchc import jobs, storage
from cchc.printing import files
from reports.models import PeriodicReport
from reports.services import report_create
from tests.conftest import client_for, make_task

MEGABYTE_NARRATIVE = "Đã rà soát, đánh giá thủ tục hành chính lĩnh vực đầu tư tại bộ phận một cửa. " * 13_000


@pytest.fixture
def report(plan, department, clerk):
    for n in range(1, 4):
        make_task(plan, department, number=str(n), content=f"Rà soát thủ tục lĩnh vực {n}", by=clerk)
    return report_create(plan=plan, by=clerk, period="half_year", year=2019)


def with_introduction(report, text):
    PeriodicReport.objects.filter(pk=report.pk).update(introduction=text)  # as saved before the limits
    report.refresh_from_db()
    return report


def pdf(client, report):
    return client.get(reverse("reports:print", args=[report.pk, "pdf"]))


@pytest.fixture
def started(monkeypatch):
    """The jobs sent to the broker, not run."""
    sent = []
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: sent.append(args))
    return sent


@pytest.fixture
def in_process_jobs(monkeypatch):
    """Jobs run inside the request, as when no broker is configured."""
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: jobs.render_document(*args))


def test_a_short_report_is_rendered_in_the_request(clerk, report, started):
    response = pdf(client_for(clerk), report)
    assert response.status_code == 200
    assert not started


def test_a_report_with_a_1_mb_narrative_is_not_rendered_in_the_request(clerk, report, started, monkeypatch):
    assert len(MEGABYTE_NARRATIVE) > 1_000_000
    with_introduction(report, MEGABYTE_NARRATIVE)
    monkeypatch.setattr(files, "render", lambda document, code: pytest.fail("rendered in the request"))
    started_at = time.monotonic()
    response = pdf(client_for(clerk), report)
    assert time.monotonic() - started_at < 3
    assert response.status_code == 202
    assert "Đang chuẩn bị tệp PDF" in response.content.decode()
    assert len(started) == 1, "the job renders it"


def test_text_in_few_rows_counts_towards_the_estimate(clerk, report):
    from reports.document import build_report_document

    short = build_report_document(report)
    assert files.table_rows(short) <= files.PDF_ROWS_IN_REQUEST
    assert not files.is_heavy(short, "pdf")
    long = build_report_document(with_introduction(report, "Kết quả rà soát. " * 12_000))  # 200,000 chars
    assert files.table_rows(long) == files.table_rows(short)
    assert files.is_heavy(long, "pdf")
    assert not files.is_heavy(long, "docx"), "Word files are quick whatever their length"


def test_a_job_past_its_limit_ends_as_failed_and_the_page_says_so(
    clerk, report, settings, in_process_jobs, monkeypatch
):
    settings.PRINT_JOB_SECONDS = 0.2
    with_introduction(report, MEGABYTE_NARRATIVE[:400_000])  # some 20 s of layout
    client = client_for(clerk)
    started_at = time.monotonic()
    response = pdf(client, report)
    assert time.monotonic() - started_at < 5, "the layout is stopped at its limit"
    assert response.status_code == 503
    page = response.content.decode()
    assert "Văn bản quá dài để tạo tệp PDF" in page
    assert "Rút gọn những đoạn rất dài" in page
    assert "báo quản trị hệ thống" in page
    assert reverse("reports:print", args=[report.pk, "docx"]) in page  # the Word file instead
    assert reverse("reports:detail", args=[report.pk]) in page
    assert not [name for name in storage.names(files.STORE_FOLDER) if name.endswith(".pdf")]

    runs = []
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: runs.append(args))
    again = pdf(client, report)
    assert again.status_code == 503 and "Văn bản quá dài" in again.content.decode()
    assert not runs, "an unchanged document is not tried again, no worker is held on every retry"

    with_introduction(report, "Mở đầu ngắn gọn.")  # shortened: a new content, printed at once
    assert pdf(client, report).status_code == 200


def test_the_workers_soft_limit_ends_the_job_as_too_long(clerk, report, in_process_jobs, monkeypatch):
    with_introduction(report, MEGABYTE_NARRATIVE)

    def stopped_by_celery(document, code):
        raise SoftTimeLimitExceeded()  # what Celery raises in the job at soft_time_limit

    monkeypatch.setattr(files, "render", stopped_by_celery)
    response = pdf(client_for(clerk), report)
    assert response.status_code == 503
    assert "Văn bản quá dài để tạo tệp PDF" in response.content.decode()


def test_the_render_job_carries_the_time_limits(settings):
    assert jobs.render_document.soft_time_limit == settings.PRINT_JOB_SECONDS
    assert jobs.render_document.time_limit > jobs.render_document.soft_time_limit


def test_a_job_killed_at_its_hard_limit_is_read_as_too_long(clerk, report, started):
    with_introduction(report, MEGABYTE_NARRATIVE)
    client = client_for(clerk)
    assert pdf(client, report).status_code == 202
    kind, pk, code, key, scope = started[0]
    files.mark_started(key, code)  # the worker began, then was killed: nothing recorded
    assert pdf(client, report).status_code == 202, "still within its limit"
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=jobs.hard_limit_seconds() + 60
    )
    with time_machine.travel(later):
        response = pdf(client, report)
    assert response.status_code == 503
    assert "Văn bản quá dài để tạo tệp PDF" in response.content.decode()
    assert len(started) == 1
