"""The rating pages: the rounds, a round's table, one person's rating (record, form, the rater's part,
the decision, history) and the tasks behind each number of a record."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.forms import attach_errors
from ratings import access, services
from ratings.forms import CapForm, DecideForm, ProposeForm, ReasonForm, RoundForm, SelfForm, TimeForm
from ratings.models import SHORT, Level, Rating, Round, Scheme
from ratings.record import MEASURES, Book, period_of, periods
from ratings.rules import shown, task_points
from tasks.models import Task

STATUS_BADGES = {
    Rating.Status.DRAFT: "text-bg-light border",
    Rating.Status.SUBMITTED: "text-bg-info",
    Rating.Status.PROPOSED: "text-bg-warning",
    Rating.Status.DECIDED: "text-bg-success",
}


def _level(level: str) -> dict | None:
    return {"code": level, "short": SHORT[level], "label": Level(level).label} if level else None


# Rounds ------------------------------------------------------------------------------------------------


@login_required
@require_safe
def round_list(request):
    user = request.user
    if not user.agency_id or user.role == "overseer":
        raise PermissionDenied("Đánh giá, xếp loại công chức là việc nội bộ của cơ quan.")
    rounds = Round.objects.filter(agency_id=user.agency_id)
    mine = {rating.round_id: rating for rating in Rating.objects.filter(person=user, round__in=rounds)}
    rows = [{"round": round_, "mine": mine.get(round_.pk)} for round_ in rounds]
    return render(
        request,
        "ratings/list.html",
        {
            "rows": rows,
            "can_create": access.can_organise(user, user.agency_id),
            "sees_all": access.sees_agency(user, user.agency_id),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request):
    user = request.user
    access.require(access.can_organise(user, user.agency_id))
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_create(agency=user.agency, by=user, **form.service_arguments())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã mở đợt đánh giá, xếp loại năm {round_.year} cho {round_.ratings.count()} người.",
                )
                return redirect("ratings:detail", pk=round_.pk)
        messages.error(request, "Chưa mở được đợt đánh giá: xem các lỗi được đánh dấu bên dưới.")
    else:
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        if not 2000 <= year <= 2100:
            year = timezone.localdate().year
        form = RoundForm(initial=RoundForm.initial_for(year))
    return render(request, "ratings/form.html", {"form": form})


def _rows(round_: Round, ratings: list[Rating], user) -> list[dict]:
    found = services.suggestions(round_, ratings)
    rows = []
    for rating in ratings:
        suggestion = found[rating.pk]
        rows.append(
            {
                "rating": rating,
                "badge": STATUS_BADGES[rating.status],
                "suggestion": suggestion,
                "suggested": _level(suggestion.level) if suggestion.level else None,
                "self": _level(rating.self_level),
                "proposed": _level(rating.proposed_level),
                "decided": _level(rating.decided_level),
                "differs": bool(
                    rating.proposed_level and suggestion.level and rating.proposed_level != suggestion.level
                ),
                "total": shown(rating.total_points) if rating.total_points is not None else "",
                "task_points": shown(rating.task_points) if rating.task_points is not None else "",
                "general_points": shown(rating.general_points) if rating.general_points is not None else "",
                "rater": access.is_rater(user, rating),
            }
        )
    return rows


def _departments(rows: list[dict]) -> list[dict]:
    groups: list[dict] = []
    for row in rows:
        department = row["rating"].department
        if not groups or groups[-1]["department"] != department:
            groups.append({"department": department, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _cap_context(round_: Round) -> dict:
    cap = services.cap(round_)
    return {"cap": cap, "cap_form": CapForm(initial={"text": round_.cap_justification})}


@login_required
@require_safe
def round_detail(request, pk):
    user = request.user
    round_ = access.get_round(user, pk)
    ratings = list(access.visible_ratings(user, round_).select_related("person", "department", "round"))
    rows = _rows(round_, ratings, user)
    counts = dict.fromkeys(Level, 0)
    not_rated = 0
    for row in rows:
        rating = row["rating"]
        if rating.decided:
            if rating.decided_level:
                counts[rating.decided_level] += 1
            else:
                not_rated += 1
    sees_all = access.sees_agency(user, round_.agency_id)
    context = {
        "round": round_,
        "groups": _departments(rows),
        "sees_all": sees_all,
        "organiser": access.can_organise(user, round_.agency_id) and round_.status == Round.Status.OPEN,
        "leader": access.is_leader(user, round_.agency_id),
        "decided_counts": [{"level": _level(level), "count": counts[level]} for level in Level],
        "not_rated": not_rated,
        "decided": sum(1 for row in rows if row["rating"].decided),
        "total": len(rows),
        "head_department": user.department_id if user.role == "dept_head" else None,
        "print_scope": "" if sees_all else (user.department_id if user.role == "dept_head" else None),
        "scheme_points": round_.scheme == Scheme.POINTS,
        "shown": {
            "general_max": shown(round_.general_max),
            "quantity_max": shown(round_.quantity_max),
            "quality_max": shown(round_.quality_max),
            "timeliness_max": shown(round_.timeliness_max),
            "htxs_from": shown(round_.htxs_from),
            "htt_from": shown(round_.htt_from),
            "htnv_from": shown(round_.htnv_from),
        },
        "my_rating": next((row["rating"] for row in rows if row["rating"].person_id == user.pk), None),
    }
    if sees_all:
        context |= _cap_context(round_)
    return render(request, "ratings/detail.html", context)


@login_required
@require_POST
def round_recount(request, pk):
    round_ = access.get_round(request.user, pk)
    access.require(access.can_organise(request.user, round_.agency_id))
    if round_.status != Round.Status.OPEN:
        messages.error(request, "Đợt đánh giá, xếp loại đã kết thúc: không tính lại.")
    else:
        count = services.recount(round_)
        messages.success(
            request, f"Đã tính lại kết quả thực hiện nhiệm vụ của {count} người chưa có quyết định."
        )
    return redirect("ratings:detail", pk=round_.pk)


@login_required
@require_POST
def round_cap(request, pk):
    round_ = access.get_round(request.user, pk)
    access.require(
        access.is_leader(request.user, round_.agency_id) or access.is_office(request.user, round_.agency_id)
    )
    form = CapForm(request.POST)
    if form.is_valid():
        try:
            services.justify_cap(round_, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Đã ghi lý do vượt tỷ lệ HTXS."
                if form.cleaned_data["text"].strip()
                else "Đã xóa lý do vượt tỷ lệ HTXS.",
            )
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("ratings:detail", args=[round_.pk]) + "#ty-le")


# One person's rating -------------------------------------------------------------------------------------


def _record(rating: Rating, period_key: str) -> dict:
    """The record's figures for the year or a chosen period, each with the link to its tasks."""
    round_ = rating.round
    book = Book(round_)
    period = period_of(round_.year, period_key) or period_of(round_.year, "")
    counts = book.counts(rating, period)
    figures = []
    for measure, label in MEASURES.items():
        value = getattr(counts, measure)
        query = f"?measure={measure}" + (f"&period={period.key}" if period.key else "")
        figures.append(
            {
                "measure": measure,
                "label": label,
                "value": value,
                "url": reverse("ratings:tasks", args=[rating.pk]) + query,
            }
        )
    stale = (
        not rating.decided
        and period.whole_year
        and (
            (counts.assigned, counts.completed, counts.met, counts.on_time, counts.early)
            != (rating.assigned, rating.completed, rating.met, rating.on_time, rating.early)
        )
    )
    parts = task_points(counts, round_.quantity_max, round_.quality_max, round_.timeliness_max)
    return {
        "period": period,
        "periods": periods(round_.year),
        "figures": figures,
        "undated": book.undated(rating) if not period.whole_year else 0,
        "stale": stale,
        "parts": parts if round_.scheme == Scheme.POINTS else None,
        "parts_shown": {
            "quantity": shown(parts.quantity),
            "quality": shown(parts.quality),
            "timeliness": shown(parts.timeliness),
            "total": shown(parts.total),
        }
        if parts and round_.scheme == Scheme.POINTS
        else None,
        "counts": counts,
    }


