"""What changes a rating round, each step in one transaction, refused with a Vietnamese message
(ValidationError) and nothing written when the rules or the state do not allow it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from ratings.models import (
    COLLECTIVE_TITLES,
    SHORT,
    Discipline,
    Level,
    Nomination,
    Rating,
    RatingEvent,
    Round,
    RoundEvent,
    Scheme,
    Title,
    UnitLevel,
    better,
)
from ratings.record import Book
from ratings.rules import (
    COUNTED,
    Cap,
    Suggestion,
    cap_of,
    counts_of,
    defaults_for,
    rules_problems,
    shown,
    suggest,
    task_points,
)

RATED_ROLES = (Role.STAFF, Role.DEPT_HEAD, Role.CLERK)
BALLOT_SHARE = Decimal(80)  # % of all the council's members a Chiến sĩ thi đua cơ sở needs
MEMBERS_LDTT = Decimal(70)  # % of a department's members a collective title needs as Lao động tiên tiến


# Rounds --------------------------------------------------------------------------------------------


def default_cut_off(year: int) -> datetime.date:
    """The year's last reporting cut-off: the rating is done before 15/12 (DOMAIN §8)."""
    return datetime.date(year, 12, 14)


def people_of(agency):
    """The people rated by an agency: its active staff, heads and clerks of its departments."""
    return agency.users.filter(is_active=True, role__in=RATED_ROLES, department__isnull=False).select_related(
        "department"
    )


@transaction.atomic
def round_create(*, agency, year: int, by, cut_off: datetime.date | None = None, **rules) -> Round:
    fields = defaults_for(year) | rules
    problems = rules_problems(fields)
    if problems:
        raise ValidationError(problems)
    if Round.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": f"Đã có đợt đánh giá, xếp loại năm {year} của cơ quan."})
    round_ = Round.objects.create(
        agency=agency, year=year, cut_off=cut_off or default_cut_off(year), created_by=by, **fields
    )
    Rating.objects.bulk_create(
        Rating(
            round=round_,
            person=person,
            department=person.department,
            position=person.position,
            is_head=person.role == Role.DEPT_HEAD,
        )
        for person in people_of(agency)
    )
    recount(round_)
    return round_


def _store_counts(rating: Rating, book: Book, round_: Round) -> None:
    counts = book.counts(rating)
    for name in COUNTED:
        setattr(rating, name, getattr(counts, name))
    if not rating.task_points_by_head or counts.assigned:
        parts = task_points(counts, round_.quantity_max, round_.quality_max, round_.timeliness_max)
        rating.task_points = parts.total if parts and round_.scheme == Scheme.POINTS else None
        rating.task_points_by_head = False
    rating.counted_at = timezone.now()


COUNT_FIELDS = [*COUNTED, "task_points"]


@transaction.atomic
def recount(round_: Round) -> int:
    """The task record of every rating not yet decided, counted again on the cut-off."""
    book = Book(round_)
    ratings = list(round_.ratings.exclude(status=Rating.Status.DECIDED))
    for rating in ratings:
        _store_counts(rating, book, round_)
    Rating.objects.bulk_update(ratings, COUNT_FIELDS + ["task_points_by_head", "counted_at"])
    return len(ratings)


# One person's rating ---------------------------------------------------------------------------------


def disciplined_in(round_: Round, person_ids) -> dict[int, Discipline]:
    """person id → the heaviest measure decided in the round's year."""
    found = {}
    rows = Discipline.objects.filter(
        agency_id=round_.agency_id, person_id__in=person_ids, decided_on__year=round_.year
    ).order_by("decided_on")
    order = list(Discipline.Form.values)
    for row in rows:
        known = found.get(row.person_id)
        if known is None or order.index(row.form) > order.index(known.form):
            found[row.person_id] = row
    return found


def suggestion(rating: Rating, discipline: Discipline | None = None) -> Suggestion:
    return suggest(
        rating.round,
        counts_of(rating),
        months_worked=rating.months_worked,
        maternity=rating.maternity,
        disciplined=discipline.get_form_display() if discipline else "",
        general_points=rating.general_points,
        general_met=rating.general_met,
        task_total=rating.task_points,
    )


def suggestions(round_: Round, ratings) -> dict[int, Suggestion]:
    ratings = list(ratings)
    disciplined = disciplined_in(round_, [rating.person_id for rating in ratings])
    return {rating.pk: suggestion(rating, disciplined.get(rating.person_id)) for rating in ratings}


