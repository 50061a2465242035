"""The evaluation pages through the test client: who sees which round, the new-round form, a unit
self-scoring with evidence and submitting, the appraiser's grid, the round's moves, the ranking as each
sees it, refusals shown where they belong with nothing written, and the pages' queries bounded."""

import datetime
import html
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Department, Role
from evaluations import services
from evaluations.forms import parse_bands, rubric_choices
from evaluations.models import Method, Round, RoundEvent, Scope, Score, ScoreEvidence, Unit
from evaluations.scoring import TIE_RULE, Node
from tests import test_evaluation_computed
from tests.conftest import client_for, make_user, pdf_upload
from tests.test_evaluation_rounds import tree

D = Decimal
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
HTMX = {"HTTP_HX_REQUEST": "true"}


def on_day(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=HANOI), tick=False)


SELF_DAY = datetime.date(2019, 12, 10)
APPRAISAL_DAY = datetime.date(2019, 12, 20)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def rubric(agency):
    return services.rubric_create(
        name="Bộ tiêu chí thử", scope=Scope.DEPARTMENTS, total_points=D(100), criteria=tree(), agency=agency
    )


@pytest.fixture
def second_department(agency):
    return Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=3)


@pytest.fixture
def appraiser(office):
    """A clerk of the office: no organiser, and no scorer of any department unit."""
    return make_user("thamdinh", Role.CLERK, office.agency, office, full_name="Người Thẩm Định")


def new_round(agency, leader, rubric, appraisers=(), *, opened=True):
    with on_day(datetime.date(2019, 11, 25)):
        return _new_round(agency, leader, rubric, appraisers, opened=opened)


def _new_round(agency, leader, rubric, appraisers, *, opened):
    round_ = services.round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=2019,
        title="",
        self_from=datetime.date(2019, 12, 1),
        self_to=datetime.date(2019, 12, 15),
        appraisal_from=datetime.date(2019, 12, 16),
        appraisal_to=datetime.date(2019, 12, 31),
        appraisers=appraisers,
    )
    if opened:
        services.round_move(round_=round_, by=leader, move="open")
    return Round.objects.get(pk=round_.pk)


@pytest.fixture
def round_(agency, leader, rubric, department, second_department, office, appraiser):
    return new_round(agency, leader, rubric, [appraiser])


def unit_of(round_, department) -> Unit:
    return round_.units.get(department=department)


def score_of(unit, path) -> Score:
    area, label = path.split(".")
    return unit.scores.get(criterion__area__label=area, criterion__label=label)


def self_url(score):
    return reverse("evaluations:score_self", args=[score.pk])


def appraise_url(score):
    return reverse("evaluations:score_appraise", args=[score.pk])


# The rounds one sees -----------------------------------------------------------------------------


def test_the_list_shows_each_the_rounds_they_may_see(
    agency, leader, rubric, staff, appraiser, outsider, department, office
):
    draft = new_round(agency, leader, rubric, [appraiser], opened=False)
    listing = reverse("evaluations:list")
    page = text_of(client_for(leader).get(listing))
    assert draft.title in page and "Dự thảo" in page
    assert f'href="{reverse("evaluations:create")}"' in page
    assert draft.title not in text_of(client_for(staff).get(listing))  # a draft is the organisers'

    services.round_move(round_=draft, by=leader, move="open")
    page = text_of(client_for(staff).get(listing))
    assert draft.title in page and "01/12/2019 – 15/12/2019" in page
    assert f'href="{reverse("evaluations:unit", args=[unit_of(draft, department).pk])}"' in page
    assert f'href="{reverse("evaluations:create")}"' not in page
    assert draft.title in text_of(client_for(appraiser).get(listing))
    assert f'href="{reverse("evaluations:queue")}"' in text_of(client_for(appraiser).get(listing))
    assert draft.title not in text_of(client_for(outsider).get(listing))
    assert client_for(outsider).get(reverse("evaluations:detail", args=[draft.pk])).status_code == 404


def test_the_top_bar_offers_the_rounds_to_whoever_works_in_an_agency(staff, leader):
    entry = f'href="{reverse("evaluations:list")}"'
    for person in (staff, leader):
        assert entry in client_for(person).get(reverse("profile")).content.decode()
    assert entry not in client_for(None).get(reverse("login")).content.decode()


