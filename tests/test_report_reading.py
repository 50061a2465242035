"""The periodic report as a văn thư reads and signs it: measured in the PDF and the DOCX the engine
produces (the end mark "./.", the body's reference to its annex, "Kính gửi", the dates written as
Phụ lục I asks, number and date left to the signing), and the second report of a period."""

import io
import re
import unicodedata

import docx
import pdfplumber
import pytest
from django.urls import reverse

from cchc import formatting
from cchc.printing.docx import render_docx
from cchc.printing.pdf import render_pdf
from reports.document import ANNEX_REFERENCE, build_report_document
from reports.models import PeriodicReport, PeriodicReportChange
from reports.services import report_create, report_update
from tests.conftest import client_for
from tests.test_reports import D, history, no_evidence_rule, on_day  # noqa: F401 (fixtures)

ADDRESSEES = "Ủy ban nhân dân tỉnh Vĩnh Phúc\nSở Nội vụ tỉnh Vĩnh Phúc"
# A date written with the zeros NĐ 30 does not give: a month from 3 on with a leading zero ("14/06/2019").
ZERO_PADDED_MONTH = re.compile(r"\b\d{1,2}/0[3-9]/\d{4}\b")


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture
def report(plan, clerk, history):  # noqa: F811
    with on_day(2019, 6, 18):
        report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    return report_update(
        report=report, by=clerk, addressees=ADDRESSEES, proposals="Đề nghị Sở Nội vụ tập huấn nghiệp vụ"
    )


@pytest.fixture
def pdf(report):
    with pdfplumber.open(io.BytesIO(render_pdf(build_report_document(report)))) as opened:
        yield opened


@pytest.fixture
def word(report):
    return docx.Document(io.BytesIO(render_docx(build_report_document(report))))


def body_pages(pdf) -> list:
    """The pages of the report itself (portrait), without its landscape annex."""
    return [page for page in pdf.pages if page.width < page.height]


def body_text(pdf) -> str:
    return normalized(" ".join(page.extract_text() or "" for page in body_pages(pdf)))


def word_texts(word) -> list[str]:
    """Every paragraph of the Word file in reading order, table cells included, without empty ones."""
    texts = []
    for element in word.element.body.iter():
        if element.tag.endswith("}p"):
            text = normalized("".join(node.text or "" for node in element.iter() if node.tag.endswith("}t")))
            if text:
                texts.append(text)
    return texts


# 1. "./." ------------------------------------------------------------------------------------------


def test_the_text_ends_with_the_end_mark_in_the_pdf(pdf):
    text = body_text(pdf)
    assert text.count("./.") == 1
    ending = text.index("./.")
    assert text.index("IV. ĐỀ XUẤT, KIẾN NGHỊ") < ending < text.index("Nơi nhận:")
    assert "Đề nghị Sở Nội vụ tập huấn nghiệp vụ./." in text


def test_the_text_ends_with_the_end_mark_in_the_docx(word):
    texts = word_texts(word)
    marked = [index for index, text in enumerate(texts) if text.endswith("./.")]
    assert [texts[index] for index in marked] == ["Đề nghị Sở Nội vụ tập huấn nghiệp vụ./."]
    assert marked[0] == texts.index("IV. ĐỀ XUẤT, KIẾN NGHỊ") + 1


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("", "Không có./."),
        ("Đề nghị bổ sung kinh phí.", "Đề nghị bổ sung kinh phí./."),
        ("Đề nghị bổ sung kinh phí./.", "Đề nghị bổ sung kinh phí./."),
        ("Đề nghị:\n- bổ sung kinh phí;", "- bổ sung kinh phí./."),
    ],
)
def test_the_end_mark_is_put_once_whatever_the_clerk_typed(report, clerk, typed, printed):
    report = report_update(report=report, by=clerk, proposals=typed)
    assert build_report_document(report).body[-1].text.splitlines()[-1] == printed


# 4. The annex --------------------------------------------------------------------------------------


def test_the_body_sends_the_reader_to_the_annex_in_the_pdf(pdf):
    pages = body_pages(pdf)
    text = body_text(pdf)
    assert (
        ANNEX_REFERENCE
        == "Tình hình thực hiện, kết quả của từng nhiệm vụ chi tiết tại Phụ lục kèm theo Báo cáo này."
    )
    assert ANNEX_REFERENCE in text
    # after the figures table (its last row "Tổng cộng"), before the first area
    assert text.index("Tổng cộng") < text.index(ANNEX_REFERENCE) < text.index("2. ")
    assert "PHỤ LỤC" in normalized(pdf.pages[len(pages)].extract_text()).upper()


def test_the_body_sends_the_reader_to_the_annex_in_the_docx(word):
    texts = word_texts(word)
    position = texts.index(ANNEX_REFERENCE)
    assert texts.index("1. Tình hình thực hiện các nhiệm vụ của kế hoạch") < position
    assert "Tổng cộng" in texts[:position]


