"""Who may do what in an evaluation round. Views, services and templates call these.

- The round belongs to the agency that organises it: its leaders (and its administrator) create,
  open, finalize, reopen with a reason and publish it. A Sở scores its departments; Sở Nội vụ (the
  overseer's agency) scores the agencies of the province.
- A unit self-assesses in the self-assessment window only, and only its own: the staff, clerks and head
  of a department (scope departments), the clerks, leaders and administrator of an agency (scope agencies).
  The head of the department, or a leader of the agency, submits.
- The round's appraisers appraise in the appraisal window only and never change a self-score.
- Once finalized, nothing changes but through a recorded reopen.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role
from evaluations.models import Round, Scope, Score, ScoreEvidence, Unit

ORGANISERS = (Role.LEADER, Role.ADMIN)
AGENCY_SCORERS = (Role.CLERK, Role.LEADER, Role.ADMIN)
DEPARTMENT_SCORERS = (Role.STAFF, Role.DEPT_HEAD, Role.CLERK)


def can_organise(user, round_or_agency_id) -> bool:
    agency_id = round_or_agency_id.agency_id if isinstance(round_or_agency_id, Round) else round_or_agency_id
    return (
        user.is_authenticated
        and user.agency_id == agency_id
        and (user.role in ORGANISERS or user.is_superuser)
    )


def is_appraiser(user, round_: Round) -> bool:
    return user.is_authenticated and round_.appraisers.filter(pk=user.pk).exists()


def belongs_to(user, unit: Unit) -> bool:
    """The user works in the unit evaluated."""
    if not user.is_authenticated:
        return False
    if unit.department_id is not None:
        return user.department_id == unit.department_id and user.role in DEPARTMENT_SCORERS
    return user.agency_id == unit.agency_id and user.role in AGENCY_SCORERS


def in_window(start: datetime.date, end: datetime.date, today: datetime.date) -> bool:
    return start <= today <= end


def can_self_assess(user, unit: Unit, today: datetime.date) -> bool:
    """In the self-assessment window while not submitted; a unit returned by the appraiser also in the
    appraisal window, until it submits again."""
    round_ = unit.round
    open_now = (
        round_.status == Round.Status.SELF_ASSESSMENT
        and in_window(round_.self_from, round_.self_to, today)
        and unit.status in (Unit.Status.OPEN, Unit.Status.RETURNED)
    )
    returned_now = (
        round_.status == Round.Status.APPRAISAL
        and in_window(round_.appraisal_from, round_.appraisal_to, today)
        and unit.status == Unit.Status.RETURNED
    )
    return (open_now or returned_now) and belongs_to(user, unit)


def can_submit(user, unit: Unit, today: datetime.date) -> bool:
    if not can_self_assess(user, unit, today):
        return False
    if unit.round.scope == Scope.DEPARTMENTS:
        return user.role == Role.DEPT_HEAD
    return user.role in (Role.LEADER, Role.ADMIN)


def can_appraise(user, unit: Unit, today: datetime.date) -> bool:
    round_ = unit.round
    return (
        round_.status == Round.Status.APPRAISAL
        and in_window(round_.appraisal_from, round_.appraisal_to, today)
        and unit.status in (Unit.Status.SUBMITTED, Unit.Status.APPRAISED)
        and is_appraiser(user, round_)
        and not belongs_to(user, unit)
    )


# Who sees what, for the pages. A foreign id answers 404 (get_… helpers); a missing right 403.


def works_in(user, unit: Unit) -> bool:
    """The user is one of the unit's people, to read its grid: anyone of the department (scope
    departments) or of the agency (scope agencies). Scoring is narrower (belongs_to)."""
    if not user.is_authenticated:
        return False
    if unit.department_id is not None:
        return user.department_id == unit.department_id
    return user.agency_id == unit.agency_id


def visible_rounds(user):
    """The rounds `user` may open: every round of their agency for its organisers (drafts too); for
    everyone else the rounds past the draft of their agency, those evaluating their department or
    agency, and those they appraise."""
    if not user.is_authenticated:
        return Round.objects.none()
    shared = Q(appraisers=user)
    if user.agency_id is not None:
        shared |= Q(agency_id=user.agency_id) | Q(units__agency_id=user.agency_id)
    if user.department_id is not None:
        shared |= Q(units__department_id=user.department_id)
    seen = shared & ~Q(status=Round.Status.DRAFT)
    if user.agency_id is not None and can_organise(user, user.agency_id):
        seen |= Q(agency_id=user.agency_id)
    return Round.objects.filter(pk__in=Round.objects.filter(seen).values("pk"))


def can_create_round(user) -> bool:
    return user.is_authenticated and user.agency_id is not None and can_organise(user, user.agency_id)


def sees_ranking(user, round_: Round, *, appraiser: bool | None = None) -> bool:
    """The whole ranking: organisers and appraisers always, everyone of the round once published
    (until then a unit sees its own row only). `appraiser` saves the query when already known."""
    if can_organise(user, round_):
        return True
    if round_.status == Round.Status.PUBLISHED:
        return True
    return bool(is_appraiser(user, round_) if appraiser is None else appraiser)


def sees_appraisal(user, unit: Unit, *, appraiser: bool) -> bool:
    """The appraisal column: the round's appraisers and organisers, the unit once the round is finalized."""
    if appraiser or can_organise(user, unit.round):
        return True
    return unit.round.status in (Round.Status.FINALIZED, Round.Status.PUBLISHED)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def get_viewable_round(request, pk) -> Round:
    return get_object_or_404(visible_rounds(request.user).select_related("agency"), pk=pk)


def get_organised_round(request, pk) -> Round:
    round_ = get_viewable_round(request, pk)
    _require(can_organise(request.user, round_), "Chỉ lãnh đạo cơ quan tổ chức đợt đánh giá.")
    return round_


def _unit_is_viewable(user, unit: Unit) -> bool:
    round_ = unit.round
    if can_organise(user, round_):
        return True
    if round_.status == Round.Status.DRAFT:
        return False
    return works_in(user, unit) or is_appraiser(user, round_)


def get_viewable_unit(request, pk) -> Unit:
    """The unit, or 404 for whoever is neither one of its people, an organiser nor an appraiser."""
    unit = get_object_or_404(
        Unit.objects.select_related("round__agency", "department", "agency", "submitted_by"), pk=pk
    )
    if not _unit_is_viewable(request.user, unit):
        raise Http404("Không tìm thấy đơn vị được đánh giá.")
    return unit


def get_viewable_score(request, pk) -> Score:
    score = get_object_or_404(
        Score.objects.select_related("criterion", "unit__round__agency", "unit__department", "unit__agency"),
        pk=pk,
    )
    if not _unit_is_viewable(request.user, score.unit):
        raise Http404("Không tìm thấy tiêu chí được chấm.")
    return score


def get_viewable_evidence(request, pk) -> ScoreEvidence:
    item = get_object_or_404(ScoreEvidence.objects.select_related("score__unit__round"), pk=pk)
    if not _unit_is_viewable(request.user, item.score.unit):
        raise Http404("Không tìm thấy tài liệu.")
    return item