# A new round --------------------------------------------------------------------------------------


def round_form(rubric, appraiser, **changes):
    data = {
        "title": "Chấm điểm CCHC các phòng năm 2019",
        "year": "2019",
        "rubric": rubric.pk,
        "self_from": "01/12/2019",
        "self_to": "15/12/2019",
        "appraisal_from": "16/12/2019",
        "appraisal_to": "31/12/2019",
        "cut_off": "",
        "appraisers": [appraiser.pk],
        "bands": "90 Xuất sắc; 80 Tốt; 65 Khá; 50 Trung bình; 0 Yếu",
    }
    data.update(changes)
    return data


def test_an_organiser_creates_a_round_through_the_form(leader, rubric, appraiser, department, office):
    response = client_for(leader).post(
        reverse("evaluations:create"),
        round_form(rubric, appraiser, bands="85,5 Xuất sắc\n60 Đạt; 0 Chưa đạt"),
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluations:detail", args=[round_.pk]
    )
    assert round_.bands == [[85.5, "Xuất sắc"], [60, "Đạt"], [0, "Chưa đạt"]]
    assert (round_.status, round_.scope, round_.cut_off) == (
        "draft",
        Scope.DEPARTMENTS,
        datetime.date(2019, 12, 31),
    )
    assert list(round_.appraisers.all()) == [appraiser]
    assert round_.units.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bands": "90 Xuất sắc; Tốt; 0 Yếu"}, "Mức “Tốt” phải ghi điểm từ rồi tên xếp loại"),
        ({"bands": "90 Xuất sắc; 80 Tốt"}, "Mức xếp loại thấp nhất phải bắt đầu từ 0 điểm."),
        ({"bands": "120 Xuất sắc; 0 Yếu"}, "Mức xếp loại cao nhất không thể vượt tổng điểm 100."),
        ({"self_to": "20/12/2019"}, "Thẩm định bắt đầu sau khi kết thúc tự đánh giá."),
        ({"appraisal_to": "10/12/2019"}, "Ngày kết thúc thẩm định phải sau ngày bắt đầu."),
        ({"self_from": "2019-12-01"}, "Nhập ngày theo dạng dd/mm/yyyy"),
    ],
)
def test_a_refused_round_shows_why_and_writes_nothing(
    leader, rubric, appraiser, department, changes, message
):
    response = client_for(leader).post(
        reverse("evaluations:create"), round_form(rubric, appraiser, **changes)
    )
    assert response.status_code == 200
    assert message in text_of(response)
    assert not Round.objects.exists()


def test_the_form_offers_the_defaults_of_the_scope_and_the_agencys_own(
    agency, other_agency, rubric, overseer
):
    criteria = [Node("I", "Lĩnh vực", D(100), Method.MANUAL)]
    shipped = services.rubric_create(
        name="Mặc định phòng",
        scope=Scope.DEPARTMENTS,
        total_points=D(100),
        criteria=criteria,
        is_default=True,
    )
    province = services.rubric_create(
        name="Mặc định tỉnh", scope=Scope.AGENCIES, total_points=D(100), criteria=criteria, is_default=True
    )
    foreign = services.rubric_create(
        name="Của Sở Tài chính",
        scope=Scope.DEPARTMENTS,
        total_points=D(100),
        criteria=criteria,
        agency=other_agency,
    )
    ours, theirs = set(rubric_choices(agency)), set(rubric_choices(overseer.agency))
    assert {rubric, shipped} <= ours and province not in ours
    assert {shipped, province} <= theirs and rubric not in theirs  # Sở Nội vụ scores the province
    assert foreign not in rubric_choices(agency)


def test_bands_are_read_as_people_write_them():
    assert parse_bands("90 Xuất sắc; 80 Tốt;\n0 Yếu") == [[90, "Xuất sắc"], [80, "Tốt"], [0, "Yếu"]]
    with pytest.raises(ValidationError, match="không phải là một số"):
        parse_bands("9,0,1 Xuất sắc; 0 Yếu")


# The unit's grid ----------------------------------------------------------------------------------


