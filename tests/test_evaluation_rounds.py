"""A round's course: the rubric copied, units listed, self-assessment with evidence, submission, return,
appraisal with notes, finalize and reopen with a reason, and the ranking summed in the database."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Department, Role
from evaluations import services
from evaluations.models import Method, Round, RoundEvent, Scope, Score, Unit
from evaluations.scoring import Node
from tests.conftest import make_user, pdf_upload

D = Decimal
SELF_DAY = datetime.date(2019, 12, 10)
APPRAISAL_DAY = datetime.date(2019, 12, 20)
SIX = D(6)


def tree():
    return [
        Node(
            "I",
            "Công tác chỉ đạo, điều hành",
            D(10),
            Method.GROUP,
            children=[
                Node("1", "Ban hành kế hoạch CCHC năm", D(4), Method.YES_NO, evidence_required=True),
                Node("2", "Tỷ lệ nhiệm vụ hoàn thành", D(6), Method.COMPUTED, measure="completed"),
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
                    "Hồ sơ giải quyết đúng hạn",
                    D(50),
                    Method.THRESHOLDS,
                    thresholds=[[95, 1], [80, "0.5"], [0, 0]],
                ),
            ],
        ),
    ]


@pytest.fixture
def rubric(agency):
    return services.rubric_create(
        name="Bộ tiêu chí thử", scope=Scope.DEPARTMENTS, total_points=D(100), criteria=tree(), agency=agency
    )


@pytest.fixture
def second_department(agency):
    return Department.objects.create(agency=agency, code="TTr", name="Thanh tra Sở", position=3)


@pytest.fixture
def round_(rubric, agency, leader, department, second_department, office):
    appraiser = make_user("thamdinh", Role.LEADER, agency, full_name="Người thẩm định")
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
        appraisers=[appraiser],
    )
    services.round_move(round_=round_, by=leader, move="open")
    return Round.objects.get(pk=round_.pk)


def unit_of(round_, department):
    return round_.units.get(department=department)


def score_of(unit, label_path):
    area, label = label_path.split(".")
    return unit.scores.get(criterion__area__label=area, criterion__label=label)


def test_a_round_copies_the_rubric_and_lists_the_agencys_departments(round_, rubric):
    assert round_.title == "Đánh giá, chấm điểm cải cách hành chính năm 2019"
    assert [str(unit) for unit in round_.units.order_by("department__name")] == [
        "Phòng Đăng ký kinh doanh",
        "Thanh tra Sở",
        "Văn phòng Sở",
    ]
    assert round_.criteria.count() == 6
    assert Score.objects.filter(unit__round=round_).count() == 3 * 4  # scored criteria only
    # editing next year's rubric never changes this round
    rubric.criteria.filter(label="1", parent__label="II").update(max_points=35)
    assert round_.criteria.get(label="1", parent__label="II").max_points == 40


def test_a_rubric_that_does_not_add_up_is_refused_and_nothing_is_written(agency):
    bad = tree()
    bad[1].max_points = D(80)
    with pytest.raises(ValidationError, match="Các lĩnh vực cộng lại 90 điểm"):
        services.rubric_create(name="Sai", scope=Scope.DEPARTMENTS, total_points=D(100), criteria=bad)
    from evaluations.models import Rubric

    assert not Rubric.objects.filter(name="Sai").exists()


def test_the_unit_self_scores_with_evidence_and_its_head_submits(round_, department, staff, dept_head):
    unit = unit_of(round_, department)
    plan_score = score_of(unit, "I.1")
    services.score_self(score=plan_score, by=staff, value="Có", today=SELF_DAY)
    services.score_self(score=score_of(unit, "II.1"), by=staff, value="35,5", today=SELF_DAY)
    services.score_self(score=score_of(unit, "II.2"), by=staff, value="90", today=SELF_DAY)
    with pytest.raises(ValidationError) as caught:
        services.unit_submit(unit=unit, by=dept_head, today=SELF_DAY)
    assert caught.value.messages == [
        "Tiêu chí 1: cần tài liệu kiểm chứng hoặc lời giải trình.",
        "Tiêu chí 2: chưa chấm điểm.",
    ]
    services.evidence_add(score=plan_score, by=staff, upload=pdf_upload("ke-hoach.pdf"), today=SELF_DAY)
    services.score_self(
        score=score_of(unit, "I.2"), by=staff, explanation="Theo số liệu nhiệm vụ", today=SELF_DAY
    )
    Score.objects.filter(pk=score_of(unit, "I.2").pk).update(self_points=D("4.5"))  # as computed
    with pytest.raises(PermissionDenied):
        services.unit_submit(unit=unit, by=staff, today=SELF_DAY)  # the head submits
    services.unit_submit(unit=unit, by=dept_head, today=SELF_DAY)
    unit.refresh_from_db()
    assert unit.status == Unit.Status.SUBMITTED
    assert [
        score.self_points
        for score in unit.scores.order_by("criterion__area__position", "criterion__position")
    ] == [
        D(4),
        D("4.5"),
        D("35.5"),
        D(25),
    ]
    with pytest.raises(PermissionDenied):  # submitted: only a return reopens it
        services.score_self(score=score_of(unit, "II.1"), by=staff, value="40", today=SELF_DAY)


def test_nobody_else_self_scores_and_never_outside_the_window(round_, department, staff, leader, outsider):
    unit = unit_of(round_, department)
    for person, day in ((leader, SELF_DAY), (outsider, SELF_DAY), (staff, APPRAISAL_DAY)):
        with pytest.raises(PermissionDenied):
            services.score_self(score=score_of(unit, "II.1"), by=person, value="10", today=day)
    with pytest.raises(ValidationError, match="điểm phải từ 0 đến 40"):
        services.score_self(score=score_of(unit, "II.1"), by=staff, value="41", today=SELF_DAY)
    assert score_of(unit, "II.1").self_points is None


def submitted(round_, department, staff, dept_head, values=("Có", "30", "96"), computed=SIX):
    unit = unit_of(round_, department)
    for path, value in zip(("I.1", "II.1", "II.2"), values, strict=True):
        services.score_self(
            score=score_of(unit, path), by=staff, value=value, explanation="Có hồ sơ", today=SELF_DAY
        )
    Score.objects.filter(pk=score_of(unit, "I.2").pk).update(self_points=computed)
    services.unit_submit(unit=unit, by=dept_head, today=SELF_DAY)
    return unit


def test_the_appraiser_adjusts_with_a_note_returns_and_finalizes(
    round_, department, staff, dept_head, leader
):
    unit = submitted(round_, department, staff, dept_head)
    appraiser = round_.appraisers.get()
    services.round_move(round_=round_, by=leader, move="appraise")
    with pytest.raises(ValidationError, match="ghi ý kiến thẩm định"):
        services.score_appraise(score=score_of(unit, "II.1"), by=appraiser, value="25", today=APPRAISAL_DAY)
    services.unit_return(
        unit=unit, by=appraiser, reason="Bổ sung danh mục TTHC đã công khai", today=APPRAISAL_DAY
    )
    services.score_self(score=score_of(unit, "II.1"), by=staff, value="32", today=APPRAISAL_DAY)
    services.unit_submit(unit=unit, by=dept_head, today=APPRAISAL_DAY)  # returned: submits again
    for path in ("I.1", "I.2", "II.2"):
        score = score_of(unit, path)
        services.score_appraise(score=score, by=appraiser, value=score.self_points, today=APPRAISAL_DAY)
    services.score_appraise(
        score=score_of(unit, "II.1"),
        by=appraiser,
        value="28",
        note="Thiếu 2 TTHC chưa công khai",
        today=APPRAISAL_DAY,
    )
    services.round_move(round_=round_, by=leader, move="finalize")
    with pytest.raises(PermissionDenied):
        services.score_appraise(
            score=score_of(unit, "II.1"), by=appraiser, value="30", note="x", today=APPRAISAL_DAY
        )
    with pytest.raises(ValidationError, match="lý do mở lại"):
        services.round_move(round_=round_, by=leader, move="reopen")
    services.round_move(round_=round_, by=leader, move="reopen", reason="Đơn vị khiếu nại tiêu chí II.1")
    assert list(RoundEvent.objects.filter(round=round_).values_list("kind", flat=True)) == [
        "open",
        "submitted",
        "appraise",
        "returned",
        "submitted",
        "finalize",
        "reopen",
    ]
    [standing, *_] = services.standings(round_)
    assert (standing.name, standing.total, standing.areas) == (
        "Phòng Đăng ký kinh doanh",
        D(88),
        (D(10), D(78)),
    )


def test_the_ranking_is_summed_in_the_database_in_constant_queries(
    round_, department, second_department, staff, dept_head, django_assert_max_num_queries
):
    submitted(round_, department, staff, dept_head, values=("Có", "30", "96"))
    other_staff = make_user("cv.ttr", Role.STAFF, second_department.agency, second_department)
    other_head = make_user("tp.ttr", Role.DEPT_HEAD, second_department.agency, second_department)
    submitted(round_, second_department, other_staff, other_head, values=("Không", "40", "85"))
    with django_assert_max_num_queries(3):
        ranking = services.standings(round_)
    assert [(row.name, row.total, row.rank, row.band) for row in ranking] == [
        ("Phòng Đăng ký kinh doanh", D(90), 1, "Xuất sắc"),
        ("Thanh tra Sở", D(71), 2, "Khá"),
        ("Văn phòng Sở", D(0), 3, "Yếu"),
    ]


def test_an_area_scored_itself_counts_in_the_ranking(agency, leader, department):
    rubric = services.rubric_create(
        name="Hai lĩnh vực",
        scope=Scope.DEPARTMENTS,
        total_points=D(100),
        criteria=[Node("I", "Chỉ đạo", D(20), Method.MANUAL), Node("II", "TTHC", D(80), Method.MANUAL)],
    )
    round_ = services.round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=2019,
        title="Thử",
        self_from=datetime.date(2019, 12, 1),
        self_to=datetime.date(2019, 12, 15),
        appraisal_from=datetime.date(2019, 12, 16),
        appraisal_to=datetime.date(2019, 12, 31),
    )
    unit = round_.units.get(department=department)
    unit.scores.filter(criterion__label="I").update(self_points=D(15))
    unit.scores.filter(criterion__label="II").update(self_points=D(70))
    [standing] = services.standings(round_)
    assert (standing.total, standing.areas) == (D(85), (D(15), D(70)))
