"""The printed documents of a rating round: the summary of the results (an agency's or a department's,
with the list annex), the decision recognising the titles and a person's rating form, in PDF, DOCX and
XLSX; drafts until decided; and who may print which."""

import datetime
import io
from decimal import Decimal

import pdfplumber
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Department, Role
from cchc import jobs
from cchc.printing import files, registry
from cchc.printing.document import BLANK
from ratings import services
from ratings.models import Level, Nomination, Rating, Title
from ratings.rules import defaults_for
from tests.conftest import client_for, make_user
from tests.test_evaluation_documents import (
    assert_inside_the_margins,
    docx_text,
    normalized,
    pdf_of,
    pdf_text,
    sheets_of,
)
from tests.test_ratings import year  # noqa: F401 – the fixture: Phòng ĐKKD's tasks of 2019

D = Decimal
DECIDED_AT = datetime.datetime(2019, 12, 16, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture
def people(staff, dept_head, clerk, leader):
    for user, name, position in (
        (staff, "Nguyễn Văn An", "Chuyên viên"),
        (dept_head, "Trần Thị Bích", "Trưởng phòng"),
        (leader, "Lê Văn Cường", "Phó Giám đốc"),
    ):
        user.full_name, user.position = name, position
        user.save(update_fields=["full_name", "position"])
    return {"staff": staff, "head": dept_head, "clerk": clerk, "leader": leader}


@pytest.fixture
def round_(year, agency, people):  # noqa: F811 – the fixture imported above
    """A 2019 round rated by points (the 2026 rules): the staff member's record is 4 assigned, 3 done,
    2 meeting requirements, 2 on time: 15 + 15 + 10 = 40 task points."""
    return services.round_create(agency=agency, year=2019, by=people["clerk"], **defaults_for(2026))


def rating_of(round_, user):
    return round_.ratings.get(person=user)


def rate_staff(round_, people, *, decide=True):
    """22,5 general points + 40 task points = 62,5: HTNV."""
    rating = rating_of(round_, people["staff"])
    services.self_assess(
        rating,
        by=people["staff"],
        self_review="Hoàn thành phần lớn nhiệm vụ.",
        self_level=Level.HTT,
        submit=True,
    )
    services.propose(
        rating, by=people["head"], level=Level.HTNV, comment="Còn chậm tiến độ.", general_points=D("22.5")
    )
    if decide:
        with time_machine.travel(DECIDED_AT, tick=False):
            services.decide(rating, by=people["leader"], level=Level.HTNV)
    return rating_of(round_, people["staff"])


def rate_everyone(round_, people):
    rate_staff(round_, people)
    head = rating_of(round_, people["head"])
    services.self_assess(
        head, by=people["head"], self_review="Điều hành phòng.", self_level=Level.HTT, submit=True
    )
    services.propose(
        head,
        by=people["leader"],
        level=Level.HTT,
        comment="Điều hành tốt.",
        reason="Phòng hoàn thành các nhiệm vụ trọng tâm.",
        general_points=D(30),
    )
    clerk = rating_of(round_, people["clerk"])
    services.set_time_worked(clerk, by=people["clerk"], months_worked=D(5), maternity=False)
    clerk.status = clerk.Status.SUBMITTED  # not rated: no self-assessed level to send
    clerk.save(update_fields=["status"])
    services.propose(
        clerk,
        by=people["leader"],
        level="",
        comment="Mới chuyển công tác.",
        general_points=D(25),
        entered_task_points=D(50),
    )
    with time_machine.travel(DECIDED_AT, tick=False):
        services.decide(head, by=people["leader"], level=Level.HTT)
        services.decide(clerk, by=people["leader"], level="")
    round_.refresh_from_db()
    return round_


def table_after(rows, header_start):
    start = next(index for index, row in enumerate(rows) if row and row[0] == header_start)
    return rows[start:]


# The summary ---------------------------------------------------------------------------------------


def test_the_summary_of_a_decided_round_counts_the_levels_and_lists_everyone(round_, people):
    round_ = rate_everyone(round_, people)
    assert registry.get("rating_summary").problems(round_) == []
    document = registry.get("rating_summary").build(round_)
    assert not document.draft
    assert document.date_text == "Vĩnh Phúc, ngày 16 tháng 12 năm 2019"
    assert (document.signature.authority, document.signature.position, document.signature.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Văn Cường",
    )
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
        assert_inside_the_margins(pdf)
        annex = normalized(" ".join(page.extract_text() for page in pdf.pages[1:]))
    for printed in (text, docx_text(document)):
        assert "BÁO CÁO" in printed
        assert "Tổng hợp kết quả đánh giá, xếp loại chất lượng công chức, viên chức năm 2019" in printed
        assert "Số: /BC-SKHĐT" in printed
        assert "Tổng số người được đánh giá: 3 người" in printed
        assert "- Hoàn thành tốt nhiệm vụ (HTT): 1 người;" in printed
        assert "- Hoàn thành nhiệm vụ (HTNV): 1 người;" in printed
        assert "- Hoàn thành xuất sắc nhiệm vụ (HTXS): 0 người;" in printed
        assert (
            "- Không xếp loại: 1 người (Phùng Thị Vân Quỳnh: Thời gian công tác trong năm 5 tháng, chưa đủ 6 "
            "tháng)." in printed
        )
        assert "0 người HTXS trên 1 người HTT; tối đa 20 % số HTT (0 người)" in printed
        assert "tại Phụ lục kèm theo Báo cáo này./." in printed
        assert "DỰ THẢO" not in printed
    assert "Nguyễn Văn An" in annex
    assert "4 3 2 2 22,5 40 62,5 HTT HTNV HTNV" in annex  # the record, points and levels on one line
    [sheet] = sheets_of(document).values()
    rows = table_after(sheet, "STT")
    assert rows[0][:4] == ("STT", "Họ và tên", "Chức vụ", "Phòng")
    assert rows[0][-3:] == ("Tự xếp loại", "Đề xuất", "Kết quả xếp loại")
    named = {row[1]: row for row in rows[1:] if row[2] is not None or row[3] is not None}
    assert named["Nguyễn Văn An"][4:] == ("4", "3", "2", "2", "22,5", "40", "62,5", "HTT", "HTNV", "HTNV")
    assert named["Trần Thị Bích"][-1] == "HTT"
    assert (
        named["Phùng Thị Vân Quỳnh"][-1]
        == "Không xếp loại (Thời gian công tác trong năm 5 tháng, chưa đủ 6 tháng)"
    )
    groups = [row[0] for row in rows[1:] if row[2] is None and row[3] is None]
    assert groups == ["I", "II"]  # Văn phòng Sở, then Phòng Đăng ký kinh doanh


def test_the_summary_is_a_draft_until_every_listed_rating_is_decided(round_, people, department):
    rate_staff(round_, people)
    # the department's staff member is decided, its head not yet: a draft for the department too
    assert registry.get("rating_summary").build(round_, department=department.pk).draft
    document = registry.get("rating_summary").build(round_)
    assert document.draft and document.date is None
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
    assert "DỰ THẢO" in text
    assert "Vĩnh Phúc, ngày tháng năm 2019" in text
    assert "Chưa có quyết định xếp loại: 2 người" in text
    assert document.appendices[0].attached_to == (
        f"(Kèm theo Báo cáo số{BLANK}/BC-SKHĐT ngày{BLANK}tháng{BLANK}năm 2019 của Sở Kế hoạch và Đầu tư)"
    )


def test_a_departments_summary_lists_only_its_people_without_the_department_column(
    round_, people, department
):
    round_ = rate_everyone(round_, people)
    document = registry.get("rating_summary").build(round_, department=department.pk)
    assert not document.draft
    [sheet] = sheets_of(document).values()
    rows = table_after(sheet, "STT")
    assert "Phòng" not in rows[0]
    names = [row[1] for row in rows[1:] if row[2] is not None]
    assert names == ["Trần Thị Bích", "Nguyễn Văn An"]  # the head first
    printed = docx_text(document)
    assert (
        "tổng hợp kết quả đánh giá, xếp loại của Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư" in printed
    )
    assert "Tổng số người được đánh giá: 2 người" in printed


def test_the_cap_line_gives_the_recorded_reason_when_htxs_exceeds_it(round_, people):
    rating = rating_of(round_, people["staff"])
    services.self_assess(
        rating, by=people["staff"], self_review="Xuất sắc.", self_level=Level.HTXS, submit=True
    )
    services.propose(
        rating,
        by=people["head"],
        level=Level.HTXS,
        comment="Vượt tiến độ.",
        reason="Có sáng kiến cải cách thủ tục.",
        general_points=D(30),
    )
    services.justify_cap(round_, by=people["leader"], text="Đơn vị có thành tích đột xuất.")
    document = registry.get("rating_summary").build(round_)
    printed = docx_text(document)
    assert "1 người HTXS trên 0 người HTT; tối đa 20 % số HTT (0 người)" in printed
    assert "Số HTXS vượt tỷ lệ 20 % số HTT; lý do: Đơn vị có thành tích đột xuất." in printed


def test_a_decided_summary_whose_signer_has_no_position_is_refused(round_, people):
    round_ = rate_everyone(round_, people)
    people["leader"].position = ""
    people["leader"].save(update_fields=["position"])
    assert registry.get("rating_summary").problems(round_) == [
        "Chưa có chức vụ của người ký (Lê Văn Cường) trong hồ sơ người dùng."
    ]
    response = client_for(people["leader"]).get(reverse("ratings:summary_print", args=[round_.pk, "pdf"]))
    assert response.status_code == 409


# The decision recognising the titles -----------------------------------------------------------------


def test_the_decision_drafts_the_proposed_titles_then_prints_the_awarded_ones(round_, people):
    round_ = rate_everyone(round_, people)
    services.nominate(round_, by=people["clerk"], title=Title.LDTT, person=people["head"])
    draft = registry.get("rating_decision").build(round_)
    assert draft.draft and draft.date is None
    assert draft.number_line == f"Số:{BLANK}/QĐ-SKHĐT"
    assert "ĐỀ NGHỊ CÔNG NHẬN" in draft.appendices[0].title.upper()
    with pdf_of(draft) as pdf:
        text = pdf_text(pdf)
    assert "DỰ THẢO" in text
    assert "Vĩnh Phúc, ngày tháng năm 2019" in text
    assert "1 Trần Thị Bích Trưởng phòng Phòng Đăng ký kinh doanh" in text

    services.decide_titles(
        round_, by=people["leader"], number="15/QĐ-SKHĐT", date=datetime.date(2019, 12, 20)
    )
    round_.refresh_from_db()
    assert registry.get("rating_decision").problems(round_) == []
    document = registry.get("rating_decision").build(round_)
    assert not document.draft
    assert document.number_line == "Số: 15/QĐ-SKHĐT"
    assert document.date_text == "Vĩnh Phúc, ngày 20 tháng 12 năm 2019"
    assert document.signature.authority == "KT. GIÁM ĐỐC"
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
        assert_inside_the_margins(pdf)
        annex = normalized(pdf.pages[-1].extract_text())
    assert document.authority == "GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ"
    assert document.legal_bases[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert document.enacting == "QUYẾT ĐỊNH:"
    assert [block.lead for block in document.body if block.lead] == ["Điều 1.", "Điều 2.", "Điều 3."]
    for printed in (text, docx_text(document)):
        assert (
            "Về việc công nhận danh hiệu thi đua năm 2019 GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ "
            "Căn cứ Luật Thi đua, khen thưởng" in printed
        )
        assert "Khen thưởng Sở Kế hoạch và Đầu tư. QUYẾT ĐỊNH: Điều 1. Công nhận danh hiệu thi đua" in printed
        assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in printed
        assert "Nghị định số 98/2023/NĐ-CP" in printed
        assert "Xét đề nghị của Hội đồng Thi đua - Khen thưởng Sở Kế hoạch và Đầu tư." in printed
        assert "- Danh hiệu “Lao động tiên tiến”: 1 cá nhân." in printed
        assert "(có danh sách kèm theo)" in printed
        assert "chịu trách nhiệm thi hành Quyết định này./." in printed
        assert "- Như Điều 3;" in printed
        assert "DỰ THẢO" not in printed
    assert "(Kèm theo Quyết định số 15/QĐ-SKHĐT ngày 20 tháng 12 năm 2019 của Sở Kế hoạch và Đầu tư)" in annex
    assert "1 Trần Thị Bích Trưởng phòng Phòng Đăng ký kinh doanh" in annex
    [sheet] = sheets_of(document).values()
    rows = table_after(sheet, "STT")
    assert rows[0] == ("STT", "Họ và tên / Tập thể", "Chức vụ", "Đơn vị")
    assert ("1", "Trần Thị Bích", "Trưởng phòng", "Phòng Đăng ký kinh doanh") in rows


def test_the_decisions_list_puts_the_collective_titles_first(round_, people, department):
    round_ = rate_everyone(round_, people)
    services.set_unit_level(round_, department=department, level=Level.HTT, by=people["leader"])
    services.nominate(round_, by=people["clerk"], title=Title.LDTT, person=people["head"])
    # not yet eligible (50 % of its people Lao động tiên tiến): created as it stands, for the order only
    Nomination.objects.create(
        round=round_, title=Title.TT_LDTT, department=department, proposed_by=people["clerk"]
    )
    document = registry.get("rating_decision").build(round_)
    [table] = document.appendices[0].blocks
    groups = [row.text for row in table.rows if not isinstance(row, tuple)]
    assert groups == ["Danh hiệu “Tập thể lao động tiên tiến”", "Danh hiệu “Lao động tiên tiến”"]


# A person's form -------------------------------------------------------------------------------------


def test_the_form_shows_the_points_with_their_formulas_and_the_decision(round_, people):
    rating = rate_staff(round_, people)
    assert registry.get("rating_form").problems(rating) == []
    document = registry.get("rating_form").build(rating)
    assert not document.draft
    with pdf_of(document) as pdf:
        text = pdf_text(pdf)
        assert_inside_the_margins(pdf)
    for printed in (text, docx_text(document)):
        assert "PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG" in printed
        assert "Công chức, viên chức năm 2019" in printed
        assert "Họ và tên: Nguyễn Văn An" in printed
        assert "Chức vụ, chức danh: Chuyên viên" in printed
        assert "Đơn vị công tác: Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư" in printed
        assert "Tiêu chí chung 30 22,5" in printed
        assert "Hoàn thành: 3/4 × 20 = 15" in printed
        assert "Hoàn thành đạt yêu cầu: 2/4 × 30 = 15" in printed
        assert "Hoàn thành đúng hạn hoặc trước hạn: 2/4 × 20 = 10" in printed
        assert "TỔNG CỘNG 100 62,5" in printed
        assert "Hoàn thành phần lớn nhiệm vụ." in printed
        assert "Hoàn thành tốt nhiệm vụ (HTT)" in printed  # the self-assessed level
        assert "Còn chậm tiến độ." in printed
        assert "Mức đề xuất: Hoàn thành nhiệm vụ (HTNV)." in printed
        assert "Kết quả xếp loại chất lượng: Hoàn thành nhiệm vụ (HTNV)./." in printed
        assert "DỰ THẢO" not in printed


def test_a_form_not_decided_is_a_draft_and_a_person_not_rated_says_why(round_, people):
    rating = rate_staff(round_, people, decide=False)
    document = registry.get("rating_form").build(rating)
    assert document.draft
    assert "Chưa có quyết định xếp loại./." in docx_text(document)
    round_ = rate_everyone_but_staff(round_, people)
    clerk = rating_of(round_, people["clerk"])
    printed = docx_text(registry.get("rating_form").build(clerk))
    assert "Không xếp loại: Thời gian công tác trong năm 5 tháng, chưa đủ 6 tháng" in printed


def rate_everyone_but_staff(round_, people):
    clerk = rating_of(round_, people["clerk"])
    services.set_time_worked(clerk, by=people["clerk"], months_worked=D(5), maternity=False)
    clerk.status = clerk.Status.SUBMITTED
    clerk.save(update_fields=["status"])
    services.propose(
        clerk,
        by=people["leader"],
        level="",
        comment="Mới chuyển công tác.",
        general_points=D(25),
        entered_task_points=D(50),
    )
    services.decide(clerk, by=people["leader"], level="")
    return round_


def test_the_criteria_scheme_form_shows_the_counts_and_the_general_criteria(agency, year, people):  # noqa: F811
    round_ = services.round_create(agency=agency, year=2019, by=people["clerk"])
    rating = rating_of(round_, people["staff"])
    services.self_assess(
        rating, by=people["staff"], self_review="Tự nhận xét.", self_level=Level.HTT, submit=True
    )
    services.propose(rating, by=people["head"], level=Level.KHTNV, comment="Chậm.", general_met=True)
    printed = docx_text(registry.get("rating_form").build(rating))
    assert "Tiêu chí chung (chính trị tư tưởng, đạo đức, lối sống, tác phong, ý thức kỷ luật) Đạt" in printed
    assert "Số nhiệm vụ: được giao 4" in printed
    assert "Số nhiệm vụ: hoàn thành đúng hạn hoặc trước hạn 2" in printed
    assert "Điểm tối đa" not in printed


# Who may print --------------------------------------------------------------------------------------


def status(user, name, pk, fmt="docx", **query):
    response = client_for(user).get(reverse(f"ratings:{name}", args=[pk, fmt]), query)
    return response.status_code


def test_the_agency_summary_is_for_the_leaders_and_the_office(round_, people, admin_user, outsider, overseer):
    for user in (people["leader"], people["clerk"], admin_user):
        assert status(user, "summary_print", round_.pk) == 200
    for user in (people["head"], people["staff"]):
        assert status(user, "summary_print", round_.pk) == 403
    for user in (outsider, overseer):
        assert status(user, "summary_print", round_.pk) == 404
    assert status(people["leader"], "summary_print", round_.pk, fmt="xlsx") == 200
    assert status(people["leader"], "summary_print", round_.pk, fmt="odt") == 404


def test_a_head_prints_only_their_own_departments_summary(
    round_, people, agency, department, office, other_agency
):
    head = people["head"]
    assert status(head, "summary_print", round_.pk, department=department.pk) == 200
    assert status(head, "summary_print", round_.pk, department=office.pk) == 403
    other_head = make_user("tp.vp", Role.DEPT_HEAD, agency, office)
    assert status(other_head, "summary_print", round_.pk, department=department.pk) == 403
    assert status(people["clerk"], "summary_print", round_.pk, department=department.pk) == 200
    assert status(people["staff"], "summary_print", round_.pk, department=department.pk) == 403
    assert status(head, "summary_print", round_.pk, department="abc") == 404
    foreign = Department.objects.create(agency=other_agency, code="TH", name="Phòng Tổng hợp")
    assert status(people["leader"], "summary_print", round_.pk, department=foreign.pk) == 404


def test_a_person_prints_their_own_form_and_a_head_of_another_department_gets_404(
    round_, people, agency, office
):
    rating = rating_of(round_, people["staff"])
    assert status(people["staff"], "form_print", rating.pk) == 200
    assert status(people["head"], "form_print", rating.pk) == 200
    assert status(people["leader"], "form_print", rating.pk, fmt="pdf") == 200
    assert status(make_user("tp.vp", Role.DEPT_HEAD, agency, office), "form_print", rating.pk) == 404
    assert status(people["clerk"], "form_print", rating_of(round_, people["head"]).pk) == 200
    other = make_user("cv.vp", Role.STAFF, agency, office)
    assert status(other, "form_print", rating.pk) == 404


def test_the_decisions_draft_is_for_the_office_and_the_issued_one_for_everyone(round_, people):
    assert status(people["staff"], "decision_print", round_.pk) == 403
    assert status(people["clerk"], "decision_print", round_.pk) == 200
    round_ = rate_everyone(round_, people)
    services.nominate(round_, by=people["clerk"], title=Title.LDTT, person=people["head"])
    services.decide_titles(
        round_, by=people["leader"], number="15/QĐ-SKHĐT", date=datetime.date(2019, 12, 20)
    )
    assert status(people["staff"], "decision_print", round_.pk) == 200


def test_building_the_summary_takes_the_same_queries_for_more_people(round_, people, agency, department):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            registry.get("rating_summary").build(round_)
        return len(captured)

    before = queries()
    for n in range(4):
        person = make_user(f"cv.them{n}", Role.STAFF, agency, department)
        Rating.objects.create(round=round_, person=person, department=department, position="Chuyên viên")
    assert queries() == before


# Through the render job ------------------------------------------------------------------------------


@pytest.fixture
def queued(monkeypatch):
    """Every PDF goes to a job; the jobs started are kept, for the test to run as the worker."""
    monkeypatch.setattr(files, "PDF_ROWS_IN_REQUEST", 0)
    started = []
    monkeypatch.setattr(jobs.render_document, "delay", lambda *args: started.append(args))
    return started


def pdf_of_response(response):
    return pdfplumber.open(io.BytesIO(b"".join(response.streaming_content)))


def test_the_job_renders_a_persons_form(round_, people, queued):
    rating = rate_staff(round_, people)
    client = client_for(people["staff"])
    url = reverse("ratings:form_print", args=[rating.pk, "pdf"])
    assert client.get(url).status_code == 202
    [(kind, pk, code, key, scope)] = queued
    assert (kind, pk, code, scope) == ("rating_form", rating.pk, "pdf", {})
    jobs.render_document(*queued[0])  # the worker: a Rating has no agency of its own
    response = client.get(url)
    assert response.status_code == 200
    with pdf_of_response(response) as pdf:
        assert "Họ và tên: Nguyễn Văn An" in pdf_text(pdf)


def test_the_job_renders_the_departments_summary_the_page_asked_for(round_, people, department, queued):
    round_ = rate_everyone(round_, people)
    client = client_for(people["head"])
    url = reverse("ratings:summary_print", args=[round_.pk, "pdf"])
    assert client.get(url, {"department": department.pk}).status_code == 202
    [(kind, pk, code, key, scope)] = queued
    assert (kind, pk, scope) == ("rating_summary", round_.pk, {"department": department.pk})
    expected = registry.get("rating_summary").build(round_, department=department.pk)
    assert key == expected.cache_key()
    assert jobs.render_document(*queued[0]) == files.stored_name(key, "pdf")
    response = client.get(url, {"department": department.pk})
    assert response.status_code == 200
    with pdf_of_response(response) as pdf:
        text = pdf_text(pdf)
    assert "xếp loại của Phòng Đăng ký kinh doanh, Sở Kế hoạch và Đầu tư" in text
    assert "Tổng số người được đánh giá: 2 người" in text
    assert "Phùng Thị Vân Quỳnh" not in text  # of the office, not of this department
    # the agency's summary is another file, not rendered yet
    assert client_for(people["leader"]).get(url).status_code == 202