def test_the_grid_shows_each_criterion_with_the_input_its_method_needs(round_, department, staff):
    unit = unit_of(round_, department)
    with on_day(SELF_DAY):
        page = text_of(client_for(staff).get(reverse("evaluations:unit", args=[unit.pk])))
    assert "Đã chấm 0 / 4 tiêu chí" in page
    assert "I. Công tác chỉ đạo, điều hành" in page and "tự đánh giá 0 / 10" in page
    assert "bắt buộc" in page  # I.1 requires its evidence
    plan_row = page[page.index(f'id="tieu-chi-{score_of(unit, "I.1").criterion_id}"') :]
    assert '<select class="form-select form-select-sm" name="value"' in plan_row[:3000]
    assert "Tỷ lệ đạt (%)" in page and "Tỷ lệ tính từ nhiệm vụ" in page
    assert 'type="file" name="upload"' in page
    assert "Điểm thẩm định" not in page  # the appraisal is not the unit's until finalized
    assert "Nộp bản tự đánh giá" not in page  # the head submits


def test_the_flow_from_self_score_to_finalized_through_the_pages(
    round_, department, staff, dept_head, leader, appraiser, outsider
):
    unit = unit_of(round_, department)
    grid = reverse("evaluations:unit", args=[unit.pk])
    with on_day(SELF_DAY):
        person = client_for(staff)
        response = person.post(
            self_url(score_of(unit, "I.1")),
            {"value": "có", "explanation": "", "upload": pdf_upload("ke-hoach.pdf")},
        )
        assert response.status_code == 302
        assert response["Location"] == f"{grid}#tieu-chi-{score_of(unit, 'I.1').criterion_id}"
        person.post(self_url(score_of(unit, "II.1")), {"value": "35,5", "declared": "71/80 TTHC"})
        response = person.post(self_url(score_of(unit, "II.2")), {"value": "90"}, **HTMX)
        assert "<html" not in response.content.decode() and "Đã lưu tiêu chí 2." in text_of(response)
        person.post(self_url(score_of(unit, "I.2")), {"explanation": "Theo số liệu nhiệm vụ"})
        Score.objects.filter(pk=score_of(unit, "I.2").pk).update(self_points=D("4.5"), computed_value=D(75))

        head = client_for(dept_head)
        page = text_of(head.get(grid))
        assert "Đã chấm 4 / 4 tiêu chí" in page and "tự đánh giá 10 / 10" not in page
        assert "Nộp bản tự đánh giá" in page and "ke-hoach.pdf" in page
        assert head.post(reverse("evaluations:submit", args=[unit.pk])).status_code == 302
    unit.refresh_from_db()
    assert unit.status == Unit.Status.SUBMITTED
    assert [score_of(unit, path).self_points for path in ("I.1", "I.2", "II.1", "II.2")] == [
        D(4),
        D("4.5"),
        D("35.5"),
        D(25),
    ]
    assert score_of(unit, "II.1").declared == "71/80 TTHC"

    evidence = ScoreEvidence.objects.get()
    download = reverse("evaluations:evidence", args=[evidence.pk])
    response = client_for(appraiser).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(outsider).get(download).status_code == 404

    client_for(leader).post(reverse("evaluations:move", args=[round_.pk]), {"move": "appraise"})
    with on_day(APPRAISAL_DAY):
        checker = client_for(appraiser)
        queue = text_of(checker.get(reverse("evaluations:queue")))
        assert queue.index("Phòng Đăng ký kinh doanh") < queue.index("Thanh tra Sở")  # submitted first
        assert "69" in queue and "0 / 4" in queue
        page = text_of(checker.get(grid))
        assert 'name="points"' in page and "Trả lại để bổ sung" in page
        for path in ("I.1", "I.2", "II.2"):
            assert checker.post(
                appraise_url(score_of(unit, path)), {"points": score_of(unit, path).self_points}
            )
        response = checker.post(appraise_url(score_of(unit, "II.1")), {"points": "30", "note": ""})
        assert "ghi ý kiến thẩm định" in text_of(response)
        assert score_of(unit, "II.1").appraised_points is None
        response = checker.post(
            appraise_url(score_of(unit, "II.1")), {"points": "30", "note": "Thiếu 2 TTHC chưa công khai"}
        )
        assert response.status_code == 302, text_of(response)[-3000:]
    # the other units, never submitted, count what they self-scored: nothing left to appraise
    response = client_for(leader).post(reverse("evaluations:move", args=[round_.pk]), {"move": "finalize"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALIZED
    page = text_of(client_for(staff).get(grid))
    assert "Thiếu 2 TTHC chưa công khai" in page and ">30</span> điểm" in page
    assert list(RoundEvent.objects.values_list("kind", flat=True)) == [
        "open",
        "submitted",
        "appraise",
        "finalize",
    ]


def test_a_bad_value_shows_its_message_on_its_row_and_writes_nothing(round_, department, staff):
    unit = unit_of(round_, department)
    score = score_of(unit, "II.1")
    with on_day(SELF_DAY):
        response = client_for(staff).post(self_url(score), {"value": "41", "explanation": "Đã công khai"})
        assert response.status_code == 200
        page = text_of(response)
        row = page[page.index(f'id="tieu-chi-{score.criterion_id}"') :]
        assert "Tiêu chí 1: điểm phải từ 0 đến 40, không thể là 41." in row[:6000]
        assert 'value="41"' in row  # what was typed stays in place
        response = client_for(staff).post(self_url(score), {"value": "mười"}, **HTMX)
        assert "“mười” không phải là một số." in text_of(response)
        assert "<html" not in response.content.decode()
        text_file = SimpleUploadedFile("ghi-chu.txt", b"khong phai pdf", content_type="text/plain")
        response = client_for(staff).post(self_url(score), {"value": "30", "upload": text_file})
        assert "không phải loại được nhận" in text_of(response)
    score.refresh_from_db()
    assert (score.self_points, score.explanation) == (None, "")  # the file refused takes the score back
    assert not ScoreEvidence.objects.exists()


def test_submitting_too_early_lists_what_is_missing(round_, department, dept_head):
    unit = unit_of(round_, department)
    with on_day(SELF_DAY):
        response = client_for(dept_head).post(reverse("evaluations:submit", args=[unit.pk]))
    page = text_of(response)
    assert response.status_code == 200
    assert "Chưa nộp được bản tự đánh giá" in page
    assert (
        "Tiêu chí 1: chưa chấm điểm." in page
        and "Tiêu chí 1: cần tài liệu kiểm chứng hoặc lời giải trình." in page
    )
    unit.refresh_from_db()
    assert unit.status == Unit.Status.OPEN


def submitted(round_, department, staff, dept_head):
    unit = unit_of(round_, department)
    with on_day(SELF_DAY):
        for path, value in (("I.1", "có"), ("II.1", "30"), ("II.2", "96")):
            services.score_self(score=score_of(unit, path), by=staff, value=value, explanation="Có hồ sơ")
        Score.objects.filter(pk=score_of(unit, "I.2").pk).update(self_points=D(6))
        services.unit_submit(unit=unit, by=dept_head)
    return unit


def test_the_appraiser_returns_a_unit_with_a_reason(round_, department, staff, dept_head, leader, appraiser):
    unit = submitted(round_, department, staff, dept_head)
    services.round_move(round_=round_, by=leader, move="appraise")
    url = reverse("evaluations:return", args=[unit.pk])
    with on_day(APPRAISAL_DAY):
        response = client_for(appraiser).post(url, {"reason": "  "})
        assert "Nhập lý do trả lại" in text_of(response)
        unit.refresh_from_db()
        assert unit.status == Unit.Status.SUBMITTED
        assert client_for(staff).post(url, {"reason": "x"}).status_code == 403
        client_for(appraiser).post(url, {"reason": "Bổ sung danh mục TTHC"})
        unit.refresh_from_db()
        assert (unit.status, unit.return_reason) == (Unit.Status.RETURNED, "Bổ sung danh mục TTHC")
        page = text_of(client_for(staff).get(reverse("evaluations:unit", args=[unit.pk])))
        assert "Trả lại để bổ sung:" in page and 'name="value"' in page  # the unit completes it again


def test_the_moves_say_why_they_are_refused(round_, leader, staff):
    move = reverse("evaluations:move", args=[round_.pk])
    response = client_for(leader).post(move, {"move": "finalize"}, follow=True)
    assert "không thể chuyển sang “Đã chốt kết quả”" in text_of(response)
    assert client_for(staff).post(move, {"move": "appraise"}).status_code == 403
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.FINALIZED)
    response = client_for(leader).post(move, {"move": "reopen", "reason": ""}, follow=True)
    assert "Nhập lý do mở lại kết quả đã chốt." in text_of(response)
    round_.refresh_from_db()
    assert round_.status == Round.Status.FINALIZED
    page = text_of(
        client_for(leader).post(move, {"move": "reopen", "reason": "Đơn vị khiếu nại"}, follow=True)
    )
    assert "Đã mở lại kết quả" in page and "Lý do: Đơn vị khiếu nại" in page
    round_.refresh_from_db()
    assert round_.status == Round.Status.APPRAISAL


# The ranking --------------------------------------------------------------------------------------


def test_the_ranking_is_the_organisers_and_appraisers_until_published(
    round_, department, second_department, staff, dept_head, leader, appraiser
):
    submitted(round_, department, staff, dept_head)
    detail = reverse("evaluations:detail", args=[round_.pk])
    for person in (leader, appraiser):
        page = text_of(client_for(person).get(detail))
        ranking = page[page.index('id="ranking"') : page.index('id="tie-rule"')]
        assert ranking.index("Phòng Đăng ký kinh doanh") < ranking.index("Thanh tra Sở")
        assert "Xuất sắc" in ranking and 'style="width: 90.0%"' in ranking
        assert TIE_RULE in page
    page = text_of(client_for(staff).get(detail))
    ranking = page[page.index('id="ranking"') : page.index('id="tie-rule"')]
    assert "Phòng Đăng ký kinh doanh" in ranking and "Thanh tra Sở" not in ranking
    assert "Kết quả của đơn vị" in page

    Round.objects.filter(pk=round_.pk).update(status=Round.Status.PUBLISHED)
    page = text_of(client_for(staff).get(detail))
    assert "Thanh tra Sở" in page[page.index('id="ranking"') : page.index('id="tie-rule"')]


def test_the_organiser_sees_the_moves_of_the_rounds_state(round_, leader, staff):
    detail = reverse("evaluations:detail", args=[round_.pk])
    page = text_of(client_for(leader).get(detail))
    assert 'value="appraise"' in page and 'value="finalize"' not in page
    assert 'value="appraise"' not in text_of(client_for(staff).get(detail))
    assert "Mở tự đánh giá" in page  # the history


def test_the_organiser_fills_the_computed_criteria_from_the_task_record(round_, department, leader, staff):
    from evaluations.computed import NOTHING_ASSIGNED

    detail = reverse("evaluations:detail", args=[round_.pk])
    assert 'action="' + reverse("evaluations:compute", args=[round_.pk]) + '"' in text_of(
        client_for(leader).get(detail)
    )
    page = text_of(client_for(leader).post(reverse("evaluations:compute", args=[round_.pk]), follow=True))
    assert "Đã tính 3 điểm tiêu chí từ kết quả thực hiện nhiệm vụ." in page  # three units, one computed each
    score = score_of(unit_of(round_, department), "I.2")
    assert (score.self_points, score.explanation) == (D(0), NOTHING_ASSIGNED)  # no plan, no task
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.APPRAISAL)
    page = text_of(client_for(leader).post(reverse("evaluations:compute", args=[round_.pk]), follow=True))
    assert "Chỉ tính điểm từ nhiệm vụ khi đợt đánh giá chưa chuyển sang thẩm định." in page


