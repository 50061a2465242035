"""The plan as an official document: what tasks.documents.build_plan_document says, before any format."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Agency
from cchc.printing.document import GroupRow, Heading, Paragraph, Table
from plans.models import Plan
from tasks.documents import build_plan_document, plan_print_problems
from tasks.models import Task
from tests.conftest import make_plan, make_task

PURPOSE = "Nâng cao chất lượng, hiệu quả công tác CCHC.\nCông khai, minh bạch thủ tục hành chính."
REQUIREMENTS = "Các phòng thực hiện đúng tiến độ."
ARRANGEMENTS = "Văn phòng Sở theo dõi, đôn đốc.\nCác phòng báo cáo định kỳ."


@pytest.fixture
def full_plan(agency, legal_documents):
    return make_plan(
        agency,
        number=7,
        documents=legal_documents,
        status=Plan.Status.ISSUED,
        issued_on=datetime.date(2019, 2, 5),
        purpose=PURPOSE,
        requirements=REQUIREMENTS,
        arrangements=ARRANGEMENTS,
        recipients="UBND tỉnh (b/c)\nSở Nội vụ (b/c)\nLưu: VT, VP.",
    )


@pytest.fixture
def tasks(full_plan, department, coordinating_department, office, clerk):
    return [
        make_task(full_plan, department, by=clerk, number="2.10", area_position=2, content="Nhiệm vụ 2.10"),
        make_task(full_plan, department, by=clerk, number="2.9", area_position=2, content="Nhiệm vụ 2.9"),
        make_task(
            full_plan,
            office,
            by=clerk,
            number="1.1",
            area_position=0,
            content="Xây dựng Kế hoạch CCHC năm 2019",
            coordinating=[coordinating_department, department],
            expected_output="Kế hoạch được ban hành",
            deadline_text="Tháng 01/2019",
        ),
        make_task(full_plan, department, by=clerk, number="2.11", area_position=2, content="Nhiệm vụ bị hủy"),
    ]


@pytest.fixture
def cancelled(tasks, clerk):
    from tasks import services

    services.task_cancel(task=tasks[3], by=clerk, reason="Không còn phù hợp")
    return tasks


def headings(document, level=None):
    return [b.text for b in document.body if isinstance(b, Heading) and (level is None or b.level == level)]


def paragraphs(document):
    return [b.text for b in document.body if isinstance(b, Paragraph)]


def test_the_header_names_the_parent_body_the_agency_the_number_and_the_date(full_plan):
    document = build_plan_document(full_plan)
    assert document.parent_body == "UBND TỈNH VĨNH PHÚC"
    assert document.agency == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    assert document.number_line == "Số: 07/KH-SKHĐT"
    assert document.place_name == "Vĩnh Phúc"
    assert document.date == datetime.date(2019, 2, 5)
    assert document.type_name == "KẾ HOẠCH"
    assert document.summary == "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư"
    assert document.draft is False
    assert document.title == "Kế hoạch 07/KH-SKHĐT"


def test_without_a_written_parent_body_the_parent_agency_is_printed(province, legal_documents):
    agency = Agency.objects.create(
        code="SXD",
        name="Sở Xây dựng tỉnh Vĩnh Phúc",
        short_name="Sở Xây dựng",
        place_name="Vĩnh Phúc",
        parent=province,
    )
    document = build_plan_document(make_plan(agency, documents=legal_documents))
    assert document.parent_body == "UBND TỈNH VĨNH PHÚC"
    assert document.agency == "SỞ XÂY DỰNG"


def test_legal_bases_are_cited_in_order_each_ending_with_a_semicolon_the_last_with_a_full_stop(full_plan):
    bases = build_plan_document(full_plan).legal_bases
    assert len(bases) == 3
    # dates in full by the header's rule (Phụ lục I): a leading zero for days under 10 and months 1–2 only
    assert bases[0].startswith("Căn cứ Nghị quyết số 30c/NQ-CP ngày 08 tháng 11 năm 2011 của Chính phủ")
    assert bases[1].startswith("Căn cứ Nghị quyết số 36a/NQ-CP ngày 14 tháng 10 năm 2015 của Chính phủ")
    assert bases[2].startswith("Căn cứ Quyết định số 2757/QĐ-UBND ngày 18 tháng 10 năm 2017")
    assert [line[-1] for line in bases] == [";", ";", "."]


def test_signature_and_recipients(full_plan):
    document = build_plan_document(full_plan)
    assert (document.signature.authority, document.signature.position, document.signature.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Thành",
    )
    assert document.recipients == ("- UBND tỉnh (b/c);", "- Sở Nội vụ (b/c);", "- Lưu: VT, VP.")


def test_a_head_signing_directly_has_no_authority_line(agency, legal_documents):
    plan = make_plan(
        agency,
        documents=legal_documents,
        signing_authority="",
        authority_title="",
        signer_position="Giám đốc",
    )
    signature = build_plan_document(plan).signature
    assert (signature.authority, signature.position) == ("", "GIÁM ĐỐC")


def test_the_body_has_aims_tasks_by_area_and_arrangements(full_plan, cancelled):
    document = build_plan_document(full_plan)
    assert headings(document, 1) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NHIỆM VỤ TRỌNG TÂM",
        "III. TỔ CHỨC THỰC HIỆN",
    ]
    assert headings(document, 2) == [
        "1. Mục đích",
        "2. Yêu cầu",
        "1. Công tác chỉ đạo, điều hành cải cách hành chính",
        "2. Cải cách thủ tục hành chính",
    ]
    texts = paragraphs(document)
    assert texts[0].startswith("Sở Kế hoạch và Đầu tư ban hành Kế hoạch cải cách hành chính năm 2019")
    assert PURPOSE in texts and REQUIREMENTS in texts
    task_lines = [text for text in texts if text.startswith("- ")]
    # Area order first, then the tasks' numbers in natural order (2.9 before 2.10); cancelled left out.
    assert task_lines == ["- Xây dựng Kế hoạch CCHC năm 2019.", "- Nhiệm vụ 2.9;", "- Nhiệm vụ 2.10."]
    assert not any("bị hủy" in text for text in texts)
    # The text ends with "./." after the last arrangement.
    assert texts[-1] == "Văn phòng Sở theo dõi, đôn đốc.\nCác phòng báo cáo định kỳ./."


def test_the_appendix_lists_the_tasks_by_area_in_a_landscape_table(full_plan, cancelled):
    (appendix,) = build_plan_document(full_plan).appendices
    assert appendix.label == "Phụ lục"
    assert appendix.title == "DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2019"
    assert (
        appendix.attached_to
        == "(Kèm theo Kế hoạch số 07/KH-SKHĐT ngày 05 tháng 02 năm 2019 của Sở Kế hoạch và Đầu tư)"
    )
    assert appendix.landscape
    (table,) = appendix.blocks
    assert isinstance(table, Table)
    assert [column.title for column in table.columns] == [
        "TT",
        "Nội dung nhiệm vụ",
        "Đơn vị chủ trì",
        "Đơn vị phối hợp",
        "Thời gian hoàn thành",
        "Sản phẩm",
    ]
    assert sum(column.width for column in table.columns) == pytest.approx(1)
    assert table.rows == (
        GroupRow("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
        (
            "1.1",
            "Xây dựng Kế hoạch CCHC năm 2019",
            "Văn phòng Sở",
            "Phòng Đăng ký kinh doanh\nPhòng Tổng hợp, Quy hoạch",
            "Tháng 01/2019",
            "Kế hoạch được ban hành",
        ),
        GroupRow("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
        ("2.9", "Nhiệm vụ 2.9", "Phòng Đăng ký kinh doanh", "", "Quý II/2019", "Báo cáo kết quả rà soát"),
        ("2.10", "Nhiệm vụ 2.10", "Phòng Đăng ký kinh doanh", "", "Quý II/2019", "Báo cáo kết quả rà soát"),
    )
    assert Task.objects.filter(plan=full_plan, state=Task.State.CANCELLED).count() == 1


def test_a_plan_without_tasks_has_no_appendix_and_no_task_section(full_plan):
    document = build_plan_document(full_plan)
    assert document.appendices == ()
    assert headings(document, 1) == ["I. MỤC ĐÍCH, YÊU CẦU", "II. TỔ CHỨC THỰC HIỆN"]


def test_a_draft_prints_with_its_mark_and_blanks_for_number_and_date(draft_plan, department, clerk):
    make_task(draft_plan, department, by=clerk)
    document = build_plan_document(draft_plan)
    assert document.draft is True
    assert document.date is None
    assert document.year == 2019
    assert document.number_line == "Số:      /KH-SKHĐT"
    assert document.appendices[0].attached_to == (
        "(Kèm theo Kế hoạch số      /KH-SKHĐT ngày      tháng      năm 2019 của Sở Kế hoạch và Đầu tư)"
    )


def test_the_number_of_queries_does_not_grow_with_the_tasks(
    full_plan, department, coordinating_department, office, clerk
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            build_plan_document(full_plan)
        return len(queries)

    for number in range(1, 6):
        make_task(
            full_plan, department, by=clerk, number=f"2.{number}", coordinating=[coordinating_department]
        )
    few = count()
    for number in range(6, 51):
        make_task(
            full_plan,
            department,
            by=clerk,
            number=f"2.{number}",
            area_position=number % 7,
            coordinating=[office],
        )
    assert count() == few <= 8


class TestPrintProblems:
    def test_a_complete_issued_plan_has_none(self, plan):
        assert plan_print_problems(plan) == []

    def test_a_draft_needs_nothing(self, draft_plan):
        draft_plan.signer_name = draft_plan.signer_position = draft_plan.recipients = ""
        assert plan_print_problems(draft_plan) == []

    def test_an_issued_plan_names_each_missing_item(self, plan):
        plan.signer_name = ""
        plan.signer_position = ""
        plan.recipients = "  \n"
        plan.issued_on = None
        assert plan_print_problems(plan) == [
            "Kế hoạch chưa có ngày ban hành.",
            "Chưa có họ tên người ký.",
            "Chưa có chức vụ người ký.",
            "Chưa có nơi nhận.",
        ]

    def test_a_closed_plan_is_checked_like_an_issued_one(self, plan):
        plan.status = Plan.Status.CLOSED
        plan.signer_name = ""
        assert plan_print_problems(plan) == ["Chưa có họ tên người ký."]
