"""The demo's rating rounds (demo.ratings): the 2019 chain from the tasks to the titles, and the current
year's open round, loaded once with the whole demo."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from demo.ratings import CAP_JUSTIFICATION, TITLES_NUMBER
from ratings import services
from ratings.models import (
    Discipline,
    Initiative,
    Level,
    Nomination,
    Rating,
    RatingEvent,
    Registration,
    Round,
    RoundEvent,
    Scheme,
    Title,
    UnitLevel,
)
from ratings.record import Book
from ratings.rules import Cap
from tasks.models import Task, TaskEvent
from tests.conftest import demo_settings
from tests.test_demo import HANOI, TODAY, load

RATING_MODELS = [
    Round,
    Rating,
    RatingEvent,
    RoundEvent,
    Registration,
    Initiative,
    Discipline,
    Nomination,
    UnitLevel,
]


def snapshot():
    rows = {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in RATING_MODELS}
    rows["ratings"] = sorted(
        Rating.objects.values_list("pk", "status", "assigned", "on_time", "proposed_level", "decided_level")
    )
    rows["assignees"] = sorted(Task.assignees.through.objects.values_list("task_id", "user_id"))
    rows["task events"] = sorted(TaskEvent.objects.values_list("pk", flat=True))
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
        yield {"first": first, "same day": same_day, "another day": snapshot()}
        transaction.set_rollback(True)


@pytest.fixture
def demo(loaded, db):
    return loaded


def round_2019() -> Round:
    return Round.objects.get(agency__code="SKHĐT", year=2019)


def rating_of(round_: Round, username: str) -> Rating:
    return round_.ratings.select_related("person", "round").get(person__username=username)


def counts(rating: Rating) -> tuple:
    return (rating.assigned, rating.completed, rating.met, rating.on_time, rating.early)


def test_loading_again_creates_nothing(demo):
    assert len(demo["first"]["Round"]) == 2 and demo["first"]["Nomination"]
    assert demo["same day"] == demo["first"]
    assert demo["another day"] == demo["first"]


def test_every_2019_task_was_assigned_in_january_and_the_current_plan_keeps_its_assignees(demo):
    plan_2019 = Task.objects.filter(plan__agency__code="SKHĐT", plan__year=2019)
    for task in plan_2019.exclude(state=Task.State.CANCELLED).prefetch_related("assignees"):
        people = list(task.assignees.all())
        if task.number == "1.1":  # the plan itself, drafted by the Chánh Văn phòng in person
            assert not people and task.plan.number == 14
            continue
        assert people and all(person.department_id == task.lead_department_id for person in people)
    events = TaskEvent.objects.filter(task__plan__year=2019, kind=TaskEvent.Kind.ASSIGNED)
    assert {event.created_at.date() for event in events} <= {
        datetime.date(2019, 1, 16),
        datetime.date(2019, 1, 17),
    }
    current = Task.objects.filter(plan__agency__code="SKHĐT", plan__year=TODAY.year)
    assert set(current.values_list("assignees__username", flat=True)) == {"chuyenvien", None}


def test_the_2019_round_follows_the_criteria_scheme_of_nđ_90_and_48(demo):
    round_ = round_2019()
    assert round_.scheme == Scheme.CRITERIA and round_.cut_off == datetime.date(2019, 12, 14)
    assert round_.status == Round.Status.CLOSED
    assert round_.ratings.count() == 19
    assert not round_.ratings.exclude(status=Rating.Status.DECIDED).exists()
    for rating in round_.ratings.all():
        assert rating.decided_at.date() <= datetime.date(2019, 12, 14)  # before 15/12 (DOMAIN §8)
        assert rating.events.filter(kind=RatingEvent.Kind.DECIDE, actor__username="lanhdao").exists()


def test_the_2019_records_are_counted_from_the_tasks_of_each_person(demo):
    round_ = round_2019()
    book = Book(round_)
    for rating in round_.ratings.all():
        recount = book.counts(rating)
        assert counts(rating) == (
            recount.assigned,
            recount.completed,
            recount.met,
            recount.on_time,
            recount.early,
        )
    # Phòng Kinh tế đối ngoại: 2.4, 3.2, 6.8, 7.8, all on time, three at least 5 days ahead, none returned.
    assert counts(rating_of(round_, "cv.ktdn")) == (4, 4, 4, 4, 3)
    # chuyenvien: 3.1 (returned once), 3.7, 7.2 (late), 7.5.
    assert counts(rating_of(round_, "chuyenvien")) == (4, 4, 3, 3, 2)
    # Phòng Tổng hợp, Quy hoạch: 2.1, 6.4, 6.5 early; 7.7 overdue.
    assert counts(rating_of(round_, "cv.thqh")) == (4, 3, 3, 3, 3)
    # A head answers for the department's tasks: truongphong's are ĐKKD's eight.
    assert counts(rating_of(round_, "truongphong")) == (8, 8, 7, 6, 5)
    # vanthu works on the propaganda plan and the CCHC index's self-assessment (1.2, 1.5) with cv.vp.
    assert counts(rating_of(round_, "vanthu")) == (2, 2, 2, 2, 1)


def test_the_2019_levels_come_from_the_rules_and_depart_only_with_a_reason(demo):
    round_ = round_2019()
    ratings = list(round_.ratings.select_related("person", "round"))
    suggested = services.suggestions(round_, ratings)
    levels = {r.person.username: (suggested[r.pk].level, r.proposed_level, r.decided_level) for r in ratings}
    assert levels["cv.ktdn"] == ("htxs", "htxs", "htxs")
    assert levels["tp.ktdn"] == ("htxs", "htxs", "htxs")
    assert levels["vanthu"] == ("htxs", "htxs", "htxs")
    assert levels["chuyenvien"] == ("htnv", "htnv", "htnv")
    assert levels["cv.thqh"] == ("htnv", "htt", "htt")
    assert levels["tp.dttd"] == ("khtnv", "khtnv", "khtnv")
    departed = {r.person.username for r in ratings if r.proposed_level != (suggested[r.pk].level or "")}
    assert departed == {"tp.thqh", "cv.thqh"}
    for rating in ratings:
        assert bool(rating.proposal_reason) == (rating.person.username in departed)
        assert rating.decided_level == rating.proposed_level and not rating.decision_note
    assert "7.7" in rating_of(round_, "cv.thqh").proposal_reason
    assert rating_of(round_, "tp.thqh").proposed_by.username == "lanhdao"  # heads are rated by leaders
    assert rating_of(round_, "cv.thqh").proposed_by.username == "tp.thqh"
    assert Counter(level for _, _, level in levels.values()) == Counter(
        {"htnv": 11, "htxs": 3, "htt": 2, "khtnv": 2, "": 1}
    )


def test_chuyenvien_wrote_htt_and_the_rules_say_htnv_for_the_late_task(demo):
    rating = rating_of(round_2019(), "chuyenvien")
    assert rating.self_level == Level.HTT and rating.self_review
    found = services.suggestion(rating)
    assert "Chưa đủ mức HTT: 1/4 nhiệm vụ chưa hoàn thành đúng hạn." in found.reasons


def test_the_cap_is_exceeded_and_justified_before_the_decisions(demo):
    round_ = round_2019()
    assert services.cap(round_) == Cap(htxs=3, htt=2, allowed=0, percent=20)
    assert services.cap(round_).exceeded
    assert round_.cap_justification == CAP_JUSTIFICATION and round_.cap_justified_by.username == "lanhdao"
    justified = round_.events.get(kind=RoundEvent.Kind.CAP).created_at
    first_decision = RatingEvent.objects.filter(rating__round=round_, kind=RatingEvent.Kind.DECIDE).earliest(
        "created_at"
    )
    assert justified < first_decision.created_at


def test_the_newcomer_of_august_is_not_rated_with_the_reason(demo):
    rating = rating_of(round_2019(), "cv2.dkkd")
    assert rating.months_worked == Decimal(5) and not rating.maternity
    assert rating.decided and rating.decided_level == "" and rating.proposed_level == ""
    found = services.suggestion(rating)
    assert found.not_rated.startswith("Thời gian công tác trong năm 5 tháng, chưa đủ 6 tháng")
    assert "01/08/2019" in rating.head_comment
    assert not Registration.objects.filter(round=rating.round, person=rating.person).exists()


def test_the_reprimanded_staff_member_is_khtnv(demo):
    round_ = round_2019()
    rating = rating_of(round_, "cv.dttd")
    discipline = Discipline.objects.get(person=rating.person)
    assert discipline.form == Discipline.Form.REPRIMAND and discipline.decided_on.year == 2019
    found = services.suggestion(rating, discipline)
    assert found.disciplined and found.level == Level.KHTNV
    assert rating.decided_level == Level.KHTNV


def test_the_registrations_were_made_in_january_2019(demo):
    round_ = round_2019()
    registrations = round_.registrations.all()
    assert {r.registered_on for r in registrations} == {datetime.date(2019, 1, 25)}
    assert registrations.filter(person__isnull=False).count() == 18  # all but the newcomer
    assert registrations.filter(department__isnull=False).count() == 8
    assert registrations.get(person__username="cv.ktdn").title == Title.CSTDCS
    assert registrations.get(department__code="KTĐN").title == Title.TT_LDXS


def test_the_titles_are_decided_by_the_council_and_the_leader(demo):
    round_ = round_2019()
    assert round_.council_members == 9
    assert (round_.decision_number, round_.decision_date) == (TITLES_NUMBER, datetime.date(2020, 1, 10))
    assert round_.titles_decided_by.username == "lanhdao" and round_.titles_decided_at.year == 2020
    awarded = {
        (n.person.username if n.person_id else n.department.code, n.title, n.votes_for)
        for n in round_.nominations.select_related("person", "department")
    }
    assert awarded == {
        ("vanthu", Title.LDTT, None),
        ("tp.thqh", Title.LDTT, None),
        ("cv.thqh", Title.LDTT, None),
        ("tp.ktdn", Title.LDTT, None),
        ("cv.ktdn", Title.LDTT, None),
        ("cv.ktdn", Title.CSTDCS, 8),  # HTXS, 8 of the council's 9 (≥ 80 %)
        ("cv.thqh", Title.CSTDCS, 9),  # HTT with a recognised initiative
        ("THQH", Title.TT_LDTT, None),
        ("KTĐN", Title.TT_LDXS, None),
    }
    assert not round_.nominations.filter(awarded=False).exists()
    initiative = Initiative.objects.get(person__username="cv.thqh")
    assert initiative.recognised_on.year == 2019
    standing = services.Standing(round_)
    assert all(standing.of(nomination).eligible for nomination in standing.nominations)
    assert {(u.department.code, u.level) for u in round_.unit_levels.select_related("department")} >= {
        ("THQH", Level.HTT),
        ("KTĐN", Level.HTXS),
    }


def test_the_current_years_round_is_open_with_chuyenviens_form_a_draft(demo):
    round_ = Round.objects.get(agency__code="SKHĐT", year=TODAY.year)
    assert round_.scheme == Scheme.POINTS and round_.status == Round.Status.OPEN
    states = dict(round_.ratings.values_list("person__username", "status"))
    assert states["chuyenvien"] == Rating.Status.DRAFT
    assert Counter(states.values()) == Counter(
        {Rating.Status.DRAFT: 14, Rating.Status.SUBMITTED: 3, Rating.Status.PROPOSED: 2}
    )
    proposed = round_.ratings.filter(status=Rating.Status.PROPOSED).select_related("person", "proposed_by")
    assert {(r.person.username, r.proposed_by.username) for r in proposed} == {
        ("cv.dkkd", "truongphong"),
        ("cv.vp", "tp.vp"),
    }
    for rating in proposed:
        assert rating.general_points == Decimal(27) and rating.task_points_by_head
        assert rating.proposed_level == Level.HTT
    chuyenvien = rating_of(round_, "chuyenvien")
    assert chuyenvien.assigned > 0 and not chuyenvien.self_review


def test_lanhdao_opens_the_2019_round_its_titles_and_a_form(demo):
    round_ = round_2019()
    client = Client()
    client.force_login(User.objects.get(username="lanhdao"))
    page = client.get(reverse("ratings:detail", args=[round_.pk]))
    assert page.status_code == 200
    assert "Lê Thị Hồng Nhung" in page.content.decode()
    emulation = client.get(reverse("ratings:emulation", args=[round_.pk]))
    assert emulation.status_code == 200
    assert "Phòng Kinh tế đối ngoại" in emulation.content.decode()
    form = client.get(reverse("ratings:rating", args=[rating_of(round_, "cv2.dkkd").pk]))
    assert form.status_code == 200
    assert "chưa đủ 6 tháng" in form.content.decode()
