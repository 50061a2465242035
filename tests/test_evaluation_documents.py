"""The printed documents of a round: a unit's self-assessment report (Báo cáo with its scoring table and
evidence list) and the notice of the results (Thông báo with the ranking), in PDF, DOCX and XLSX; a
draft before the unit submits or the round is finalized."""

import datetime
import io
import unicodedata
from decimal import Decimal

import pdfplumber
import pytest
import time_machine
from django.test import RequestFactory
from docx import Document as WordDocument
from openpyxl import load_workbook

from accounts.models import Department, Role
from cchc.printing import delivery, files, registry
from cchc.printing.document import BLANK, Margins
from evaluations import services
from evaluations.models import Method, Round, Scope, Unit
from evaluations.scoring import TIE_RULE, Node
from tests.conftest import make_user, pdf_upload

D = Decimal
SELF_DAY = datetime.date(2019, 12, 10)
APPRAISAL_DAY = datetime.date(2019, 12, 20)
MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
MARGINS = Margins()  # 20 / 20 / 30 / 15 mm
# Two units tie at 92,93: Thanh tra Sở has more in area I, so it ranks first (TIE_RULE).
SCORES = {
    "ĐKKD": {"I.1": "Có", "I.2": "5,5", "II.1": "38,43", "II.2.1": "20", "II.2.2": "96"},
    "TTr": {"I.1": "Có", "I.2": "6", "II.1": "38,43", "II.2.1": "19,5", "II.2.2": "96"},
}


def tree():
    return [
        Node(
            "I",
            "Công tác chỉ đạo, điều hành",
            D(10),
            Method.GROUP,
            children=[
                Node("1", "Ban hành kế hoạch CCHC năm", D(4), Method.YES_NO, evidence_required=True),
                Node("2", "Kiểm tra công tác cải cách hành chính", D(6), Method.MANUAL),
            ],
        ),
        Node(
            "II",
            "Cải cách thủ tục hành chính",
            D(90),
            Method.GROUP,
            children=[
                Node("1", "Công khai thủ tục hành chính", D(40), Method.MANUAL),
                Node(
                    "2",
                    "Giải quyết thủ tục hành chính",
                    D(50),
                    Method.GROUP,
                    children=[
                        Node("2.1", "Tiếp nhận hồ sơ trực tuyến", D(25), Method.MANUAL),
                        Node(
                            "2.2",
                            "Hồ sơ giải quyết đúng hạn",
                            D(25),
                            Method.THRESHOLDS,
                            thresholds=[[95, 1], [80, "0.5"], [0, 0]],
                        ),
                    ],
                ),
            ],
        ),
    ]


@pytest.fixture
def organiser(agency):
    return make_user("giamdoc", Role.LEADER, agency, full_name="Nguyễn Văn Bình", position="Phó Giám đốc")


@pytest.fixture
def inspection(agency):
    return Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=3)


@pytest.fixture
def round_(agency, organiser, department, inspection, office):
    rubric = services.rubric_create(
        name="Bộ tiêu chí của Sở",
        scope=Scope.DEPARTMENTS,
        total_points=D(100),
        criteria=tree(),
        agency=agency,
    )
    appraiser = make_user("thamdinh", Role.LEADER, agency, full_name="Người thẩm định")
    round_ = services.round_create(
        agency=agency,
        by=organiser,
        rubric=rubric,
        year=2019,
        title="",
        self_from=datetime.date(2019, 12, 1),
        self_to=datetime.date(2019, 12, 15),
        appraisal_from=datetime.date(2019, 12, 16),
        appraisal_to=datetime.date(2019, 12, 31),
        appraisers=[appraiser],
    )
    services.round_move(round_=round_, by=organiser, move="open")
    return Round.objects.get(pk=round_.pk)


def score_of(unit, path):
    area, *rest = path.split(".")
    return unit.scores.get(criterion__area__label=area, criterion__label=".".join(rest))


