"""The year-end CCHC scoring in the browser: a unit self-scores with evidence and submits, the appraiser
adjusts one criterion with a note, the organiser finalizes, the ranking shows the appraised total and the
unit's self-assessment report prints as PDF and Word. Once for a Sở's departments, once for the agencies
of the province appraised by Sở Nội vụ."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document as WordDocument

from accounts.models import Agency, Department, User
from cchc import jobs
from evaluations import services
from evaluations.computed import compute_round
from evaluations.models import Method, Round, Rubric, Scope, Score, Unit
from evaluations.scoring import quantize, shown
from tests.conftest import pdf_upload
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

NOTE = "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả; giảm một nửa số điểm."
EXPLANATION = "Đơn vị đã thực hiện đầy đủ; hồ sơ lưu tại đơn vị."


@pytest.fixture
def in_process_jobs(monkeypatch):
    """Long documents are rendered by a job: here inside the live server, as without a broker."""
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: jobs.render_document(*args))


def new_page(browser):
    page = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_round(page, live_server, title):
    page.goto(f"{live_server.url}/viec-cua-toi/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chấm điểm CCHC").click()
    page.get_by_role("heading", name="Đánh giá, chấm điểm cải cách hành chính").wait_for()
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def fresh_round(*, agency, by, scope, title, appraisers) -> Round:
    """A round of the default rubric whose two windows both hold today: the self-assessment ends today,
    the appraisal starts today, so the organiser's move decides which step is open."""
    today = timezone.localdate()
    round_ = services.round_create(
        agency=agency,
        by=by,
        rubric=Rubric.objects.filter(is_default=True, agency=None, scope=scope).order_by("pk").first(),
        year=today.year,
        title=title,
        self_from=today - datetime.timedelta(days=10),
        self_to=today,
        appraisal_from=today,
        appraisal_to=today + datetime.timedelta(days=10),
        appraisers=appraisers,
    )
    services.round_move(round_=round_, by=by, move="open")
    compute_round(round_)
    return round_


def scores_of(unit: Unit) -> list[Score]:
    return list(
        unit.scores.select_related("criterion").order_by(
            "criterion__area__position", "criterion__position", "criterion_id"
        )
    )


def self_assess(page, unit: Unit, evidence_path, screenshot_name):
    """Fill every criterion not computed at its maximum (points, Có, a rate of 100 %) with an explanation;
    the first criterion that requires evidence also gets the PDF."""
    scores = scores_of(unit)
    to_fill = [score for score in scores if score.criterion.method != Method.COMPUTED]
    with_file = next(score for score in to_fill if score.criterion.evidence_required)
    assert page.locator("#progress").inner_text().startswith(f"Đã chấm {len(scores) - len(to_fill)} / ")
    for score in to_fill:
        criterion = score.criterion
        row = page.locator(f"#tieu-chi-{criterion.pk}")
        value = row.locator(f"#value-{score.pk}")
        if criterion.method == Method.YES_NO:
            value.select_option(label="Có")
        elif criterion.method == Method.THRESHOLDS:
            value.fill("100")
        else:
            value.fill(shown(criterion.max_points))
            row.get_by_label("Số liệu kê khai").fill("Đạt 100 % kế hoạch")
        row.get_by_label("Giải trình").fill(EXPLANATION)
        if score.pk == with_file.pk:
            row.get_by_label("Thêm tài liệu kiểm chứng").set_input_files(str(evidence_path))
        row.get_by_role("button", name="Lưu", exact=True).click()
        saved = page.locator(f"#tieu-chi-{criterion.pk} [role=status]")
        saved.wait_for()
        assert saved.inner_text().startswith("Đã lưu")
        if score.pk == with_file.pk:
            shot(page, f"{screenshot_name}-evidence-row")
            page.locator(f"#tieu-chi-{criterion.pk}").get_by_role("link", name=evidence_path.name).wait_for()
    page.reload()
    assert (
        page.locator("#progress").inner_text().startswith(f"Đã chấm {len(scores)} / {len(scores)} tiêu chí")
    )
    shot(page, f"{screenshot_name}-self-assessed")
    return with_file


