"""The clerk prints Kế hoạch 14/KH-SKHĐT and its 6-month report from the plan page, as PDF and as Word."""

import io

import pytest
from docx import Document as WordDocument

from cchc import jobs
from plans.models import Plan
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def in_process_jobs(monkeypatch):
    """Long documents are rendered by a job: here inside the live server, as without a broker."""
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: jobs.render_document(*args))


def fetch_pdf(page, link) -> bytes:
    """The PDF behind a link that opens in a new tab, fetched with the page's session."""
    response = page.request.get(page.url.split("/ke-hoach/")[0] + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    return response.body()


def word_text(download) -> str:
    document = WordDocument(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_the_clerk_prints_the_plan_and_its_half_year_report(demo, page, live_server, in_process_jobs):
    plan = Plan.objects.get(agency__code="SKHĐT", number=14, year=2019)
    log_in(page, live_server, "vanthu")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.get_by_role("heading", name="Kế hoạch số 14/KH-SKHĐT").wait_for()

    pdf = fetch_pdf(page, page.get_by_role("link", name="In PDF"))
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / "ke-hoach-14-KH-SKHDT.pdf").write_bytes(pdf)
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename == "Kế hoạch 14-KH-SKHĐT.docx"
    text = word_text(download.value)
    assert "Số: 14/KH-SKHĐT" in text
    assert "Vĩnh Phúc, ngày 15 tháng 01 năm 2019" in text

    page.get_by_role("link", name="Báo cáo CCHC").click()
    page.get_by_role("link", name="Lập báo cáo").first.click()
    page.get_by_label("Kỳ báo cáo").select_option("q3")
    page.get_by_label("Năm báo cáo").fill("2019")
    page.get_by_role("button", name="Lập dự thảo báo cáo").click()
    page.get_by_role("heading", name="Báo cáo kết quả thực hiện công tác CCHC quý III năm 2019").wait_for()
    page.screenshot(path=str(ARTIFACTS / "report-detail.png"), full_page=True)

    report_pdf = fetch_pdf(page, page.get_by_role("link", name="In dự thảo (PDF)"))
    assert report_pdf.startswith(b"%PDF")
    (ARTIFACTS / "bao-cao-quy-3-2019.pdf").write_bytes(report_pdf)
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    text = word_text(download.value)
    assert "BÁO CÁO" in text
    assert "DỰ THẢO" in text