def self_assess(round_, department, head_position="Trưởng phòng", submit=True):
    unit = round_.units.get(department=department)
    staff = make_user(f"cv.{department.pk}", Role.STAFF, department.agency, department)
    head = make_user(
        f"tp.{department.pk}",
        Role.DEPT_HEAD,
        department.agency,
        department,
        full_name=f"Trần Thị {department.code}",
        position=head_position,
    )
    for path, value in SCORES[department.code].items():
        services.score_self(
            score=score_of(unit, path), by=staff, value=value, explanation="Có hồ sơ lưu", today=SELF_DAY
        )
    services.evidence_add(
        score=score_of(unit, "I.1"), by=staff, upload=pdf_upload("ke-hoach-cchc-2019.pdf"), today=SELF_DAY
    )
    services.evidence_add(
        score=score_of(unit, "II.1"), by=staff, upload=pdf_upload("danh-muc-tthc.pdf"), today=SELF_DAY
    )
    if submit:
        with time_machine.travel(datetime.datetime(2019, 12, 10, 9, 0, tzinfo=datetime.UTC), tick=False):
            services.unit_submit(unit=unit, by=head, today=SELF_DAY)
    return Unit.objects.get(pk=unit.pk)


def finalize(round_, organiser):
    services.round_move(round_=round_, by=organiser, move="appraise")
    appraiser = round_.appraisers.get()
    for unit in round_.units.filter(status=Unit.Status.SUBMITTED):
        for score in unit.scores.all():
            services.score_appraise(score=score, by=appraiser, value=score.self_points, today=APPRAISAL_DAY)
    services.round_move(round_=round_, by=organiser, move="finalize")
    return Round.objects.get(pk=round_.pk)


def normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_of(document):
    return pdfplumber.open(io.BytesIO(files.render(document, "pdf")))


def pdf_text(pdf) -> str:
    return normalized(" ".join(page.extract_text() for page in pdf.pages))


def docx_text(document) -> str:
    word = WordDocument(io.BytesIO(files.render(document, "docx")))
    parts = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return normalized(" ".join(parts))


def sheets_of(document) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(files.render(document, "xlsx")))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def assert_inside_the_margins(pdf):
    for page in pdf.pages:
        if page.width < page.height:
            assert (page.width, page.height) == pytest.approx(A4, abs=1)
        else:
            assert (page.width, page.height) == pytest.approx(A4[::-1], abs=1)
        left, right = MARGINS.left * MM, page.width - MARGINS.right * MM
        for char in page.chars:
            if char["bottom"] <= MARGINS.top * MM + 0.5:  # the page number, in the top margin
                assert char["text"].isdigit(), (page.page_number, char["text"])
                continue
            assert char["x0"] >= left - 0.5, (page.page_number, char["text"])
            assert char["x1"] <= right + 0.5, (page.page_number, char["text"])
            assert char["bottom"] <= page.height - MARGINS.bottom * MM + 0.5, (page.page_number, char["text"])
    body = [char for char in pdf.pages[0].chars if char["bottom"] > MARGINS.top * MM + 0.5]
    assert 30 * MM - 0.5 <= min(char["x0"] for char in body) <= 35 * MM
    assert 20 * MM - 0.5 <= min(char["top"] for char in body) <= 25 * MM


# The unit's self-assessment report ------------------------------------------------------------------


def test_the_submitted_self_assessment_prints_as_the_units_report(round_, department):
    unit = self_assess(round_, department)
    assert registry.get("evaluation_unit").problems(unit) == []
    document = registry.build("evaluation_unit", unit.pk)
    assert not document.draft
    assert (document.parent_body, document.agency) == ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "PHÒNG ĐĂNG KÝ KINH DOANH")
    assert document.date_text == "Vĩnh Phúc, ngày 10 tháng 12 năm 2019"
    assert (document.signature.authority, document.signature.position, document.signature.name) == (
        "",
        "TRƯỞNG PHÒNG",
        "Trần Thị ĐKKD",
    )
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
        assert_inside_the_margins(pdf)
    for printed in (text, docx_text(document)):
        assert "BÁO CÁO" in printed
        assert "Kết quả tự đánh giá, chấm điểm công tác cải cách hành chính năm 2019" in printed
        assert "Số: /BC-ĐKKD" in printed
        assert "Vĩnh Phúc, ngày 10 tháng 12 năm 2019" in printed
        assert (
            "Phòng Đăng ký kinh doanh tự đánh giá đạt 92,93 điểm, tương ứng mức xếp loại “Xuất sắc”"
            in printed
        )
        assert "đã tự chấm điểm: 5/5; số tài liệu kiểm chứng kèm theo: 2 tệp" in printed
        assert "II. Cải cách thủ tục hành chính: 83,43/90 điểm" in printed
        assert "BẢNG TỰ CHẤM ĐIỂM CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2019" in printed
        assert "DANH MỤC TÀI LIỆU KIỂM CHỨNG" in printed
        assert "ke-hoach-cchc-2019.pdf" in printed
        assert "danh-muc-tthc.pdf" in printed
        assert "TRƯỞNG PHÒNG" in printed
        assert "Trần Thị ĐKKD" in printed
        assert "DỰ THẢO" not in printed