def appraise(page, unit: Unit, screenshot_name) -> tuple[Score, Decimal]:
    """Keep every self-score but one criterion scored by hand, halved with a note; returns it and its points."""
    scores = scores_of(unit)
    adjusted = next(
        score
        for score in scores
        if score.criterion.method == Method.MANUAL and score.self_points and score.self_points >= 1
    )
    lowered = quantize(adjusted.self_points / 2)
    for score in scores:
        row = page.locator(f"#tieu-chi-{score.criterion_id}")
        if score.pk == adjusted.pk:
            row.get_by_label("Điểm thẩm định").fill(shown(lowered))
            row.get_by_label("Ý kiến thẩm định").fill(NOTE)
        else:
            assert row.get_by_label("Điểm thẩm định").input_value() == shown(score.self_points)
        row.get_by_role("button", name="Lưu thẩm định").click()
        saved = page.locator(f"#tieu-chi-{score.criterion_id} [role=status]")
        saved.wait_for()
        assert saved.inner_text().startswith("Đã lưu điểm thẩm định")
    page.reload()
    assert f"đã thẩm định {len(scores)} / {len(scores)}" in page.locator("#progress").inner_text()
    shot(page, f"{screenshot_name}-appraised")
    return adjusted, lowered


def finalize(page, title, screenshot_name):
    """From the round's page, the organiser's move "Chốt kết quả"."""
    page.get_by_role("heading", name=title, level=1).wait_for()
    page.get_by_role("button", name="Chốt kết quả").click()
    page.get_by_text("Đã chốt kết quả.").wait_for()
    assert page.locator("#round-status").inner_text() == "Đã chốt kết quả"
    shot(page, f"{screenshot_name}-finalized")


def expected_total(unit: Unit) -> Decimal:
    """The unit's total as stored: the sum of its appraised points, every criterion being appraised."""
    return quantize(sum((score.appraised_points for score in unit.scores.all()), Decimal(0)))


def check_ranking(page, unit: Unit, self_total: Decimal, adjusted: Score, lowered: Decimal):
    total = self_total - adjusted.self_points + lowered
    assert expected_total(unit) == total
    row = page.locator("#ranking tbody tr").filter(has_text=str(unit))
    assert row.count() == 1
    assert row.locator("td").nth(2).inner_text() == shown(total)
    assert row.get_by_text("Đã thẩm định").count() == 1


def print_report(page, live_server, unit: Unit, self_total: Decimal, evidence_name: str, screenshot_name):
    """The unit's grid after the finalization: the note shows; its report prints as PDF and as Word."""
    page.locator("#ranking").get_by_role("link", name=str(unit)).click()
    page.get_by_role("heading", name=str(unit), level=1).wait_for()
    assert page.get_by_text(NOTE).count() == 1
    shot(page, f"{screenshot_name}-unit-final")
    link = page.get_by_role("link", name="In PDF")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    (ARTIFACTS / f"{screenshot_name}-bao-cao-tu-danh-gia.pdf").write_bytes(pdf)
    with page.expect_download() as download:
        page.get_by_role("link", name="Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    with open(download.value.path(), "rb") as handle:
        document = WordDocument(io.BytesIO(handle.read()))
    text = "\n".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    # the unit's own report: its self-scores, explanations and evidence (the appraisal is the round's)
    assert (unit.department.name if unit.department_id else unit.agency.short_name) in text
    assert EXPLANATION in text
    assert evidence_name in text
    assert shown(self_total) in text


def test_a_department_self_scores_and_the_leader_appraises_and_finalizes(
    demo, browser, live_server, in_process_jobs, tmp_path
):
    agency = Agency.objects.get(code="SKHĐT")
    leader, head = User.objects.get(username="lanhdao"), User.objects.get(username="truongphong")
    department = Department.objects.get(agency=agency, code="ĐKKD")
    assert head.department_id == department.pk
    title = f"Chấm điểm CCHC các phòng thuộc Sở năm {timezone.localdate().year} (kiểm thử)"
    round_ = fresh_round(agency=agency, by=leader, scope=Scope.DEPARTMENTS, title=title, appraisers=[leader])
    unit = round_.units.get(department=department)
    evidence_path = tmp_path / "ho-so-so-hoa-dkkd.pdf"
    evidence_path.write_bytes(pdf_upload().read())

    page = new_page(browser)
    log_in(page, live_server, "truongphong")
    open_round(page, live_server, title)
    shot(page, "eval-dept-round-self")
    page.get_by_role("link", name=f"Đơn vị của tôi: {department.name}").click()
    page.get_by_role("heading", name=department.name, level=1).wait_for()
    shot(page, "eval-dept-grid-empty")
    with_file = self_assess(page, unit, evidence_path, "eval-dept")
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    page.get_by_text(f"Đã nộp bản tự đánh giá của {department.name}.").wait_for()
    assert page.locator("#unit-status").inner_text() == "Đã nộp"
    shot(page, "eval-dept-submitted")
    unit.refresh_from_db()
    assert unit.status == Unit.Status.SUBMITTED and unit.submitted_by == head
    assert Score.objects.get(pk=with_file.pk).evidence_files.count() == 1
    self_total = sum((score.self_points for score in unit.scores.all()), Decimal(0))

    lead_page = new_page(browser)
    log_in(lead_page, live_server, "lanhdao")
    open_round(lead_page, live_server, title)
    lead_page.get_by_role("button", name="Bắt đầu thẩm định").click()
    lead_page.get_by_text("Đã chuyển sang thẩm định.").wait_for()
    shot(lead_page, "eval-dept-round-appraisal")
    lead_page.locator("#ranking").get_by_role("link", name=department.name).click()
    lead_page.get_by_role("heading", name=department.name, level=1).wait_for()
    adjusted, lowered = appraise(lead_page, unit, "eval-dept")
    lead_page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name=title).click()
    finalize(lead_page, title, "eval-dept")
    check_ranking(lead_page, unit, self_total, adjusted, lowered)
    print_report(lead_page, live_server, unit, self_total, evidence_path.name, "eval-dept")


