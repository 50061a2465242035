"""Who may see and do what in a rating round. Views, services' callers and templates ask these.

- A person sees their own rating, record and form, and fills the form while it is a draft.
- A department's heads see their department's ratings and score and propose for its people (not for
  themselves); the agency's leaders see every rating, score and propose for the heads, and decide.
- The agency's clerks (Văn phòng, who run the year's paperwork) and its administrator see every rating,
  create the round, set the months worked, and keep the emulation records (registrations, initiatives,
  discipline, nominations, ballots); the leaders decide the titles.
- Overseers and other agencies see nothing of it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Role, User
from ratings.models import Rating, Round

OFFICE = (Role.CLERK, Role.ADMIN)


def _agency(user, agency_id) -> bool:
    return user.is_authenticated and user.agency_id == agency_id


def is_leader(user, agency_id) -> bool:
    return _agency(user, agency_id) and user.role == Role.LEADER


def is_office(user, agency_id) -> bool:
    return _agency(user, agency_id) and (user.role in OFFICE or user.is_superuser)


def sees_agency(user, agency_id) -> bool:
    """Sees every rating of the agency's rounds."""
    return is_leader(user, agency_id) or is_office(user, agency_id)


def can_organise(user, agency_id) -> bool:
    return is_office(user, agency_id) or is_leader(user, agency_id)


def is_head_of(user, department_id) -> bool:
    return user.is_authenticated and user.role == Role.DEPT_HEAD and user.department_id == department_id


def can_see(user, rating: Rating) -> bool:
    return (
        rating.person_id == user.pk
        or sees_agency(user, rating.round.agency_id)
        or is_head_of(user, rating.department_id)
    )


def visible_ratings(user, round_: Round):
    ratings = round_.ratings.all()
    if sees_agency(user, round_.agency_id):
        return ratings
    condition = Q(person=user)
    if user.role == Role.DEPT_HEAD and user.department_id:
        condition |= Q(department_id=user.department_id)
    return ratings.filter(condition)


def sees_round(user, round_: Round) -> bool:
    return _agency(user, round_.agency_id) and user.role != Role.OVERSEER


def rated_by_leaders(rating: Rating) -> bool:
    """A head of department is rated by the leaders, and so is anyone whose department has no other
    head to rate them."""
    if rating.is_head:
        return True
    heads = User.objects.filter(department_id=rating.department_id, role=Role.DEPT_HEAD, is_active=True)
    return not heads.exclude(pk=rating.person_id).exists()


def is_rater(user, rating: Rating) -> bool:
    """Scores the general criteria and proposes: a head of the department for its people, a leader of
    the agency for a head (or for a department without a head). Nobody rates themselves."""
    if not user.is_authenticated or rating.person_id == user.pk:
        return False
    if user.role == Role.LEADER:
        return is_leader(user, rating.round.agency_id) and rated_by_leaders(rating)
    return is_head_of(user, rating.department_id) and not rating.is_head


def can_self_assess(user, rating: Rating) -> bool:
    return (
        rating.person_id == user.pk
        and rating.status == Rating.Status.DRAFT
        and rating.round.status == Round.Status.OPEN
    )


def can_propose(user, rating: Rating) -> bool:
    return (
        is_rater(user, rating)
        and rating.status in (Rating.Status.SUBMITTED, Rating.Status.PROPOSED)
        and rating.round.status == Round.Status.OPEN
    )


def can_decide(user, rating: Rating) -> bool:
    return (
        is_leader(user, rating.round.agency_id)
        and rating.person_id != user.pk
        and rating.status == Rating.Status.PROPOSED
        and rating.round.status == Round.Status.OPEN
    )


def can_reopen(user, rating: Rating) -> bool:
    return is_leader(user, rating.round.agency_id) and rating.decided and not rating.round.titles_decided


def can_set_time(user, rating: Rating) -> bool:
    """The months worked: the office or the rater, before the decision."""
    return (
        (is_office(user, rating.round.agency_id) or is_rater(user, rating))
        and not rating.decided
        and rating.round.status == Round.Status.OPEN
    )


def keeps_emulation(user, round_: Round) -> bool:
    """Registrations, initiatives, discipline, nominations, ballots, unit levels."""
    return can_organise(user, round_.agency_id)


def decides_titles(user, round_: Round) -> bool:
    return is_leader(user, round_.agency_id)


def get_round(user, pk) -> Round:
    round_ = get_object_or_404(Round.objects.select_related("agency"), pk=pk)
    if not sees_round(user, round_):
        raise Http404
    return round_


def get_rating(user, pk) -> Rating:
    rating = get_object_or_404(
        Rating.objects.select_related("round__agency", "person", "department", "proposed_by", "decided_by"),
        pk=pk,
    )
    if not can_see(user, rating):
        raise Http404
    return rating


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