def test_the_scoring_table_shows_areas_with_their_subtotals_and_the_total(round_, department):
    document = registry.build("evaluation_unit", self_assess(round_, department).pk)
    sheets = sheets_of(document)
    assert list(sheets) == ["Phụ lục I", "Phụ lục II"]
    rows = [row for row in sheets["Phụ lục I"] if row[0] is not None or row[1] is not None]
    table = rows[
        rows.index(
            (
                "STT",
                "Tiêu chí, tiêu chí thành phần",
                "Điểm tối đa",
                "Điểm tự đánh giá",
                "Tài liệu kiểm chứng / giải trình",
            )
        )
        + 1 :
    ]
    assert [row[:4] for row in table] == [
        ("I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", "10", "9,5"),
        ("1", "Ban hành kế hoạch CCHC năm", "4", "4"),
        ("2", "Kiểm tra công tác cải cách hành chính", "6", "5,5"),
        ("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "90", "83,43"),
        ("1", "Công khai thủ tục hành chính", "40", "38,43"),
        ("2", "Giải quyết thủ tục hành chính", "50", "45"),
        ("2.1", "Tiếp nhận hồ sơ trực tuyến", "25", "20"),
        ("2.2", "Hồ sơ giải quyết đúng hạn", "25", "25"),
        (None, "TỔNG CỘNG", "100", "92,93"),
    ]
    assert table[1][4].splitlines() == ["Kê khai: Có", "ke-hoach-cchc-2019.pdf", "Có hồ sơ lưu"]
    assert table[7][4].splitlines() == ["Kê khai: 96", "Có hồ sơ lưu"]
    evidence = sheets["Phụ lục II"]
    assert ("1", "I.1. Ban hành kế hoạch CCHC năm", "ke-hoach-cchc-2019.pdf") in evidence
    assert ("2", "II.1. Công khai thủ tục hành chính", "danh-muc-tthc.pdf") in evidence


def test_a_self_assessment_not_yet_submitted_prints_as_a_draft(round_, department):
    unit = self_assess(round_, department, submit=False)
    assert registry.get("evaluation_unit").problems(unit) == []
    document = registry.build("evaluation_unit", unit.pk)
    assert document.draft
    assert document.date is None
    assert document.signature.name == ""
    assert document.signature.position == "TRƯỞNG PHÒNG"
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
    assert "DỰ THẢO" in text
    assert "Vĩnh Phúc, ngày tháng năm 2019" in text


def test_a_submitted_report_whose_signer_has_no_position_is_refused_before_rendering(round_, department):
    unit = self_assess(round_, department, head_position="")
    problems = registry.get("evaluation_unit").problems(unit)
    assert problems == ["Chưa có chức vụ của người ký (Trần Thị ĐKKD) trong hồ sơ người dùng."]
    request = RequestFactory().get("/")
    response = delivery.deliver(request, "evaluation_unit", unit, "pdf", back_url="/", name="Báo cáo")
    assert response.status_code == 409
    assert problems[0] in response.content.decode()


# The notice of the results ------------------------------------------------------------------------


def test_the_finalized_round_prints_its_ranking_as_a_notice(round_, organiser, department, inspection):
    self_assess(round_, department)
    self_assess(round_, inspection)
    round_ = finalize(round_, organiser)
    assert registry.get("evaluation_round").problems(round_) == []
    document = registry.build("evaluation_round", round_.pk)
    assert not document.draft
    assert document.date is None  # finalized, not yet published: the clerk dates it on issue
    assert (document.signature.authority, document.signature.position, document.signature.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Văn Bình",
    )
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
        assert_inside_the_margins(pdf)
        appendix = normalized(pdf.pages[-1].extract_text())
    for printed in (text, docx_text(document)):
        assert "THÔNG BÁO" in printed
        assert "Kết quả đánh giá, chấm điểm công tác cải cách hành chính năm 2019" in printed
        assert "Số: /TB-SKHĐT" in printed
        assert "Bộ tiêu chí “Bộ tiêu chí của Sở”, tổng điểm tối đa 100 điểm, gồm 2 lĩnh vực" in printed
        assert "từ ngày 01 tháng 12 năm 2019 đến ngày 15 tháng 12 năm 2019" in printed
        assert "Xuất sắc: từ 90 điểm trở lên" in printed
        assert "Khá: từ 65 đến dưới 80 điểm" in printed
        assert "Yếu: dưới 50 điểm" in printed
        assert TIE_RULE in printed
        assert "Xếp thứ nhất: Thanh tra Sở với 92,93 điểm" in printed
        assert (
            "Đơn vị chưa nộp bản tự đánh giá (điểm của các tiêu chí chưa chấm tính bằng 0): Văn phòng Sở."
            in printed
        )
        assert "DỰ THẢO" not in printed
    # the ranking: equal totals, Thanh tra Sở first by area I; Văn phòng Sở never submitted
    assert appendix.index("Thanh tra Sở 92,93") < appendix.index("Phòng Đăng ký kinh doanh 92,93")
    assert appendix.index("Phòng Đăng ký kinh doanh 92,93") < appendix.index("Văn phòng Sở 0")
    [sheet] = sheets_of(document).values()
    table = sheet[sheet.index(("Hạng", "Đơn vị", "Tổng điểm", "Xếp loại", "Lĩnh vực I", "Lĩnh vực II")) + 1 :]
    assert table == [
        ("1", "Thanh tra Sở", "92,93", "Xuất sắc", "10", "82,93"),
        ("2", "Phòng Đăng ký kinh doanh", "92,93", "Xuất sắc", "9,5", "83,43"),
        ("3", "Văn phòng Sở", "0", "Yếu", "0", "0"),
    ]


def test_before_it_is_finalized_the_notice_prints_only_as_a_draft(round_, organiser, department):
    self_assess(round_, department)
    printable = registry.get("evaluation_round")
    for status in (Round.Status.SELF_ASSESSMENT, Round.Status.APPRAISAL):
        Round.objects.filter(pk=round_.pk).update(status=status)
        round_.refresh_from_db()
        assert printable.problems(round_) == []
        document = registry.build("evaluation_round", round_.pk)
        assert document.draft
        assert document.date is None
        assert document.number_line.startswith("Số:") and "/TB-SKHĐT" in document.number_line
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
    assert "DỰ THẢO" in text
    assert "Vĩnh Phúc, ngày tháng năm 2019" in text
    assert files.download_name(document, "pdf").endswith("(dự thảo).pdf")


def test_a_published_notice_is_dated_the_day_it_was_published(round_, organiser, department):
    self_assess(round_, department)
    round_ = finalize(round_, organiser)
    with time_machine.travel(datetime.datetime(2020, 1, 15, 3, 0, tzinfo=datetime.UTC), tick=False):
        services.round_move(round_=round_, by=organiser, move="publish")
    document = registry.build("evaluation_round", round_.pk)
    assert document.date_text == "Vĩnh Phúc, ngày 15 tháng 01 năm 2020"
    assert document.appendices[0].attached_to == (
        f"(Kèm theo Thông báo số{BLANK}/TB-SKHĐT ngày 15 tháng 01 năm 2020 của Sở Kế hoạch và Đầu tư)"
    )


def test_a_finalized_notice_whose_signer_has_no_position_is_refused(round_, organiser, department):
    self_assess(round_, department)
    round_ = finalize(round_, organiser)
    organiser.position = ""
    organiser.save(update_fields=["position"])
    assert registry.get("evaluation_round").problems(round_) == [
        "Chưa có chức vụ của người ký (Nguyễn Văn Bình) trong hồ sơ người dùng."
    ]


def test_an_agency_reports_under_its_own_header_signed_by_its_leader(agency, overseer_agency):
    organiser = make_user("gd.snv", Role.LEADER, overseer_agency, position="Giám đốc")
    rubric = services.rubric_create(
        name="Bộ chỉ số của tỉnh", scope=Scope.AGENCIES, total_points=D(100), criteria=tree()
    )
    round_ = services.round_create(
        agency=overseer_agency,
        by=organiser,
        rubric=rubric,
        year=2019,
        title="",
        self_from=datetime.date(2019, 12, 1),
        self_to=datetime.date(2019, 12, 15),
        appraisal_from=datetime.date(2019, 12, 16),
        appraisal_to=datetime.date(2019, 12, 31),
    )
    services.round_move(round_=round_, by=organiser, move="open")
    unit = round_.units.get(agency=agency)
    leader = make_user("gd.skhdt", Role.LEADER, agency, full_name="Lê Văn Cường", position="Giám đốc")
    for path, value in SCORES["ĐKKD"].items():
        services.score_self(
            score=score_of(unit, path), by=leader, value=value, explanation="Có hồ sơ lưu", today=SELF_DAY
        )
    services.unit_submit(unit=unit, by=leader, today=SELF_DAY)
    document = registry.build("evaluation_unit", unit.pk)
    assert (document.parent_body, document.agency) == ("UBND TỈNH VĨNH PHÚC", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")
    assert document.number_line.endswith("/BC-SKHĐT")
    assert (document.signature.position, document.signature.name) == ("GIÁM ĐỐC", "Lê Văn Cường")
    assert document.recipients == ("- Sở Nội vụ;", "- Lưu: VT.")
    assert len(document.appendices) == 1  # no evidence file: no evidence list
    printed = docx_text(document)
    assert "Sở Kế hoạch và Đầu tư tự đánh giá đạt 92,93 điểm" in printed
    assert (
        "Bảng tự chấm điểm, với lời giải trình của từng tiêu chí, tại Phụ lục kèm theo Báo cáo này./."
        in printed
    )


def test_the_notice_states_the_cut_off_of_criteria_counted_from_tasks(round_, department):
    self_assess(round_, department)
    document = registry.build("evaluation_round", round_.pk)
    assert "tính từ kết quả thực hiện nhiệm vụ" not in document.body[0].text
    round_.criteria.filter(label="2", area__label="I").update(method=Method.COMPUTED, measure="completed")
    document = registry.build("evaluation_round", round_.pk)
    assert (
        "Số liệu các tiêu chí tính từ kết quả thực hiện nhiệm vụ được tính đến ngày 31 tháng 12 năm 2019."
        in document.body[0].text
    )


def test_a_ranking_of_seven_areas_is_printed_landscape(agency, organiser, department, office):
    from evaluations.defaults import RUBRICS_DIR, read_rubric_file

    data, nodes = read_rubric_file(RUBRICS_DIR / "department.json")
    rubric = services.rubric_create(
        name=data["name"], scope=Scope.DEPARTMENTS, total_points=data["total_points"], criteria=nodes
    )
    round_ = services.round_create(
        agency=agency,
        by=organiser,
        rubric=rubric,
        year=2019,
        title="",
        self_from=datetime.date(2019, 12, 1),
        self_to=datetime.date(2019, 12, 15),
        appraisal_from=datetime.date(2019, 12, 16),
        appraisal_to=datetime.date(2019, 12, 31),
    )
    document = registry.build("evaluation_round", round_.pk)
    [appendix] = document.appendices
    [table] = appendix.blocks
    assert appendix.landscape
    assert [column.title for column in table.columns][4:] == [
        f"Lĩnh vực {n}" for n in ("I", "II", "III", "IV", "V", "VI", "VII")
    ]
    assert sum(column.width for column in table.columns) == pytest.approx(1, abs=0.001)
    with pdf_of(document) as pdf:
        assert pdf.pages[-1].width > pdf.pages[-1].height
        assert_inside_the_margins(pdf)