def _locked(rating: Rating) -> None:
    if rating.round.status != Round.Status.OPEN:
        raise ValidationError("Đợt đánh giá, xếp loại đã kết thúc: không sửa được.")
    if rating.decided:
        raise ValidationError("Phiếu đã có quyết định xếp loại: chỉ sửa được sau khi lãnh đạo mở lại.")


def _event(rating, kind, by, level="", note=""):
    RatingEvent.objects.create(rating=rating, kind=kind, actor=by, level=level or "", note=note)


@transaction.atomic
def self_assess(rating: Rating, *, by, self_review: str, self_level: str, submit: bool = False) -> Rating:
    rating = Rating.objects.select_for_update().select_related("round").get(pk=rating.pk)
    _locked(rating)
    if rating.status not in (Rating.Status.DRAFT,):
        raise ValidationError("Phiếu đã gửi người đánh giá: không sửa được phần tự đánh giá.")
    if submit and not self_review.strip():
        raise ValidationError({"self_review": "Hãy viết phần tự nhận xét ưu, khuyết điểm trước khi gửi."})
    if submit and not self_level:
        raise ValidationError({"self_level": "Hãy chọn mức tự xếp loại trước khi gửi."})
    rating.self_review, rating.self_level = self_review.strip(), self_level
    if submit:
        rating.status, rating.submitted_at = Rating.Status.SUBMITTED, timezone.now()
    rating.save()
    if submit:
        _event(rating, RatingEvent.Kind.SUBMIT, by, self_level)
    return rating


@transaction.atomic
def set_time_worked(rating: Rating, *, by, months_worked: Decimal, maternity: bool) -> Rating:
    rating = Rating.objects.select_for_update().select_related("round").get(pk=rating.pk)
    _locked(rating)
    if not Decimal(0) <= months_worked <= Decimal(12):
        raise ValidationError({"months_worked": "Số tháng công tác phải từ 0 đến 12."})
    rating.months_worked, rating.maternity = months_worked, maternity
    rating.save(update_fields=["months_worked", "maternity"])
    return rating


def _in_range(value: Decimal | None, maximum: Decimal, field: str, what: str) -> None:
    if value is None:
        raise ValidationError({field: f"Hãy nhập {what}."})
    if not Decimal(0) <= value <= maximum:
        raise ValidationError({field: f"{what[0].upper()}{what[1:]} phải từ 0 đến {shown(maximum)}."})


def _check_level(
    found: Suggestion, level: str, reason: str, *, field: str, reason_field: str, against: str = "mức gợi ý"
) -> None:
    """A level against the rules: a person not rated takes none; no level above the rules' ceiling (months
    off work) or above KHTNV when disciplined; any other difference from the suggestion needs a reason."""
    if found.not_rated:
        if level:
            raise ValidationError({field: found.not_rated})
        return
    if not level:
        raise ValidationError({field: "Hãy chọn mức xếp loại."})
    if found.ceiling and better(level, found.ceiling):
        raise ValidationError({field: found.reasons[0]})
    if found.disciplined and level != Level.KHTNV:
        raise ValidationError(
            {field: "Người bị xử lý kỷ luật trong năm đánh giá xếp loại không hoàn thành nhiệm vụ."}
        )
    if level != found.level and not reason.strip():
        wanted = f"{against} {SHORT[found.level]}" if found.level else f"(chưa có {against})"
        raise ValidationError(
            {
                reason_field: f"Mức {SHORT[level]} khác với {wanted}: hãy ghi lý do để người quyết định xem xét."
            }
        )