def test_a_report_without_tasks_does_not_refer_to_an_annex(plan, clerk):
    report = report_create(plan=plan, by=clerk, period="q1", year=2019)
    texts = [getattr(block, "text", "") for block in build_report_document(report).body]
    assert ANNEX_REFERENCE not in texts


# 5. Kính gửi ---------------------------------------------------------------------------------------


def test_the_addressees_reach_the_document(report):
    assert build_report_document(report).addressees == (
        "Ủy ban nhân dân tỉnh Vĩnh Phúc",
        "Sở Nội vụ tỉnh Vĩnh Phúc",
    )


def test_the_addressees_are_printed_in_the_pdf_and_the_docx(pdf, word):
    first = normalized(pdf.pages[0].extract_text())
    assert "Kính gửi" in first
    assert "Ủy ban nhân dân tỉnh Vĩnh Phúc" in first and "Sở Nội vụ tỉnh Vĩnh Phúc" in first
    texts = " ".join(word_texts(word))
    assert "Kính gửi" in texts and "Sở Nội vụ tỉnh Vĩnh Phúc" in texts


def test_the_forms_and_the_page_carry_the_addressees(plan, clerk, history):  # noqa: F811
    client = client_for(clerk)
    create = client.get(reverse("reports:create", args=[plan.pk])).context["form"]
    assert create.fields["addressees"].help_text.startswith("Báo cáo gửi cấp trên: mỗi dòng một nơi nhận")
    assert create.initial.get("addressees", "") == ""
    response = client.post(
        reverse("reports:create", args=[plan.pk]),
        {"period": "half_year", "year": "2019", "symbol": "BC-SKHĐT", "addressees": ADDRESSEES},
    )
    report = PeriodicReport.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.addressee_list() == ["Ủy ban nhân dân tỉnh Vĩnh Phúc", "Sở Nội vụ tỉnh Vĩnh Phúc"]
    edit = client.get(reverse("reports:update", args=[report.pk]))
    assert "Báo cáo gửi cấp trên" in edit.content.decode()
    assert edit.context["form"]["addressees"].value() == ADDRESSEES
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Kính gửi: Ủy ban nhân dân tỉnh Vĩnh Phúc; Sở Nội vụ tỉnh Vĩnh Phúc" in page


# 9. Dates ------------------------------------------------------------------------------------------


def test_text_dates_follow_the_rule_of_the_header():
    assert formatting.text_date(D(2012, 7, 19)) == "ngày 19 tháng 7 năm 2012"
    assert formatting.text_date(D(2020, 1, 5)) == "ngày 05 tháng 01 năm 2020"
    assert formatting.text_date(None, year=2026, blank="  ") == "ngày  tháng  năm 2026"
    assert formatting.text_date(None) == "ngày … tháng … năm …"
    assert formatting.text_date_range(D(2018, 12, 15), D(2019, 6, 14)) == (
        "từ ngày 15 tháng 12 năm 2018 đến ngày 14 tháng 6 năm 2019"
    )


def test_the_body_writes_its_dates_in_full_in_the_pdf(pdf):
    text = body_text(pdf)
    assert "(số liệu từ ngày 15 tháng 12 năm 2018 đến ngày 14 tháng 6 năm 2019)" in text
    assert "Đến ngày 14 tháng 6 năm 2019:" in text
    assert not ZERO_PADDED_MONTH.findall(text)


def test_the_body_writes_its_dates_in_full_in_the_docx(word):
    texts = " ".join(word_texts(word))
    assert "(số liệu từ ngày 15 tháng 12 năm 2018 đến ngày 14 tháng 6 năm 2019)" in texts
    assert "Đến ngày 14 tháng 6 năm 2019:" in texts
    assert not ZERO_PADDED_MONTH.findall(texts)


def test_the_annex_names_the_report_with_its_date_in_full(report, clerk):
    with on_day(2019, 6, 18):
        report = report_update(report=report, by=clerk, number=8, issued_on=D(2019, 6, 18))
    document = build_report_document(report)
    assert document.appendices[0].attached_to == (
        "(Kèm theo Báo cáo số 08/BC-SKHĐT ngày 18 tháng 6 năm 2019 của Sở Kế hoạch và Đầu tư)"
    )
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        annex = normalized(" ".join(page.extract_text() for page in pdf.pages if page.width > page.height))
    assert "Kèm theo Báo cáo số 08/BC-SKHĐT ngày 18 tháng 6 năm 2019" in annex


# 10. Number and date at signing -----------------------------------------------------------------------