def test_the_appraiser_saves_a_row_in_place(round_, department, staff, dept_head, leader, appraiser):
    unit = submitted(round_, department, staff, dept_head)
    services.round_move(round_=round_, by=leader, move="appraise")
    score = score_of(unit, "II.1")
    with on_day(APPRAISAL_DAY):
        response = client_for(appraiser).post(appraise_url(score), {"points": "45"}, **HTMX)
        row = text_of(response)
        assert "<html" not in row and "Tiêu chí 1: điểm phải từ 0 đến 40, không thể là 45." in row
        assert 'value="45"' in row
        response = client_for(appraiser).post(
            appraise_url(score), {"points": "28", "note": "Thiếu hồ sơ"}, **HTMX
        )
        assert "Đã lưu điểm thẩm định tiêu chí 1." in text_of(response)
    score.refresh_from_db()
    unit.refresh_from_db()
    assert (score.appraised_points, score.appraisal_note, unit.status) == (
        D(28),
        "Thiếu hồ sơ",
        Unit.Status.APPRAISED,
    )


# Queries ------------------------------------------------------------------------------------------


def sized_round(agency, leader, appraiser, units: int, criteria: int):
    for number in range(units):
        Department.objects.create(
            agency=agency, code=f"P{number}", name=f"Phòng số {number}", position=number
        )
    each = D(90) / criteria
    rubric = services.rubric_create(
        name=f"Bộ {criteria}",
        scope=Scope.DEPARTMENTS,
        total_points=D(100),
        agency=agency,
        criteria=[
            tree()[0],
            Node(
                "II",
                "Cải cách thủ tục hành chính",
                D(90),
                Method.GROUP,
                children=[Node(str(n), f"Tiêu chí {n}", each, Method.MANUAL) for n in range(1, criteria + 1)],
            ),
        ],
    )
    round_ = new_round(agency, leader, rubric, [appraiser])
    Score.objects.filter(unit__round=round_).update(self_points=D(1))
    return round_