@transaction.atomic
def propose(
    rating: Rating,
    *,
    by,
    level: str,
    comment: str,
    reason: str = "",
    general_points: Decimal | None = None,
    general_met: bool | None = None,
    entered_task_points: Decimal | None = None,
) -> Rating:
    """The head's part (a leader's for a head of department): the general criteria, the comment and the
    proposed level, against the record counted again now."""
    rating = Rating.objects.select_for_update().select_related("round").get(pk=rating.pk)
    round_ = rating.round
    _locked(rating)
    if rating.status == Rating.Status.DRAFT:
        raise ValidationError("Người được đánh giá chưa gửi phiếu tự đánh giá.")
    _store_counts(rating, Book(round_), round_)
    discipline = disciplined_in(round_, [rating.person_id]).get(rating.person_id)
    if suggestion(rating, discipline).not_rated:
        pass  # not rated this year: a comment, no points and no level
    elif round_.scheme == Scheme.POINTS:
        _in_range(general_points, round_.general_max, "general_points", "điểm tiêu chí chung")
        rating.general_points = general_points
        if not rating.assigned:
            _in_range(entered_task_points, round_.task_max, "task_points", "điểm kết quả thực hiện nhiệm vụ")
            rating.task_points, rating.task_points_by_head = entered_task_points, True
    else:
        if general_met is None:
            raise ValidationError(
                {"general_met": "Hãy cho biết người được đánh giá có đạt tiêu chí chung không."}
            )
        rating.general_met = general_met
    found = suggestion(rating, discipline)
    if found.waiting and not found.not_rated and not found.no_record:
        raise ValidationError(found.waiting)
    _check_level(found, level, reason, field="proposed_level", reason_field="proposal_reason")
    if not comment.strip():
        raise ValidationError({"head_comment": "Hãy ghi nhận xét ưu, khuyết điểm."})
    rating.head_comment, rating.proposed_level = comment.strip(), level
    rating.proposal_reason = reason.strip() if level != found.level else ""
    rating.status, rating.proposed_by, rating.proposed_at = Rating.Status.PROPOSED, by, timezone.now()
    rating.save()
    _event(rating, RatingEvent.Kind.PROPOSE, by, level, rating.proposal_reason)
    return rating


def round_levels(round_: Round, *, besides: Rating | None = None, level: str | None = None) -> list[str]:
    """Each rated person's level as it stands (decided, else proposed); `besides` counted at `level`."""
    found = []
    for pk, decided, proposed, status in round_.ratings.values_list(
        "pk", "decided_level", "proposed_level", "status"
    ):
        if besides is not None and pk == besides.pk:
            found.append(level or "")
        elif status == Rating.Status.DECIDED:
            found.append(decided)
        else:
            found.append(proposed)
    return [value for value in found if value]


def cap(round_: Round) -> Cap:
    return cap_of(round_levels(round_), round_.cap_percent)


@transaction.atomic
def decide(rating: Rating, *, by, level: str, note: str = "") -> Rating:
    rating = Rating.objects.select_for_update().select_related("round").get(pk=rating.pk)
    round_ = Round.objects.select_for_update().get(pk=rating.round_id)
    _locked(rating)
    if rating.status != Rating.Status.PROPOSED:
        raise ValidationError("Phiếu chưa có đề xuất của người đánh giá.")
    discipline = disciplined_in(round_, [rating.person_id]).get(rating.person_id)
    found = suggestion(rating, discipline)
    # The leader departs from the proposal only with a reason; the rules' limits hold for them too.
    base = Suggestion(level=rating.proposed_level or None, reasons=found.reasons, not_rated=found.not_rated)
    base.ceiling, base.disciplined = found.ceiling, found.disciplined
    _check_level(
        base, level, note, field="decided_level", reason_field="decision_note", against="mức đề xuất"
    )
    if level == Level.HTXS:
        after = cap_of(round_levels(round_, besides=rating, level=level), round_.cap_percent)
        if after.exceeded and not round_.cap_justification.strip():
            raise ValidationError(
                {
                    "decided_level": (
                        f"Số HTXS ({after.htxs}) vượt {after.percent} % số HTT ({after.htt} người, tối đa "
                        f"{after.allowed} HTXS): hãy ghi lý do vượt tỷ lệ của cơ quan trước khi quyết định."
                    )
                }
            )
    rating.decided_level, rating.decision_note = level, note.strip()
    rating.status, rating.decided_by, rating.decided_at = Rating.Status.DECIDED, by, timezone.now()
    rating.save()
    _event(rating, RatingEvent.Kind.DECIDE, by, level, rating.decision_note)
    return rating


