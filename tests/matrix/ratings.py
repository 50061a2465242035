"""Rows for the staff ratings and emulation titles: a round of the personas' agency for this year. The
rated people are `staff` and `dept_head` (Phòng ĐKKD) and the clerk (Văn phòng); the leader decides and
rates the head; the administrator works in the office; the overseer and the outsider are of other
agencies. The staff member's rating is asked for in the state each step needs."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.matrix import Form, signed_in

AWAY = {"overseer": 404, "outsider": 404}
# another department's head and staff do not see the staff member's rating at all
NOT_THEIRS = {"other_head": 404, "coordinator": 404}
AGENCY_WIDE = {"leader": 200, "clerk": 200, "admin": 200}
# A person's rating: the person, their head and those who see the whole agency.
RATING_PAGE = signed_in(200, **AWAY, **NOT_THEIRS)


def rating_round(request):
    from ratings import services
    from ratings.models import Round

    agency = request.getfixturevalue("agency")
    found = Round.objects.filter(agency=agency).first()
    return found or services.round_create(
        agency=agency, year=timezone.localdate().year, by=request.getfixturevalue("clerk")
    )


def staff_rating(request, state="draft"):
    """The staff member's rating: a draft, submitted, proposed (HTT, 27 + 60 points) or decided (HTT)."""
    from ratings import services
    from ratings.models import Level

    rating = rating_round(request).ratings.get(person=request.getfixturevalue("staff"))
    if state == "draft":
        return rating
    services.self_assess(
        rating, by=rating.person, self_review="Hoàn thành nhiệm vụ.", self_level=Level.HTT, submit=True
    )
    if state == "submitted":
        return rating
    head = request.getfixturevalue("dept_head")
    services.propose(
        rating,
        by=head,
        level=Level.HTT,
        comment="Tích cực.",
        general_points=Decimal(27),
        entered_task_points=Decimal(60),
    )
    if state == "proposed":
        return rating
    services.decide(rating, by=request.getfixturevalue("leader"), level=Level.HTT)
    return rating


def nomination(request):
    from ratings import services
    from ratings.models import Title

    rating = staff_rating(request, "decided")
    return services.nominate(
        rating.round, by=request.getfixturevalue("clerk"), title=Title.LDTT, person=rating.person
    )


def round_url(name, *extra):
    return lambda request: reverse(name, args=[rating_round(request).pk, *extra])


def rating_url(name, state="draft", *extra):
    return lambda request: reverse(name, args=[staff_rating(request, state).pk, *extra])


def nomination_url(name):
    return lambda request: reverse(name, args=[nomination(request).pk])


def decided_titles_url(request):
    """The titles decided: every rating decided first (the head and the clerk, whose office has no head,
    by the leader)."""
    from ratings import services
    from ratings.models import Level

    item = nomination(request)
    leader = request.getfixturevalue("leader")
    for rating in item.round.ratings.exclude(status="decided"):
        services.self_assess(
            rating, by=rating.person, self_review="Hoàn thành.", self_level=Level.HTT, submit=True
        )
        services.propose(
            rating,
            by=leader,
            level=Level.HTT,
            comment="Tốt.",
            general_points=Decimal(27),
            entered_task_points=Decimal(60),
        )
        services.decide(rating, by=leader, level=Level.HTT)
    services.decide_titles(
        item.round, by=request.getfixturevalue("leader"), number="15/QĐ-SKHĐT", date=timezone.localdate()
    )
    return reverse("ratings:titles_reopen", args=[item.round_id])


ROWS = {
    "ratings:list": ("get", None, signed_in(200, overseer=403), "post"),
    "ratings:create": ("get", None, signed_in(403, **AGENCY_WIDE, outsider=200), "put"),
    "ratings:detail": ("get", round_url("ratings:detail"), signed_in(200, **AWAY), "post"),
    "ratings:recount": (
        "post",
        round_url("ratings:recount"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:cap": (
        "post",
        round_url("ratings:cap"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:rating": ("get", rating_url("ratings:rating"), RATING_PAGE, "post"),
    "ratings:tasks": ("get", rating_url("ratings:tasks"), RATING_PAGE, "post"),
    # an empty form saves the draft as it is
    "ratings:self": (
        "post",
        rating_url("ratings:self"),
        signed_in(403, staff=302, **AWAY, **NOT_THEIRS),
        "get",
    ),
    # the months worked: the office and the person's head; an empty form is refused on the page
    "ratings:time": (
        "post",
        rating_url("ratings:time"),
        signed_in(403, dept_head=400, clerk=400, admin=400, **AWAY, **NOT_THEIRS),
        "get",
    ),
    "ratings:propose": (
        "post",
        rating_url("ratings:propose", "submitted"),
        signed_in(403, dept_head=400, **AWAY, **NOT_THEIRS),
        "get",
    ),
    "ratings:decide": (
        "post",
        rating_url("ratings:decide", "proposed"),
        signed_in(403, leader=400, **AWAY, **NOT_THEIRS),
        "get",
    ),
    "ratings:reopen": (
        "post",
        rating_url("ratings:reopen", "decided"),
        signed_in(403, leader=400, **AWAY, **NOT_THEIRS),
        "get",
    ),
    # emulation: the whole agency's business (heads and staff 403); the office and leaders keep the records
    "ratings:emulation": (
        "get",
        round_url("ratings:emulation"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "post",
    ),
    "ratings:registration_add": (
        "post",
        round_url("ratings:registration_add"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "get",
    ),
    "ratings:initiative_add": (
        "post",
        round_url("ratings:initiative_add"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "get",
    ),
    "ratings:discipline_add": (
        "post",
        round_url("ratings:discipline_add"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "get",
    ),
    "ratings:unit_level": (
        "post",
        round_url("ratings:unit_level"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:council": (
        "post",
        round_url("ratings:council"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:nominate": (
        "post",
        round_url("ratings:nominate"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:ballot": (
        "post",
        nomination_url("ratings:ballot"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    "ratings:withdraw": (
        "post",
        nomination_url("ratings:withdraw"),
        signed_in(403, leader=302, clerk=302, admin=302, **AWAY),
        "get",
    ),
    # the leaders decide the titles and reopen them
    "ratings:titles_decide": (
        "post",
        round_url("ratings:titles_decide"),
        signed_in(403, leader=200, **AWAY),
        "get",
    ),
    "ratings:titles_reopen": ("post", decided_titles_url, signed_in(403, leader=200, **AWAY), "get"),
    # printed: the whole agency's summary and the draft decision for the agency-wide; a form as its page
    "ratings:summary_print": (
        "get",
        round_url("ratings:summary_print", "docx"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "post",
    ),
    "ratings:decision_print": (
        "get",
        round_url("ratings:decision_print", "docx"),
        signed_in(403, **AGENCY_WIDE, **AWAY),
        "post",
    ),
    "ratings:form_print": ("get", rating_url("ratings:form_print", "draft", "docx"), RATING_PAGE, "post"),
}

FORMS = {
    # an empty form is shown again with its problems
    "ratings:create": Form(signed_in(403, **AGENCY_WIDE, outsider=200)),
}