@pytest.mark.parametrize(("units", "criteria"), [(2, 2), (12, 18)])
def test_the_ranking_and_the_grid_take_a_bounded_number_of_queries(
    agency, leader, appraiser, units, criteria, django_assert_max_num_queries
):
    round_ = sized_round(agency, leader, appraiser, units, criteria)
    unit = round_.units.order_by("pk").first()
    for score in Score.objects.filter(unit=unit)[:2]:
        ScoreEvidence.objects.create(
            score=score,
            original_name="a.pdf",
            stored_name=f"{score.pk}.pdf",
            content_type="application/pdf",
            size=10,
            uploaded_by=leader,
        )
    client = client_for(leader)
    client.get(reverse("evaluations:list"))  # the session is warm
    with django_assert_max_num_queries(11):
        page = client.get(reverse("evaluations:detail", args=[round_.pk]))
    assert text_of(page).count("Phòng số") == 3 * units  # the ranking (name and bar) and the areas' table
    with django_assert_max_num_queries(7):
        page = client.get(reverse("evaluations:unit", args=[unit.pk]))
    assert f"Đã chấm {criteria + 2} / {criteria + 2} tiêu chí" in text_of(page)


# The admin ----------------------------------------------------------------------------------------


def test_the_admin_opens_every_evaluation_model_and_changes_none_but_a_rubrics_name(
    round_, rubric, department, admin_user
):
    client = client_for(admin_user)
    unit = unit_of(round_, department)
    rows = {
        "evaluations_rubric": rubric,
        "evaluations_round": round_,
        "evaluations_unit": unit,
        "evaluations_score": score_of(unit, "II.1"),
        "evaluations_roundevent": round_.events.get(),
    }
    for model, row in rows.items():
        listing = client.get(reverse(f"admin:{model}_changelist"))
        assert listing.status_code == 200, model
        assert reverse(f"admin:{model}_change", args=[row.pk]) in listing.content.decode(), model
        page = client.get(reverse(f"admin:{model}_change", args=[row.pk]))
        assert page.status_code == 200, model
        assert client.get(reverse(f"admin:{model}_add")).status_code == 403, model
    page = text_of(client.get(reverse("admin:evaluations_rubric_change", args=[rubric.pk])))
    assert "Công khai thủ tục hành chính" in page  # its criteria, read-only
    assert 'name="criteria-0-title"' not in page
    assert 'name="name"' in page and 'name="total_points"' not in page
    assert 'name="status"' not in text_of(
        client.get(reverse("admin:evaluations_round_change", args=[round_.pk]))
    )


