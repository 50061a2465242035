"""The demo's evaluation rounds (demo.evaluations), loaded once with the whole demo."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from accounts.models import Agency, User
from cchc.storage import open_file
from demo.evaluations import DEPARTMENTS_TITLE, ILLUSTRATIVE_TOTALS, PROVINCE_TITLE
from evaluations.computed import measure_units
from evaluations.models import Method, Round, RoundEvent, Scope, Score, ScoreEvidence, Unit
from evaluations.scoring import Rule, points
from evaluations.services import missing, standings
from tasks import evidence
from tests.conftest import demo_settings, signs_in
from tests.test_demo import HANOI, TODAY, load

EVALUATION_MODELS = [Round, Unit, Score, ScoreEvidence, RoundEvent]


def snapshot():
    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in EVALUATION_MODELS}
    rows["scores"] = sorted(
        Score.objects.values_list("pk", "self_points", "appraised_points", "explanation", "appraisal_note")
    )
    rows["units"] = sorted(Unit.objects.values_list("pk", "status", "illustrative", "submitted_at"))
    rows["agencies"] = sorted(Agency.objects.values_list("pk", "code"))
    rows["users"] = sorted(User.objects.values_list("pk", "username", "password"))
    return rows


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    with django_db_blocker.unblock(), demo_settings(root), transaction.atomic():
        load()
        first = snapshot()
        load()
        same_day = snapshot()
        load(when=datetime.datetime(2026, 11, 20, 16, 0, tzinfo=HANOI))
        yield {"first": first, "same day": same_day, "another day": snapshot(), "storage": root / "private"}
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db, settings):
    settings.PRIVATE_STORAGE_ROOT = loaded["storage"]
    return loaded


def departments_2019() -> Round:
    return Round.objects.get(agency__code="SKHĐT", year=2019, title=DEPARTMENTS_TITLE.format(year=2019))


def province_2019() -> Round:
    return Round.objects.get(agency__code="SNV", year=2019, title=PROVINCE_TITLE)


def current_round() -> Round:
    return Round.objects.get(agency__code="SKHĐT", year=TODAY.year)


def test_loading_again_creates_nothing(demo):
    assert demo["first"]["Round"] and len(demo["first"]["Round"]) == 3
    assert demo["same day"] == demo["first"]
    assert demo["another day"] == demo["first"]


def test_the_2019_departments_round_is_finalized_by_lanhdao_over_every_department(demo):
    round_ = departments_2019()
    assert round_.scope == Scope.DEPARTMENTS and round_.status == Round.Status.FINALIZED
    assert round_.rubric_name.startswith("Bộ tiêu chí chấm điểm CCHC các phòng")
    assert [user.username for user in round_.appraisers.all()] == ["lanhdao"]
    assert datetime.date(2019, 12, 1) <= round_.self_from <= round_.self_to < round_.appraisal_from
    assert round_.appraisal_to <= datetime.date(2020, 1, 31)
    units = round_.units.select_related("department", "submitted_by")
    assert {unit.department.agency.code for unit in units} == {"SKHĐT"}
    assert units.count() == 8
    for unit in units:
        assert unit.status == Unit.Status.APPRAISED and not unit.illustrative
        assert unit.submitted_by.role == "dept_head" and unit.submitted_by.department_id == unit.department_id
        assert round_.self_from <= unit.submitted_at.astimezone(HANOI).date() <= round_.self_to
        assert missing(unit) == []
    assert not Score.objects.filter(unit__round=round_, appraised_points=None).exists()
    kinds = list(round_.events.values_list("kind", flat=True))
    assert kinds == ["open", *["submitted"] * 8, "appraise", "finalize"]
    assert all(event.year in (2019, 2020) for event in round_.events.values_list("created_at", flat=True))


def test_the_2019_self_scores_are_varied_and_explained(demo):
    scores = Score.objects.filter(unit__round=departments_2019()).select_related("criterion")
    written = scores.exclude(criterion__method=Method.COMPUTED)
    assert not written.filter(explanation="").exists()
    by_unit = {}
    for score in written:
        assert score.self_points == points(Rule.of(score.criterion), score.declared or score.self_points)
        by_unit.setdefault(score.unit_id, Decimal(0))
        by_unit[score.unit_id] += score.self_points
    assert len(set(by_unit.values())) > 1  # the departments differ
    below = written.filter(self_points__lt=F("criterion__max_points")).count()
    assert 0 < below < written.count() / 2


def test_the_computed_criteria_of_2019_are_those_of_the_demos_tasks(demo):
    round_ = departments_2019()
    figures = measure_units(round_)
    computed = Score.objects.filter(unit__round=round_, criterion__method=Method.COMPUTED).select_related(
        "criterion"
    )
    assert computed.count() == 8 * 4
    assert any(figure.assigned for unit in figures.values() for figure in unit.values())
    for score in computed:
        figure = figures[score.unit_id][score.criterion.measure]
        assert score.computed_value == figure.rate
        expected = Decimal("0.00") if figure.rate is None else points(Rule.of(score.criterion), figure.rate)
        assert score.self_points == expected


def test_the_2019_appraisal_adjusts_a_few_criteria_with_notes(demo):
    scores = Score.objects.filter(unit__round=departments_2019())
    adjusted = [score for score in scores if score.appraised_points != score.self_points]
    assert 3 <= len(adjusted) <= 16
    assert all(score.appraisal_note and score.appraised_points < score.self_points for score in adjusted)
    assert not any(score.appraisal_note for score in scores if score.appraised_points == score.self_points)


def test_the_2019_round_has_real_pdf_evidence(demo, settings):
    items = ScoreEvidence.objects.filter(score__unit__round=departments_2019())
    assert 1 <= items.count() <= 2
    for item in items:
        with open_file(evidence.name_of(item.stored_name)) as handle:
            body = handle.read()
        assert body.startswith(b"%PDF-1.4") and item.size == len(body)
        assert item.uploaded_by.department_id == item.score.unit.department_id
        assert item.uploaded_at.year == 2019


def test_the_2019_province_round_is_published_with_the_published_top_three(demo):
    round_ = province_2019()
    assert round_.scope == Scope.AGENCIES and round_.status == Round.Status.PUBLISHED
    assert round_.rubric_name.startswith("Bộ tiêu chí chỉ số CCHC các sở")
    ranking = standings(round_)
    top = [(standing.name, standing.total, standing.rank) for standing in ranking[:3]]
    assert top == [
        ("Sở Tài chính tỉnh Vĩnh Phúc", Decimal("92.93"), 1),
        ("Sở Xây dựng tỉnh Vĩnh Phúc", Decimal("91.33"), 2),
        ("Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc", Decimal("90.04"), 3),
    ]
    assert all(standing.total < Decimal("90.04") for standing in ranking[3:])
    assert len(ranking) == 3 + len(ILLUSTRATIVE_TOTALS)
    units = {unit.pk: unit for unit in round_.units.select_related("agency")}
    assert {units[standing.unit_id].agency.code for standing in ranking} >= {"SKHĐT", "STC", "SNV"}
    for position, standing in enumerate(ranking):
        assert units[standing.unit_id].illustrative == (position >= 3)
        assert units[standing.unit_id].status == Unit.Status.APPRAISED
    assert not Score.objects.filter(unit__round=round_, appraised_points=None).exists()
    for score in Score.objects.filter(unit__round=round_).select_related("criterion"):
        assert 0 <= score.appraised_points <= score.criterion.max_points
    assert list(round_.events.values_list("kind", flat=True)) == ["open", "appraise", "finalize", "publish"]


def test_the_province_rounds_organiser_is_a_leader_of_sở_nội_vụ_who_can_sign_in(demo):
    round_ = province_2019()
    assert round_.created_by.role == "leader" and round_.created_by.agency.code == "SNV"
    assert [user.username for user in round_.appraisers.all()] == ["sonoivu"]
    assert signs_in(round_.created_by.username, "demo-pass-123")


def test_the_current_years_round_is_in_self_assessment_today(demo):
    round_ = current_round()
    assert round_.title == DEPARTMENTS_TITLE.format(year=TODAY.year)
    assert round_.status == Round.Status.SELF_ASSESSMENT
    assert round_.self_from <= TODAY <= round_.self_to
    units = {unit.department.code: unit for unit in round_.units.select_related("department")}
    assert [code for code, unit in units.items() if unit.status == Unit.Status.SUBMITTED] == ["VP"]
    assert missing(units["VP"]) == []
    scored = {
        code: unit.scores.exclude(criterion__method=Method.COMPUTED).exclude(self_points=None).count()
        for code, unit in units.items()
    }
    total = units["VP"].scores.exclude(criterion__method=Method.COMPUTED).count()
    assert scored["VP"] == total
    partly = [code for code, count in scored.items() if 0 < count < total]
    assert sorted(partly) == ["KTN", "ĐKKD"]
    assert all(count == 0 for code, count in scored.items() if code not in ("VP", "KTN", "ĐKKD"))
    assert not Score.objects.filter(unit__round=round_, criterion__method=Method.COMPUTED, self_points=None)


def test_early_in_january_the_current_round_still_holds_today(db, tmp_path):
    with demo_settings(tmp_path):
        load(when=datetime.datetime(2027, 1, 3, 9, 0, tzinfo=HANOI))
    round_ = Round.objects.get(agency__code="SKHĐT", year=2027)
    assert round_.self_from <= datetime.date(2027, 1, 3) <= round_.self_to
    assert round_.status == Round.Status.SELF_ASSESSMENT


def test_the_rounds_open_for_their_people(demo):
    pages = [  # who, the round, one of its units they may open
        ("lanhdao", departments_2019(), {"department__code": "ĐKKD"}),
        ("lanhdao", current_round(), {"department__code": "VP"}),
        ("lanhdao.snv", province_2019(), {"agency__code": "STC"}),
        ("sonoivu", province_2019(), {"agency__code": "SXD"}),
        ("cv.vp", province_2019(), {"agency__code": "SKHĐT"}),  # their own agency's result
    ]
    for username, round_, unit in pages:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("evaluations:detail", args=[round_.pk]))
        assert response.status_code == 200, (username, round_)
        unit = round_.units.get(**unit)
        assert client.get(reverse("evaluations:unit", args=[unit.pk])).status_code == 200, (username, unit)
    client = Client()
    client.force_login(User.objects.get(username="cv.vp"))  # published: the whole ranking
    page = client.get(reverse("evaluations:detail", args=[province_2019().pk])).content.decode()
    assert "92,93" in page and "91,33" in page and "90,04" in page