def _rating_page(
    request,
    rating: Rating,
    *,
    self_form=None,
    time_form=None,
    propose_form=None,
    decide_form=None,
    reopen_form=None,
    status=200,
):
    user = request.user
    round_ = rating.round
    discipline = services.disciplined_in(round_, [rating.person_id]).get(rating.person_id)
    suggestion = services.suggestion(rating, discipline)
    can_self = access.can_self_assess(user, rating)
    can_propose = access.can_propose(user, rating)
    can_decide = access.can_decide(user, rating)
    can_time = access.can_set_time(user, rating)
    if can_self and self_form is None:
        self_form = SelfForm(initial={"self_review": rating.self_review, "self_level": rating.self_level})
    manual = round_.scheme == Scheme.POINTS and not rating.assigned
    if can_propose and propose_form is None:
        propose_form = ProposeForm(
            round_=round_,
            manual_tasks=manual,
            initial={
                "general_points": shown(rating.general_points) if rating.general_points is not None else "",
                "general_met": {True: "1", False: "0"}.get(rating.general_met, ""),
                "task_points": shown(rating.task_points) if rating.task_points_by_head else "",
                "head_comment": rating.head_comment,
                "proposed_level": rating.proposed_level or (suggestion.level or ""),
                "proposal_reason": rating.proposal_reason,
            },
        )
    if can_decide and decide_form is None:
        decide_form = DecideForm(
            initial={"decided_level": rating.proposed_level, "decision_note": rating.decision_note}
        )
    if can_time and time_form is None:
        time_form = TimeForm(
            initial={"months_worked": shown(rating.months_worked), "maternity": rating.maternity}
        )
    can_reopen = access.can_reopen(user, rating)
    if can_reopen and reopen_form is None:
        reopen_form = ReasonForm()
    context = {
        "rating": rating,
        "round": round_,
        "badge": STATUS_BADGES[rating.status],
        "record": _record(rating, request.GET.get("period", "")),
        "suggestion": suggestion,
        "suggested": _level(suggestion.level) if suggestion.level else None,
        "self": _level(rating.self_level),
        "proposed": _level(rating.proposed_level),
        "decided": _level(rating.decided_level),
        "discipline": discipline,
        "scheme_points": round_.scheme == Scheme.POINTS,
        "general_points": shown(rating.general_points) if rating.general_points is not None else "",
        "task_points": shown(rating.task_points) if rating.task_points is not None else "",
        "total_points": shown(rating.total_points) if rating.total_points is not None else "",
        "general_max": shown(round_.general_max),
        "task_max": shown(round_.task_max),
        "months_worked": shown(rating.months_worked),
        "self_form": self_form if can_self else None,
        "time_form": time_form if can_time else None,
        "propose_form": propose_form if can_propose else None,
        "decide_form": decide_form if can_decide else None,
        "reopen_form": reopen_form if can_reopen else None,
        "rater_names": ", ".join(person.full_name for person in services.raters(rating)),
        "events": rating.events.select_related("actor"),
        "is_self": rating.person_id == user.pk,
        "cap": services.cap(round_) if can_decide else None,
    }
    return render(request, "ratings/rating.html", context, status=status)