# The printed documents and the criteria grid --------------------------------------------------------


def test_an_agencys_own_rubric_is_imported_from_the_grid_it_downloaded(agency, leader, rubric):
    from io import BytesIO

    from evaluations.models import Rubric

    client = client_for(leader)
    grid = client.get(reverse("evaluations:rubric_export", args=[rubric.pk]))
    assert grid.status_code == 200 and grid["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile(
        "tieu-chi.xlsx", b"".join(grid.streaming_content) if grid.streaming else grid.content
    )
    response = client.post(
        reverse("evaluations:rubric_import"),
        {"name": "Bộ tiêu chí 2020", "scope": Scope.DEPARTMENTS, "file": upload},
    )
    assert response.status_code == 302
    mine = Rubric.objects.get(name="Bộ tiêu chí 2020")
    assert (mine.agency, mine.total_points, mine.criteria.count()) == (
        agency,
        Decimal(100),
        rubric.criteria.count(),
    )
    # a file that is no spreadsheet: a Vietnamese message, nothing written
    bad = SimpleUploadedFile("tieu-chi.xlsx", BytesIO(b"not a workbook").read())
    response = client.post(
        reverse("evaluations:rubric_import"), {"name": "Sai", "scope": Scope.DEPARTMENTS, "file": bad}
    )
    assert response.status_code == 200
    assert not Rubric.objects.filter(name="Sai").exists()
    assert "xlsx" in text_of(response).lower()