@transaction.atomic
def reopen(rating: Rating, *, by, reason: str) -> Rating:
    rating = Rating.objects.select_for_update().select_related("round").get(pk=rating.pk)
    if not rating.decided:
        raise ValidationError("Phiếu chưa có quyết định: không cần mở lại.")
    if rating.round.titles_decided:
        raise ValidationError(
            "Danh hiệu thi đua của năm đã được quyết định: không mở lại được phiếu xếp loại."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do mở lại."})
    rating.status, rating.decided_level, rating.decided_by, rating.decided_at = (
        Rating.Status.PROPOSED,
        "",
        None,
        None,
    )
    rating.save()
    _event(rating, RatingEvent.Kind.REOPEN, by, note=reason.strip())
    return rating


@transaction.atomic
def justify_cap(round_: Round, *, by, text: str) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError("Đợt đánh giá, xếp loại đã kết thúc.")
    round_.cap_justification, round_.cap_justified_by = text.strip(), by if text.strip() else None
    round_.save(update_fields=["cap_justification", "cap_justified_by"])
    RoundEvent.objects.create(round=round_, kind=RoundEvent.Kind.CAP, actor=by, note=text.strip())
    return round_


# Emulation titles -------------------------------------------------------------------------------------


@dataclass
class Eligibility:
    """Whether a person or a department may be proposed for a title, and why (or why not)."""

    title: str
    eligible: bool
    reasons: list[str]


def _initiatives_in(round_: Round, person_ids) -> dict[int, list]:
    from ratings.models import Initiative

    found: dict[int, list] = {}
    for row in Initiative.objects.filter(
        agency_id=round_.agency_id, person_id__in=person_ids, recognised_on__year=round_.year
    ):
        found.setdefault(row.person_id, []).append(row)
    return found


class Standing:
    """The emulation facts of a round read once: ratings, discipline, initiatives, unit levels, ballots."""

    def __init__(self, round_: Round):
        self.round = round_
        self.ratings = list(round_.ratings.select_related("person", "department"))
        ids = [rating.person_id for rating in self.ratings]
        self.discipline = disciplined_in(round_, ids)
        self.initiatives = _initiatives_in(round_, ids)
        self.unit_levels = {row.department_id: row for row in round_.unit_levels.all()}
        self.nominations = list(round_.nominations.all())
        self.by_person = {rating.person_id: rating for rating in self.ratings}

    def ballot_passes(self, nomination: Nomination) -> bool | None:
        """None while no ballot is recorded."""
        if nomination.votes_for is None or not self.round.council_members:
            return None
        return nomination.votes_for * 100 >= BALLOT_SHARE * self.round.council_members

    def person(self, person_id: int, title: str) -> Eligibility:
        rating = self.by_person.get(person_id)
        reasons: list[str] = []
        if rating is None:
            return Eligibility(title, False, ["Không có trong đợt đánh giá, xếp loại của năm."])
        if not rating.decided:
            return Eligibility(title, False, ["Chưa có quyết định xếp loại chất lượng."])
        level = rating.decided_level
        if not level:
            return Eligibility(title, False, ["Không được xếp loại chất lượng trong năm."])
        discipline = self.discipline.get(person_id)
        ok = True
        if level in (Level.HTXS, Level.HTT):
            reasons.append(f"Xếp loại {SHORT[level]}.")
        else:
            ok = False
            reasons.append(
                f"Xếp loại {SHORT[level]}: Lao động tiên tiến cần từ hoàn thành tốt nhiệm vụ trở lên."
            )
        if discipline:
            ok = False
            reasons.append(f"Bị kỷ luật {discipline.get_form_display().lower()} trong năm.")
        if title == Title.CSTDCS and ok:
            initiatives = self.initiatives.get(person_id, [])
            if level == Level.HTXS:
                reasons.append("Hoàn thành xuất sắc nhiệm vụ.")
            elif initiatives:
                reasons.append(f"Có sáng kiến được công nhận: “{initiatives[0].title}”.")
            else:
                ok = False
                reasons.append(
                    "Chiến sĩ thi đua cơ sở cần hoàn thành xuất sắc nhiệm vụ hoặc có sáng kiến được công nhận."
                )
        return Eligibility(title, ok, reasons)

    def members(self, department_id: int) -> list[Rating]:
        """The department's people counted for its collective titles: those rated this year."""
        return [
            rating
            for rating in self.ratings
            if rating.department_id == department_id and not (rating.decided and not rating.decided_level)
        ]

    def _cstdcs_won(self, person_id: int) -> bool:
        for nomination in self.nominations:
            if nomination.person_id == person_id and nomination.title == Title.CSTDCS:
                return bool(self.ballot_passes(nomination)) and self.person(person_id, Title.CSTDCS).eligible
        return False

    def department(self, department_id: int, title: str) -> Eligibility:
        reasons: list[str] = []
        ok = True
        unit = self.unit_levels.get(department_id)
        wanted = Level.HTXS if title == Title.TT_LDXS else Level.HTT
        if unit is None:
            return Eligibility(title, False, ["Chưa có xếp loại tập thể của phòng."])
        if better(wanted, unit.level):
            ok = False
            reasons.append(
                f"Tập thể xếp loại {SHORT[unit.level]}, cần {SHORT[wanted]}{' trở lên' if wanted == Level.HTT else ''}."
            )
        else:
            reasons.append(f"Tập thể xếp loại {SHORT[unit.level]}.")
        members = self.members(department_id)
        if not members:
            return Eligibility(title, False, reasons + ["Phòng không có người được xếp loại trong năm."])
        undecided = [rating for rating in members if not rating.decided]
        if undecided:
            return Eligibility(
                title, False, reasons + [f"{len(undecided)} người chưa có quyết định xếp loại."]
            )
        ldtt = sum(1 for rating in members if self.person(rating.person_id, Title.LDTT).eligible)
        share = Decimal(ldtt) * 100 / len(members)
        if share >= MEMBERS_LDTT:
            reasons.append(
                f"{ldtt}/{len(members)} người đạt tiêu chuẩn Lao động tiên tiến ({shown(share)} %)."
            )
        else:
            ok = False
            reasons.append(
                f"{ldtt}/{len(members)} người đạt tiêu chuẩn Lao động tiên tiến ({shown(share)} %, cần từ 70 %)."
            )
        if title == Title.TT_LDTT:
            heavy = [
                rating.person.full_name
                for rating in members
                if (d := self.discipline.get(rating.person_id)) and d.warning_or_above
            ]
            if heavy:
                ok = False
                reasons.append(f"Có người bị kỷ luật từ cảnh cáo trở lên: {', '.join(heavy)}.")
        else:
            below = [rating for rating in members if rating.decided_level == Level.KHTNV]
            if below:
                ok = False
                reasons.append(f"{len(below)} người không hoàn thành nhiệm vụ (cần 100 % từ HTNV trở lên).")
            if any(self._cstdcs_won(rating.person_id) for rating in members):
                reasons.append("Có cá nhân đạt Chiến sĩ thi đua cơ sở.")
            else:
                ok = False
                reasons.append(
                    "Chưa có cá nhân đạt Chiến sĩ thi đua cơ sở (đã được Hội đồng bỏ phiếu đủ 80 %)."
                )
        return Eligibility(title, ok, reasons)

    def of(self, nomination: Nomination) -> Eligibility:
        if nomination.person_id:
            return self.person(nomination.person_id, nomination.title)
        return self.department(nomination.department_id, nomination.title)


def _titles_open(round_: Round) -> None:
    if round_.titles_decided:
        raise ValidationError("Danh hiệu thi đua của năm đã được quyết định: không sửa được.")


@transaction.atomic
def nominate(round_: Round, *, by, title: str, person=None, department=None, note: str = "") -> Nomination:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _titles_open(round_)
    collective = title in COLLECTIVE_TITLES
    if collective and department is None or not collective and person is None:
        raise ValidationError(
            {"title": "Danh hiệu tập thể đề nghị cho phòng; danh hiệu cá nhân cho một người."}
        )
    target = {"department": department} if collective else {"person": person}
    if round_.nominations.filter(title=title, **target).exists():
        raise ValidationError({"title": "Đã có đề nghị danh hiệu này."})
    standing = Standing(round_)
    eligibility = (
        standing.department(department.pk, title) if collective else standing.person(person.pk, title)
    )
    if not eligibility.eligible:
        name = department.name if collective else person.full_name
        raise ValidationError(
            {"title": f"{name} chưa đủ tiêu chuẩn {Title(title).label}: {' '.join(eligibility.reasons)}"}
        )
    return Nomination.objects.create(round=round_, title=title, proposed_by=by, note=note.strip(), **target)


@transaction.atomic
def withdraw(nomination: Nomination) -> None:
    _titles_open(nomination.round)
    nomination.delete()


@transaction.atomic
def record_ballot(nomination: Nomination, *, votes_for: int | None) -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("round").get(pk=nomination.pk)
    round_ = nomination.round
    _titles_open(round_)
    if votes_for is not None:
        if not round_.council_members:
            raise ValidationError({"votes_for": "Hãy ghi số thành viên Hội đồng thi đua, khen thưởng trước."})
        if not 0 <= votes_for <= round_.council_members:
            raise ValidationError(
                {
                    "votes_for": f"Số phiếu đồng ý phải từ 0 đến {round_.council_members} (số thành viên Hội đồng)."
                }
            )
    nomination.votes_for = votes_for
    nomination.save(update_fields=["votes_for"])
    return nomination


@transaction.atomic
def set_council(round_: Round, *, members: int) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _titles_open(round_)
    highest = max((row for row in round_.nominations.values_list("votes_for", flat=True) if row), default=0)
    if members < 1 or members < highest:
        raise ValidationError(
            {
                "council_members": f"Số thành viên Hội đồng phải từ {max(highest, 1)} trở lên (đã có phiếu đồng ý ghi nhận)."
            }
        )
    round_.council_members = members
    round_.save(update_fields=["council_members"])
    return round_


@transaction.atomic
def set_unit_level(round_: Round, *, department, level: str, by, note: str = "") -> UnitLevel:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _titles_open(round_)
    if department.agency_id != round_.agency_id:
        raise ValidationError("Phòng không thuộc cơ quan.")
    row, _ = UnitLevel.objects.update_or_create(
        round=round_, department=department, defaults={"level": level, "note": note.strip(), "set_by": by}
    )
    return row


def ballot_needed(nomination: Nomination) -> bool:
    return nomination.title == Title.CSTDCS


@transaction.atomic
def decide_titles(round_: Round, *, by, number: str, date: datetime.date) -> list[Nomination]:
    """The leader's decision recognising the titles: every nominee still eligible and, for Chiến sĩ thi
    đua cơ sở, voted by at least 80 % of all the council's members. Refused whole when one is not."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _titles_open(round_)
    if not number.strip():
        raise ValidationError({"decision_number": "Hãy ghi số quyết định."})
    if date.year < round_.year:
        raise ValidationError({"decision_date": f"Ngày quyết định phải trong hoặc sau năm {round_.year}."})
    undecided = round_.ratings.exclude(status=Rating.Status.DECIDED).count()
    if undecided:
        raise ValidationError(f"Còn {undecided} phiếu chưa có quyết định xếp loại chất lượng.")
    standing = Standing(round_)
    nominations = standing.nominations
    if not nominations:
        raise ValidationError("Chưa có đề nghị danh hiệu nào.")
    problems = []
    for nomination in nominations:
        name = nomination.department.name if nomination.department_id else nomination.person.full_name
        eligibility = standing.of(nomination)
        if not eligibility.eligible:
            problems.append(f"{name} — {nomination.get_title_display()}: {' '.join(eligibility.reasons)}")
        elif ballot_needed(nomination) and not standing.ballot_passes(nomination):
            votes = (
                "chưa có kết quả bỏ phiếu"
                if nomination.votes_for is None
                else f"{nomination.votes_for}/{round_.council_members} phiếu"
            )
            problems.append(
                f"{name} — Chiến sĩ thi đua cơ sở: {votes}, cần từ 80 % tổng số thành viên Hội đồng."
            )
    if problems:
        raise ValidationError(problems)
    Nomination.objects.filter(pk__in=[row.pk for row in nominations]).update(awarded=True)
    round_.decision_number, round_.decision_date = number.strip(), date
    round_.titles_decided_by, round_.titles_decided_at = by, timezone.now()
    round_.status = Round.Status.CLOSED
    round_.save()
    RoundEvent.objects.create(
        round=round_, kind=RoundEvent.Kind.TITLES, actor=by, note=f"Quyết định số {round_.decision_number}"
    )
    return nominations


@transaction.atomic
def reopen_titles(round_: Round, *, by, reason: str) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.titles_decided:
        raise ValidationError("Danh hiệu chưa được quyết định.")
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do mở lại."})
    round_.nominations.update(awarded=False)
    round_.titles_decided_at = round_.titles_decided_by = None
    round_.status = Round.Status.OPEN
    round_.save()
    RoundEvent.objects.create(round=round_, kind=RoundEvent.Kind.REOPEN_TITLES, actor=by, note=reason.strip())
    return round_


def raters(rating: Rating):
    """Who scores and proposes: the department's heads for its people, the agency's leaders for a head
    and for the people of a department without a head."""
    from accounts.models import User
    from ratings.access import rated_by_leaders

    if rated_by_leaders(rating):
        return User.objects.filter(agency_id=rating.round.agency_id, role=Role.LEADER, is_active=True)
    return User.objects.filter(
        department_id=rating.department_id, role=Role.DEPT_HEAD, is_active=True
    ).exclude(pk=rating.person_id)