@login_required
@require_safe
def rating_detail(request, pk):
    return _rating_page(request, access.get_rating(request.user, pk))


def _refused(request, form, error: ValidationError) -> None:
    attach_errors(form, error)
    messages.error(request, "Chưa lưu được: xem các lỗi được đánh dấu bên dưới.")


@login_required
@require_POST
def rating_self(request, pk):
    rating = access.get_rating(request.user, pk)
    access.require(access.can_self_assess(request.user, rating))
    form = SelfForm(request.POST)
    submit = "submit" in request.POST
    if form.is_valid():
        try:
            services.self_assess(rating, by=request.user, submit=submit, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(
                request,
                "Đã gửi phiếu tự đánh giá cho người đánh giá." if submit else "Đã lưu phiếu tự đánh giá.",
            )
            return redirect("ratings:rating", pk=rating.pk)
    return _rating_page(request, rating, self_form=form, status=400)


@login_required
@require_POST
def rating_time(request, pk):
    rating = access.get_rating(request.user, pk)
    access.require(access.can_set_time(request.user, rating))
    form = TimeForm(request.POST)
    if form.is_valid():
        try:
            services.set_time_worked(rating, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, "Đã ghi thời gian công tác trong năm.")
            return redirect("ratings:rating", pk=rating.pk)
    return _rating_page(request, rating, time_form=form, status=400)


@login_required
@require_POST
def rating_propose(request, pk):
    rating = access.get_rating(request.user, pk)
    access.require(access.can_propose(request.user, rating))
    manual = rating.round.scheme == Scheme.POINTS and not rating.assigned
    form = ProposeForm(request.POST, round_=rating.round, manual_tasks=manual)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.propose(
                rating,
                by=request.user,
                level=data["proposed_level"],
                comment=data["head_comment"],
                reason=data["proposal_reason"],
                general_points=data.get("general_points"),
                general_met=data.get("general_met"),
                entered_task_points=data.get("task_points"),
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, f"Đã ghi nhận xét và mức đề xuất cho {rating.person.full_name}.")
            return redirect("ratings:rating", pk=rating.pk)
    return _rating_page(request, rating, propose_form=form, status=400)


@login_required
@require_POST
def rating_decide(request, pk):
    rating = access.get_rating(request.user, pk)
    access.require(access.can_decide(request.user, rating))
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                rating,
                by=request.user,
                level=form.cleaned_data["decided_level"],
                note=form.cleaned_data["decision_note"],
            )
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, f"Đã quyết định xếp loại của {rating.person.full_name}.")
            return redirect("ratings:rating", pk=rating.pk)
    return _rating_page(request, rating, decide_form=form, status=400)


@login_required
@require_POST
def rating_reopen(request, pk):
    rating = access.get_rating(request.user, pk)
    access.require(access.can_reopen(request.user, rating))
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.reopen(rating, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _refused(request, form, error)
        else:
            messages.success(request, "Đã mở lại phiếu; lý do được ghi trong lịch sử.")
            return redirect("ratings:rating", pk=rating.pk)
    return _rating_page(request, rating, reopen_form=form, status=400)


@login_required
@require_safe
def rating_tasks(request, pk):
    """Exactly the tasks behind one number of a person's record."""
    rating = access.get_rating(request.user, pk)
    measure = request.GET.get("measure", "assigned")
    if measure not in MEASURES:
        raise Http404
    period = period_of(rating.round.year, request.GET.get("period", ""))
    if period is None:
        raise Http404
    book = Book(rating.round)
    ids = book.behind(rating, measure, period)
    tasks = (
        Task.objects.filter(pk__in=ids)
        .select_related("plan", "lead_department")
        .order_by("plan__pk", "sort_key")
    )
    rows = [{"task": task, "fact": book.facts[task.pk]} for task in tasks]
    return render(
        request,
        "ratings/tasks.html",
        {"rating": rating, "round": rating.round, "label": MEASURES[measure], "period": period, "rows": rows},
    )
