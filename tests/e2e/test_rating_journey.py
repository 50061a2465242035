"""The year-end rating in the browser: the staff member fills and sends the form, the head scores the
general criteria and proposes a level (with the reason where it differs from the suggestion), the leader
decides and the form locks; the decision recognising the year's titles prints as PDF and Word."""

import io

import pytest
from django.utils import timezone
from docx import Document as WordDocument

from accounts.models import Agency, User
from ratings import services
from ratings.models import Rating, Round
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_evaluation_journey import in_process_jobs, new_page, shot  # noqa: F401
from tests.e2e.test_plan_journey import log_in

pytestmark = pytest.mark.e2e

REVIEW = "Hoàn thành các nhiệm vụ đăng ký doanh nghiệp; còn chậm tiến độ việc số hóa hồ sơ."
COMMENT = "Nhiệt tình, trách nhiệm; cần chủ động hơn với các việc phối hợp."
REASON = "Các nhiệm vụ còn lại đến hạn sau ngày chốt số liệu; kết quả đến nay bảo đảm yêu cầu."


def current_round() -> Round:
    agency = Agency.objects.get(code="SKHĐT")
    year = timezone.localdate().year
    found = Round.objects.filter(agency=agency, year=year).first()
    return found or services.round_create(agency=agency, year=year, by=User.objects.get(username="vanthu"))


def open_my_form(page, live_server, year):
    page.goto(f"{live_server.url}/viec-cua-toi/")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Xếp loại, thi đua"
    ).click()
    page.get_by_role("heading", name="Đánh giá, xếp loại chất lượng và thi đua").wait_for()
    page.get_by_role("link", name=f"Đánh giá, xếp loại chất lượng công chức, viên chức năm {year}").click()


def test_a_form_goes_from_the_person_to_the_head_to_the_leader(demo, browser, live_server, in_process_jobs):  # noqa: F811
    round_ = current_round()
    rating = round_.ratings.get(person__username="chuyenvien")
    assert rating.status == Rating.Status.DRAFT

    page = new_page(browser)
    log_in(page, live_server, "chuyenvien")
    open_my_form(page, live_server, round_.year)
    page.get_by_role("link", name="Phiếu của tôi").click()
    page.get_by_role("heading", name=f"Phiếu đánh giá, xếp loại năm {round_.year}: Lê Minh Đức").wait_for()
    assigned = page.locator('#record-figures [data-measure="assigned"]').inner_text()
    assert int(assigned) == rating.assigned
    page.get_by_label("Tự nhận xét ưu, khuyết điểm").fill(REVIEW)
    page.get_by_label("Tự xếp loại").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_role("button", name="Gửi người đánh giá").click()
    page.get_by_text("Đã gửi phiếu tự đánh giá cho người đánh giá.").wait_for()
    assert page.locator("#rating-status").inner_text() == "Đã gửi phiếu, chờ nhận xét"
    shot(page, "rating-1-submitted")
    page.context.close()

    page = new_page(browser)
    log_in(page, live_server, "truongphong")
    page.goto(f"{live_server.url}/xep-loai/{round_.pk}/")
    page.locator('#ratings-table tr[data-person="chuyenvien"]').get_by_role(
        "link", name="Lê Minh Đức"
    ).click()
    assert REVIEW in page.locator("#self-review").inner_text()
    page.get_by_label("Điểm tiêu chí chung (tối đa 30)").fill("27")
    page.get_by_label("Nhận xét ưu, khuyết điểm").fill(COMMENT)
    page.get_by_label("Mức đề xuất").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.get_by_role("button", name="Ghi nhận xét và đề xuất").click()
    rating.refresh_from_db()
    suggested = services.suggestion(Rating.objects.get(pk=rating.pk)).level
    if suggested != "htt":  # the record suggests another level: the head must say why
        page.get_by_text("khác với mức gợi ý").wait_for()
        assert Rating.objects.get(pk=rating.pk).status == Rating.Status.SUBMITTED
        assert page.get_by_label("Nhận xét ưu, khuyết điểm").input_value() == COMMENT  # nothing typed is lost
        page.get_by_label("Lý do (khi khác mức gợi ý)").fill(REASON)
        page.get_by_role("button", name="Ghi nhận xét và đề xuất").click()
    page.get_by_text("Đã ghi nhận xét và mức đề xuất cho Lê Minh Đức.").wait_for()
    assert "Hoàn thành tốt nhiệm vụ" in page.locator("#proposed-level").inner_text()
    shot(page, "rating-2-proposed")
    page.context.close()

    page = new_page(browser)
    log_in(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/xep-loai/phieu/{rating.pk}/")
    assert page.get_by_label("Quyết định xếp loại").input_value() == "htt"
    page.get_by_role("button", name="Quyết định xếp loại").click()
    page.get_by_text("Đã quyết định xếp loại của Lê Minh Đức.").wait_for()
    assert page.locator("#decided-level").inner_text().strip().endswith("Hoàn thành tốt nhiệm vụ")
    assert page.get_by_text("phiếu đã khóa").count() == 1
    assert page.get_by_role("button", name="Quyết định xếp loại").count() == 0
    shot(page, "rating-3-decided")
    rating.refresh_from_db()
    assert (rating.status, rating.decided_level, rating.general_points) == (Rating.Status.DECIDED, "htt", 27)

    # The year's titles: the 2019 decision of the demo, printed from the emulation page.
    decided = Round.objects.get(agency=round_.agency, year=2019)
    assert decided.titles_decided
    page.goto(f"{live_server.url}/xep-loai/{decided.pk}/thi-dua/")
    shot(page, "rating-4-titles")
    section = page.locator("#quyet-dinh")
    pdf_link = section.get_by_role("link", name="PDF")
    response = page.request.get(live_server.url + pdf_link.first.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "rating-quyet-dinh-danh-hieu.pdf").write_bytes(response.body())
    with page.expect_download() as download:
        section.get_by_role("link", name="Word").first.click()
    with open(download.value.path(), "rb") as handle:
        document = WordDocument(io.BytesIO(handle.read()))
    text = "\n".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )
    assert "công nhận danh hiệu thi đua năm 2019" in text
    assert decided.decision_number in text
    awarded = decided.nominations.filter(awarded=True, person__isnull=False).select_related("person").first()
    assert awarded.person.full_name in text
    page.context.close()