def test_the_round_prints_its_notice_and_the_unit_its_report(agency, leader, rubric, department, staff):
    round_ = new_round(agency, leader, rubric)
    unit = round_.units.get(department=department)
    notice = client_for(leader).get(reverse("evaluations:print", args=[round_.pk, "docx"]))
    assert notice.status_code == 200 and "wordprocessingml" in notice["Content-Type"]
    report = client_for(staff).get(reverse("evaluations:unit_print", args=[unit.pk, "docx"]))
    assert report.status_code == 200 and "wordprocessingml" in report["Content-Type"]
    assert client_for(staff).get(reverse("evaluations:print", args=[round_.pk, "docx"])).status_code == 403
    page = text_of(client_for(leader).get(reverse("evaluations:detail", args=[round_.pk])))
    assert "In dự thảo (PDF)" in page and "Bộ tiêu chí (Excel)" in page


def test_a_units_results_over_the_years(agency, leader, rubric, department, staff):
    earlier = services.round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=2018,
        title="Chấm điểm năm 2018",
        self_from=datetime.date(2018, 12, 1),
        self_to=datetime.date(2018, 12, 15),
        appraisal_from=datetime.date(2018, 12, 16),
        appraisal_to=datetime.date(2018, 12, 31),
    )
    for status in ("open", "appraise", "finalize"):
        services.round_move(round_=earlier, by=leader, move=status)
    Score.objects.filter(unit__round=earlier, unit__department=department).update(
        appraised_points=Decimal(20)
    )
    current = new_round(agency, leader, rubric)
    unit = current.units.get(department=department)
    page = text_of(client_for(staff).get(reverse("evaluations:unit_history", args=[unit.pk])))
    assert "Phòng Đăng ký kinh doanh qua các năm" in page
    assert page.index("Chấm điểm năm 2018") > page.index("Đánh giá, chấm điểm cải cách hành chính năm 2019")
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert (
        "2018 Chấm điểm năm 2018 Đã chốt kết quả 80 / 100 1 / 1 Tốt" in text
    )  # 4 criteria × 20, the only unit


# The tasks behind a computed criterion -------------------------------------------------------------


year = test_evaluation_computed.year  # the fixture: a 2019 of tasks, every figure counted by hand


def computed_score(unit, measure) -> Score:
    return unit.scores.select_related("criterion").get(criterion__measure=measure)


def tasks_url(score):
    return reverse("evaluations:score_tasks", args=[score.pk])


def listed_sections(page: str) -> list[tuple[str, set[int]]]:
    """The page's sections in order: (duoc-tinh | khong-tinh, the ids of the tasks listed)."""
    return [
        (key, {int(pk) for pk in re.findall(r'data-task="(\d+)"', body)})
        for key, body in re.findall(r'<section[^>]*data-section="([\w-]+)"(.*?)</section>', page, re.S)
    ]


def pks(tasks) -> set[int]:
    return set(tasks.values_list("pk", flat=True))


def test_the_grid_shows_the_figure_behind_each_computed_criterion(year, leader):
    from evaluations.computed import compute_round, measure_units

    round_, unit = year["round"], year["registration"]
    compute_round(round_)  # the figures are kept with the points they gave
    page = text_of(client_for(leader).get(reverse("evaluations:unit", args=[unit.pk])))
    figures = measure_units(round_)[unit.pk]
    assert {figure.denominator for figure in figures.values()} != {0}  # the unit has counted tasks
    for measure, figure in figures.items():
        score = computed_score(unit, measure)
        row = page.split(f'id="tieu-chi-{score.criterion_id}"')[1].split('id="tieu-chi-')[0]
        noun = "lượt báo cáo" if measure == "updates" else "nhiệm vụ"
        assert f"{figure.numerator} / {figure.denominator} {noun}" in " ".join(row.split())
        assert f'href="{tasks_url(score)}"' in row and "Xem các nhiệm vụ" in row
    manual = unit.scores.get(criterion__method=Method.MANUAL)
    assert reverse("evaluations:score_tasks", args=[manual.pk]) not in page