def test_a_new_report_prints_blank_number_and_date(plan, clerk, history):  # noqa: F811
    client = client_for(clerk)
    with on_day(2019, 6, 18):
        form = client.get(reverse("reports:create", args=[plan.pk])).context["form"]
        data = {name: value for name, value in form.initial.items() if value is not None}
        client.post(reverse("reports:create", args=[plan.pk]), {**data, "year": "2019"})
    report = PeriodicReport.objects.get()
    assert (report.number, report.issued_on) == (None, None)
    document = build_report_document(report)
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        first = normalized(pdf.pages[0].extract_text())
    assert "Số: /BC-SKHĐT" in first and "Số: 01/" not in first
    assert "Vĩnh Phúc, ngày tháng năm 2019" in first
    header = " ".join(word_texts(docx.Document(io.BytesIO(render_docx(document))))[:8])
    assert "Số: /BC-SKHĐT" in header and "ngày tháng năm 2019" in header


# A second report of the same period -------------------------------------------------------------------


def test_a_second_report_of_the_period_names_the_first_and_writes_nothing(plan, clerk, history):  # noqa: F811
    first = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    response = client_for(clerk).post(
        reverse("reports:create", args=[plan.pk]),
        {"period": "half_year", "year": "2019", "symbol": "BC-SKHĐT"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("reports:detail", args=[first.pk])}"' in page
    assert "Kỳ này đã có Báo cáo 6 tháng đầu năm 2019 (dự thảo)" in page
    assert "Lý do lập báo cáo thay thế" in page and "Lập báo cáo thay thế" in page
    assert PeriodicReport.objects.count() == 1 and first.changes.count() == 1


def test_a_replacement_records_its_reason_in_both_histories(plan, clerk, history):  # noqa: F811
    first = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    response = client_for(clerk).post(
        reverse("reports:create", args=[plan.pk]),
        {
            "period": "half_year",
            "year": "2019",
            "symbol": "BC-SKHĐT",
            "replace_reason": "Số liệu của bản trước thiếu   nhiệm vụ của Phòng Đăng ký kinh doanh.",
        },
    )
    second = PeriodicReport.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("reports:detail", args=[second.pk])
    reason = {
        "field": "lý do thay thế",
        "old": "",
        "new": "Số liệu của bản trước thiếu nhiệm vụ của Phòng Đăng ký kinh doanh.",
    }
    created = second.changes.get()
    assert (
        created.action
        == "Lập dự thảo báo cáo 6 tháng đầu năm 2019 thay thế Báo cáo 6 tháng đầu năm 2019 (dự thảo)"
    )
    assert created.changes == [reason]
    replaced = first.changes.order_by("-pk").first()
    assert replaced.action.startswith("Được thay thế bởi dự thảo báo cáo 6 tháng đầu năm 2019")
    assert replaced.changes == [reason]
    page = client_for(clerk).get(reverse("reports:detail", args=[first.pk])).content.decode()
    assert "Được thay thế bởi dự thảo báo cáo" in page and "thiếu nhiệm vụ của Phòng Đăng ký" in page


def test_a_custom_range_over_the_same_days_is_a_second_report(plan, clerk, history):  # noqa: F811
    report_create(plan=plan, by=clerk, period="custom", starts_on=D(2019, 2, 1), ends_on=D(2019, 4, 30))
    response = client_for(clerk).post(
        reverse("reports:create", args=[plan.pk]),
        {
            "period": "custom",
            "year": "2019",
            "starts_on": "01/02/2019",
            "ends_on": "30/04/2019",
            "symbol": "BC-SKHĐT",
        },
    )
    assert response.status_code == 200 and PeriodicReport.objects.count() == 1
    other = client_for(clerk).post(
        reverse("reports:create", args=[plan.pk]),
        {
            "period": "custom",
            "year": "2019",
            "starts_on": "01/02/2019",
            "ends_on": "31/05/2019",
            "symbol": "BC-SKHĐT",
        },
    )
    assert other.status_code == 302 and PeriodicReport.objects.count() == 2


def test_a_too_long_reason_is_refused_and_nothing_is_written(plan, clerk, history):  # noqa: F811
    first = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    response = client_for(clerk).post(
        reverse("reports:create", args=[plan.pk]),
        {"period": "half_year", "year": "2019", "symbol": "BC-SKHĐT", "replace_reason": "x" * 501},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["replace_reason"] == ["Lý do dài tối đa 500 ký tự."]
    assert "Lý do dài tối đa 500 ký tự." in response.content.decode()
    assert (
        PeriodicReport.objects.count() == 1 and PeriodicReportChange.objects.filter(report=first).count() == 1
    )


def test_the_service_refuses_a_second_report_without_a_reason(plan, clerk, history):  # noqa: F811
    from django.core.exceptions import ValidationError

    report_create(plan=plan, by=clerk, period="q1", year=2019)
    with pytest.raises(ValidationError) as refused:
        report_create(plan=plan, by=clerk, period="q1", year=2019, replace_reason="   ")
    assert refused.value.message_dict["replace_reason"][0].startswith("Kỳ này đã có Báo cáo quý I năm 2019")
    assert PeriodicReport.objects.count() == 1
