"""Rows for the evaluation rounds: a departments round of the personas' agency, open for
self-assessment today. Its organisers are the agency's leader and administrator (who appraise too
in the views' tests); `staff` and `dept_head` are the people of the unit whose pages are asked for;
the clerk's office is another unit of the round; the overseer and the outsider are of other agencies."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.matrix import Form, State, signed_in


def open_round(request, *, appraisal: bool = False, submitted: bool = False):
    """A round of the `agency` fixture opened by its leader, its window around today (the appraisal
    window with `appraisal`, the round then moved on to appraisal; with `submitted` the head of `department`
    scored and submitted the unit's self-assessment in its window first)."""
    from evaluations import services
    from evaluations.models import Method, Scope
    from evaluations.scoring import Node

    request.getfixturevalue("office")
    request.getfixturevalue("department")
    agency, leader = request.getfixturevalue("agency"), request.getfixturevalue("leader")
    rubric = services.rubric_create(
        name="Bộ tiêu chí của ma trận",
        scope=Scope.DEPARTMENTS,
        total_points=Decimal(100),
        agency=agency,
        criteria=[
            Node(
                "I",
                "Công tác chỉ đạo, điều hành",
                Decimal(100),
                Method.GROUP,
                children=[Node("1", "Ban hành kế hoạch CCHC", Decimal(100), Method.YES_NO)],
            )
        ],
    )
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    start = today - 20 * day if appraisal else today - 5 * day
    round_ = services.round_create(
        agency=agency,
        by=leader,
        rubric=rubric,
        year=today.year,
        title="",
        self_from=start,
        self_to=start + 10 * day,
        appraisal_from=start + 11 * day,
        appraisal_to=start + 30 * day,
    )
    services.round_move(round_=round_, by=leader, move="open")
    if submitted:
        head, day_of_self = request.getfixturevalue("dept_head"), start + day
        unit = _unit(round_, request)
        services.score_self(score=unit.scores.get(), by=head, value="yes", today=day_of_self)
        services.unit_submit(unit=unit, by=head, today=day_of_self)
        round_.appraisers.add(leader)  # the round's appraiser: the leader, not the administrator
    if appraisal:
        services.round_move(round_=round_, by=leader, move="appraise")
    return round_


def _unit(round_, request):
    return round_.units.get(department=request.getfixturevalue("department"))


def _round_url(name):
    return lambda request: reverse(name, args=[open_round(request).pk])


def _unit_url(name):
    return lambda request: reverse(name, args=[_unit(open_round(request), request).pk])


def _score_url(name):
    return lambda request: reverse(name, args=[_unit(open_round(request), request).scores.get().pk])


def _computed_score_url(request):
    """The unit's one score, its criterion made a computed one (the tasks behind its figure)."""
    from evaluations.models import Measure, Method

    score = _unit(open_round(request), request).scores.select_related("criterion").get()
    type(score.criterion).objects.filter(pk=score.criterion_id).update(
        method=Method.COMPUTED, measure=Measure.COMPLETED
    )
    return reverse("evaluations:score_tasks", args=[score.pk])


def _evidence_url(request):
    from evaluations import services
    from tests.conftest import pdf_upload

    score = _unit(open_round(request), request).scores.get()
    item = services.evidence_add(score=score, by=request.getfixturevalue("staff"), upload=pdf_upload())
    return reverse("evaluations:evidence", args=[item.pk])


def _print_url(name, of_unit=False):
    def url(request):
        round_ = open_round(request)
        pk = _unit(round_, request).pk if of_unit else round_.pk
        return reverse(name, args=[pk, "docx"])

    return url


def _default_rubric_url(request):
    from evaluations.models import Rubric, Scope

    rubric = Rubric.objects.filter(is_default=True, scope=Scope.DEPARTMENTS).first()
    return reverse("evaluations:rubric_export", args=[rubric.pk])


ORGANISERS = {"leader": 200, "admin": 200}
OTHERS_AWAY = {"overseer": 404, "outsider": 404}
# the unit's grid: its people and the round's organisers; the clerk works in another unit
UNIT_PAGE = signed_in(404, staff=200, dept_head=200, **ORGANISERS)

ROWS = {
    "evaluations:list": ("get", None, signed_in(200), "post"),
    "evaluations:queue": ("get", None, signed_in(200), "post"),
    "evaluations:create": ("get", None, signed_in(403, **ORGANISERS), "put"),
    "evaluations:detail": ("get", _round_url("evaluations:detail"), signed_in(200, **OTHERS_AWAY), "post"),
    "evaluations:move": (
        "post",
        _round_url("evaluations:move"),
        signed_in(403, leader=302, admin=302, **OTHERS_AWAY),
        "get",
    ),
    "evaluations:compute": (
        "post",
        _round_url("evaluations:compute"),
        signed_in(403, leader=302, admin=302, **OTHERS_AWAY),
        "get",
    ),
    "evaluations:unit": ("get", _unit_url("evaluations:unit"), UNIT_PAGE, "post"),
    "evaluations:unit_history": ("get", _unit_url("evaluations:unit_history"), UNIT_PAGE, "post"),
    # the head submits (the empty grid is refused with its problems: 200); nobody appraises yet
    "evaluations:submit": (
        "post",
        _unit_url("evaluations:submit"),
        signed_in(404, staff=403, dept_head=200, leader=403, admin=403),
        "get",
    ),
    "evaluations:return": (
        "post",
        _unit_url("evaluations:return"),
        signed_in(404, staff=403, dept_head=403, leader=403, admin=403),
        "get",
    ),
    "evaluations:score_self": (
        "post",
        _score_url("evaluations:score_self"),
        signed_in(404, staff=302, dept_head=302, leader=403, admin=403),
        "get",
    ),
    "evaluations:score_appraise": (
        "post",
        _score_url("evaluations:score_appraise"),
        signed_in(404, staff=403, dept_head=403, leader=403, admin=403),
        "get",
    ),
    "evaluations:evidence": ("get", _evidence_url, UNIT_PAGE, "post"),
    "evaluations:score_tasks": ("get", _computed_score_url, UNIT_PAGE, "post"),
    # the notice holds the whole ranking: before it is published, the round's organisers only
    "evaluations:print": (
        "get",
        _print_url("evaluations:print"),
        signed_in(403, **ORGANISERS, **OTHERS_AWAY),
        "post",
    ),
    "evaluations:unit_print": ("get", _print_url("evaluations:unit_print", of_unit=True), UNIT_PAGE, "post"),
    "evaluations:criteria": (
        "get",
        _round_url("evaluations:criteria"),
        signed_in(200, **OTHERS_AWAY),
        "post",
    ),
    "evaluations:rubric_import": ("get", None, signed_in(403, **ORGANISERS), "put"),
    "evaluations:rubric_export": ("get", _default_rubric_url, signed_in(403, **ORGANISERS), "post"),
}

FORMS = {
    # an empty form is shown again with its problems
    "evaluations:create": Form(signed_in(403, **ORGANISERS)),
    "evaluations:rubric_import": Form(signed_in(403, **ORGANISERS)),
}


def _appraisal_unit_url(name):
    def url(request):
        return reverse(name, args=[_unit(open_round(request, appraisal=True, submitted=True), request).pk])

    return url


def _appraisal_score_url(name):
    def url(request):
        unit = _unit(open_round(request, appraisal=True, submitted=True), request)
        return reverse(name, args=[unit.scores.get().pk])

    return url


# In appraisal, the unit submitted: its people no longer write; the organisers appraise and return.
STATES = {
    "evaluations:score_self": [
        State(
            "appraisal",
            _appraisal_score_url("evaluations:score_self"),
            signed_in(404, staff=403, dept_head=403, leader=403, admin=403),
        ),
    ],
    "evaluations:score_appraise": [
        State(
            "appraisal",
            _appraisal_score_url("evaluations:score_appraise"),
            signed_in(404, staff=403, dept_head=403, leader=302, admin=403),
            body={"points": "100", "note": "Đồng ý"},
        ),
    ],
    "evaluations:submit": [
        State(
            "appraisal",
            _appraisal_unit_url("evaluations:submit"),
            signed_in(404, staff=403, dept_head=403, leader=403, admin=403),
        ),
    ],
    "evaluations:return": [
        State(
            "appraisal",
            _appraisal_unit_url("evaluations:return"),
            signed_in(404, staff=403, dept_head=403, leader=302, admin=403),
            body={"reason": "Bổ sung minh chứng của tiêu chí 1"},
        ),
    ],
}