def test_the_tasks_page_lists_exactly_the_tasks_counted(year, leader):
    from evaluations.computed import measure_units, reporting_periods, tasks_behind, tasks_counted

    round_, unit = year["round"], year["registration"]
    figures = measure_units(round_)[unit.pk]
    client = client_for(leader)
    for measure in ("completed", "on_time", "not_overdue", "first_time"):
        page = text_of(client.get(tasks_url(computed_score(unit, measure))))
        behind, counted = pks(tasks_behind(unit, measure, round_)), pks(tasks_counted(unit, measure, round_))
        assert listed_sections(page) == [("duoc-tinh", behind), ("khong-tinh", counted - behind)]
        figure = figures[measure]
        assert f"Được tính (tử số): {figure.numerator} nhiệm vụ" in page
        assert f"Không được tính: {figure.denominator - figure.numerator} nhiệm vụ" in page
        assert f"{figure.numerator} / {figure.denominator} nhiệm vụ" in page
    page = text_of(client.get(tasks_url(computed_score(unit, "updates"))))
    expected = []
    for cut_off, _start in reporting_periods(round_):
        behind = pks(tasks_behind(unit, "updates", round_, period=cut_off))
        counted = pks(tasks_counted(unit, "updates", round_, period=cut_off))
        expected += [("duoc-tinh", behind), ("khong-tinh", counted - behind)]
    assert listed_sections(page) == expected and len(expected) == 8
    figure = figures["updates"]
    assert f"{figure.numerator} / {figure.denominator} lượt báo cáo" in page
    for period in figure.periods:
        assert f"{period.numerator} / {period.denominator} nhiệm vụ có báo cáo" in page
    # each row links its task's page, with its status on the cut-off: task 4, due 31/12/2019 and never
    # started, is overdue today but was not yet on the cut-off
    page = text_of(client.get(tasks_url(computed_score(unit, "completed"))))
    for number, status in ((3, "open_overdue"), (4, "not_started")):
        task = year["tasks"][number]
        row = page.split(f'<tr data-task="{task.pk}"')[1].split("</tr>")[0]
        assert f'href="{reverse("tasks:detail", args=[task.pk])}"' in row and f"status-{status}" in row


def test_the_tasks_page_is_for_computed_criteria_only(year, leader, outsider):
    unit = year["registration"]
    manual = unit.scores.get(criterion__method=Method.MANUAL)
    assert client_for(leader).get(reverse("evaluations:score_tasks", args=[manual.pk])).status_code == 404
    score = computed_score(unit, "completed")
    assert client_for(outsider).get(tasks_url(score)).status_code == 404


def test_the_tasks_page_and_the_grid_take_a_bounded_number_of_queries(
    year, leader, django_assert_max_num_queries
):
    unit = year["registration"]
    client = client_for(leader)
    client.get(reverse("evaluations:list"))  # the session is warm
    with django_assert_max_num_queries(7):  # as many as without computed criteria
        client.get(reverse("evaluations:unit", args=[unit.pk]))
    with django_assert_max_num_queries(6):
        client.get(tasks_url(computed_score(unit, "completed")))
    with django_assert_max_num_queries(12):  # two lists per reporting period
        client.get(tasks_url(computed_score(unit, "updates")))


def test_a_computed_row_saved_in_place_keeps_its_figure(year, leader, staff):
    from evaluations.computed import compute_round, measure_units

    round_, unit = year["round"], year["registration"]
    compute_round(round_)
    with on_day(datetime.date(2019, 11, 25)):
        services.round_move(round_=round_, by=leader, move="open")
    score = computed_score(unit, "on_time")
    figure = measure_units(round_)[unit.pk]["on_time"]
    with on_day(SELF_DAY):
        row = text_of(
            client_for(staff).post(self_url(score), {"explanation": "Số liệu trên phần mềm"}, **HTMX)
        )
    assert "<html" not in row and "Đã lưu tiêu chí 2." in row
    assert f"{figure.numerator} / {figure.denominator} nhiệm vụ" in " ".join(row.split())
    assert f'href="{tasks_url(score)}"' in row