def test_an_agency_self_scores_and_so_noi_vu_appraises_and_finalizes(
    demo, browser, live_server, in_process_jobs, tmp_path
):
    organiser, appraiser = User.objects.get(username="lanhdao.snv"), User.objects.get(username="sonoivu")
    leader = User.objects.get(username="lanhdao")  # a leader of Sở KH&ĐT scores and submits its unit
    title = f"Chỉ số CCHC các sở, ban, ngành năm {timezone.localdate().year} (kiểm thử)"
    round_ = fresh_round(
        agency=organiser.agency, by=organiser, scope=Scope.AGENCIES, title=title, appraisers=[appraiser]
    )
    unit = round_.units.get(agency=leader.agency)
    evidence_path = tmp_path / "bao-cao-cchc-skhdt.pdf"
    evidence_path.write_bytes(pdf_upload().read())

    page = new_page(browser)
    log_in(page, live_server, "lanhdao")
    open_round(page, live_server, title)
    shot(page, "eval-agency-round-self")
    page.get_by_role("link", name=f"Đơn vị của tôi: {unit}").click()
    page.get_by_role("heading", name=str(unit), level=1).wait_for()
    self_assess(page, unit, evidence_path, "eval-agency")
    page.get_by_role("button", name="Nộp bản tự đánh giá").click()
    page.get_by_text(f"Đã nộp bản tự đánh giá của {unit}.").wait_for()
    shot(page, "eval-agency-submitted")
    unit.refresh_from_db()
    assert unit.status == Unit.Status.SUBMITTED and unit.submitted_by == leader
    self_total = sum((score.self_points for score in unit.scores.all()), Decimal(0))

    organiser_page = new_page(browser)
    log_in(organiser_page, live_server, "lanhdao.snv")
    open_round(organiser_page, live_server, title)
    organiser_page.get_by_role("button", name="Bắt đầu thẩm định").click()
    organiser_page.get_by_text("Đã chuyển sang thẩm định.").wait_for()

    appraiser_page = new_page(browser)
    log_in(appraiser_page, live_server, "sonoivu")
    open_round(appraiser_page, live_server, title)
    shot(appraiser_page, "eval-agency-round-appraisal")
    appraiser_page.locator("#ranking").get_by_role("link", name=str(unit)).click()
    appraiser_page.get_by_role("heading", name=str(unit), level=1).wait_for()
    adjusted, lowered = appraise(appraiser_page, unit, "eval-agency")

    organiser_page.reload()
    finalize(organiser_page, title, "eval-agency")
    check_ranking(organiser_page, unit, self_total, adjusted, lowered)
    print_report(organiser_page, live_server, unit, self_total, evidence_path.name, "eval-agency")
