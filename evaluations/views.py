"""The evaluation pages: the rounds one may see, a new round, the round's page (ranking, areas,
history, its moves), a unit's scoring grid (self-score, evidence, submission, appraisal, return), the
evidence files and the appraiser's queue.

Every view starts with an access helper of evaluations.access (404 for a foreign id, 403 without the
right); the writes are evaluations.services', whose Vietnamese refusals the pages show."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.forms import attach_errors
from cchc.printing import delivery
from evaluations import services
from evaluations.access import (
    can_appraise,
    can_create_round,
    can_organise,
    can_self_assess,
    can_submit,
    get_organised_round,
    get_viewable_evidence,
    get_viewable_round,
    get_viewable_score,
    get_viewable_unit,
    is_appraiser,
    sees_appraisal,
    sees_ranking,
    visible_rounds,
    works_in,
)
from evaluations.computed import compute_round, reporting_periods, tasks_behind, tasks_counted
from evaluations.forms import (
    AppraiseForm,
    MoveForm,
    ReasonForm,
    RoundForm,
    RubricImportForm,
    SelfScoreForm,
    rubric_choices,
)
from evaluations.models import Measure, Method, Round, Scope, Score, Unit
from evaluations.scoring import TIE_RULE, shown
from evaluations.spreadsheet import export_rubric, read_rubric
from tasks import evidence as evidence_files
from tasks.models import Task
from tasks.selectors import listed, task_rows

# The round's moves as its organisers see them (services.MOVES), in the order of the round's course.
MOVE_LABELS = {
    "open": "Mở tự đánh giá",
    "appraise": "Bắt đầu thẩm định",
    "finalize": "Chốt kết quả",
    "reopen": "Mở lại kết quả đã chốt",
    "publish": "Công bố kết quả",
}
MOVE_DONE = {
    "open": "Đã mở tự đánh giá: các đơn vị chấm điểm từ hôm nay.",
    "appraise": "Đã chuyển sang thẩm định.",
    "finalize": "Đã chốt kết quả.",
    "reopen": "Đã mở lại kết quả để thẩm định lại.",
    "publish": "Đã công bố kết quả.",
}
EVENT_LABELS = {
    **MOVE_LABELS,
    "submitted": "Nộp bản tự đánh giá",
    "returned": "Trả lại để bổ sung",
}
UNIT_BADGES = {
    Unit.Status.OPEN: "text-bg-light border",
    Unit.Status.SUBMITTED: "text-bg-primary",
    Unit.Status.RETURNED: "text-bg-warning",
    Unit.Status.APPRAISED: "text-bg-success",
}
ROUND_BADGES = {
    Round.Status.DRAFT: "text-bg-light border",
    Round.Status.SELF_ASSESSMENT: "text-bg-primary",
    Round.Status.APPRAISAL: "text-bg-info",
    Round.Status.FINALIZED: "text-bg-success",
    Round.Status.PUBLISHED: "text-bg-dark",
}
YES_NO_CHOICES = [("", "— chưa chấm —"), ("có", "Có"), ("không", "Không")]
# What each computed criterion counts (evaluations.computed's definitions), shown above its tasks.
MEASURE_DEFINITIONS = {
    Measure.COMPLETED: [
        "Tử số: các nhiệm vụ đã hoàn thành (đúng hạn hoặc quá hạn) đến ngày chốt số liệu.",
        "Mẫu số: các nhiệm vụ được giao trong năm, trừ những nhiệm vụ đã hủy đến ngày chốt số liệu.",
    ],
    Measure.ON_TIME: [
        "Tử số: các nhiệm vụ đã hoàn thành đúng hạn đến ngày chốt số liệu.",
        "Mẫu số: các nhiệm vụ được giao trong năm, trừ những nhiệm vụ đã hủy đến ngày chốt số liệu.",
    ],
    Measure.NOT_OVERDUE: [
        "Tử số: các nhiệm vụ được giao, trừ những nhiệm vụ quá hạn (đang thực hiện đã quá hạn, "
        "hoặc hoàn thành quá hạn) đến ngày chốt số liệu.",
        "Mẫu số: các nhiệm vụ được giao trong năm, trừ những nhiệm vụ đã hủy đến ngày chốt số liệu.",
    ],
    Measure.FIRST_TIME: [
        "Tử số: các nhiệm vụ đã hoàn thành được duyệt mà trước đó không có báo cáo nào bị trả lại.",
        "Mẫu số: các nhiệm vụ đã hoàn thành đến ngày chốt số liệu.",
    ],
    Measure.UPDATES: [
        "Tử số: các lượt (nhiệm vụ, kỳ báo cáo) có báo cáo tiến độ trong kỳ, hoặc có báo cáo hoàn "
        "thành đang chờ duyệt khi kỳ bắt đầu.",
        "Mẫu số: các lượt (nhiệm vụ, kỳ báo cáo) phải báo cáo: nhiệm vụ đã được giao đến ngày cuối kỳ "
        "và còn đang thực hiện vào ngày trước khi kỳ bắt đầu.",
        "Các kỳ báo cáo là các quý kết thúc vào ngày 14/3, 14/6, 14/9 và 14/12, đến ngày chốt số liệu "
        "của đợt đánh giá.",
    ],
}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# The rounds ----------------------------------------------------------------------------------------


@login_required
@require_safe
def round_list(request):
    user = request.user
    rounds = list(visible_rounds(user).order_by("-year", "title", "pk"))
    mine = Q(department_id=user.department_id) if user.department_id else Q(pk__in=[])
    if user.agency_id:
        mine |= Q(agency_id=user.agency_id)
    own_units = {unit.round_id: unit for unit in Unit.objects.filter(mine, round__in=[r.pk for r in rounds])}
    rows = [
        {"round": round_, "badge": ROUND_BADGES[round_.status], "unit": own_units.get(round_.pk)}
        for round_ in rounds
    ]
    appraises = Round.objects.filter(appraisers=user).exclude(status=Round.Status.DRAFT).exists()
    return render(
        request,
        "evaluations/list.html",
        {"rows": rows, "can_create": can_create_round(user), "appraises": appraises},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request):
    if not can_create_round(request.user):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan lập đợt đánh giá.")
    agency = request.user.agency
    if request.method == "POST":
        form = RoundForm(request.POST, agency=agency)
        if form.is_valid():
            try:
                round_ = services.round_create(agency=agency, by=request.user, **form.service_arguments())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã lập dự thảo “{round_.title}” với {round_.units.count()} đơn vị được đánh giá.",
                )
                return redirect("evaluations:detail", pk=round_.pk)
        messages.error(request, "Chưa lập được đợt đánh giá: xem các lỗi được đánh dấu bên dưới.")
    else:
        year = timezone.localdate().year
        form = RoundForm(agency=agency, initial={"year": year})
    return render(request, "evaluations/form.html", {"form": form})


def _ranking(round_: Round, units: list[Unit], *, only: set[int] | None, links: set[int] | None) -> dict:
    """The ranking's rows (all of them, or the user's units' only) with their bar widths, and the
    areas' comparison; a row links its unit's grid where the user may open it."""
    areas = list(round_.criteria.filter(parent=None).order_by("position", "pk"))
    status_of = {unit.pk: unit for unit in units}
    rows = []
    for standing in services.standings(round_):
        if only is not None and standing.unit_id not in only:
            continue
        unit = status_of[standing.unit_id]
        rows.append(
            {
                "standing": standing,
                "unit": unit,
                "badge": UNIT_BADGES[unit.status],
                "linked": links is None or standing.unit_id in links,
                "total": shown(standing.total),
                "width": _percent(standing.total, round_.total_points),
                "areas": [
                    {"points": shown(points), "width": _percent(points, area.max_points)}
                    for points, area in zip(standing.areas, areas, strict=True)
                ],
            }
        )
    return {"areas": [{"area": area, "max": shown(area.max_points)} for area in areas], "rows": rows}


def _percent(part: Decimal, whole: Decimal) -> str:
    if not whole:
        return "0"
    return f"{min(max(part * 100 / whole, Decimal(0)), Decimal(100)):.1f}"


@login_required
@require_safe
def round_detail(request, pk):
    round_ = get_viewable_round(request, pk)
    user = request.user
    organiser = can_organise(user, round_)
    appraiser = is_appraiser(user, round_)
    units = list(round_.units.select_related("department", "agency"))
    own = {unit.pk for unit in units if works_in(user, unit)}
    whole = sees_ranking(user, round_, appraiser=appraiser)
    context = {
        "round": round_,
        "badge": ROUND_BADGES[round_.status],
        "total": shown(round_.total_points),
        "ranking": (
            _ranking(
                round_, units, only=None if whole else own, links=None if organiser or appraiser else own
            )
            if whole or own
            else None
        ),
        "whole_ranking": whole,
        "results_issued": round_.status in (Round.Status.FINALIZED, Round.Status.PUBLISHED),
        "tie_rule": TIE_RULE,
        "own_units": [unit for unit in units if unit.pk in own],
        "organiser": organiser,
        "appraiser": appraiser,
        "events": [
            {"event": event, "label": EVENT_LABELS.get(event.kind, event.kind)}
            for event in round_.events.select_related("actor", "unit__department", "unit__agency")
        ],
        "bands": [{"start": shown(Decimal(str(start))), "name": name} for start, name in round_.bands],
    }
    if organiser:
        context["moves"] = [
            {"move": move, "label": MOVE_LABELS[move], "reason": move == "reopen"}
            for move, (before, _after) in services.MOVES.items()
            if before == round_.status
        ]
        context["can_compute"] = (
            round_.status in (Round.Status.DRAFT, Round.Status.SELF_ASSESSMENT)
            and round_.criteria.filter(method=Method.COMPUTED).exists()
        )
    return render(request, "evaluations/detail.html", context)


@login_required
@require_POST
def round_move(request, pk):
    round_ = get_organised_round(request, pk)
    form = MoveForm(request.POST)
    move = request.POST.get("move", "")
    if not form.is_valid() or move not in services.MOVES:
        messages.error(request, "Không rõ thao tác cần thực hiện với đợt đánh giá.")
        return redirect("evaluations:detail", pk=round_.pk)
    try:
        services.round_move(round_=round_, by=request.user, move=move, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, f"Chưa thực hiện “{MOVE_LABELS[move]}”: " + " ".join(_errors(error)))
    else:
        messages.success(request, MOVE_DONE[move])
    return redirect("evaluations:detail", pk=round_.pk)


@login_required
@require_POST
def round_compute(request, pk):
    round_ = get_organised_round(request, pk)
    if compute_round is None or round_.status not in (Round.Status.DRAFT, Round.Status.SELF_ASSESSMENT):
        messages.error(request, "Chỉ tính điểm từ nhiệm vụ khi đợt đánh giá chưa chuyển sang thẩm định.")
    else:
        count = compute_round(round_)
        messages.success(request, f"Đã tính {count} điểm tiêu chí từ kết quả thực hiện nhiệm vụ.")
    return redirect("evaluations:detail", pk=round_.pk)


# The unit's grid -----------------------------------------------------------------------------------


class Rights:
    """What the user may do on the unit's grid today: the predicates of evaluations.access, asked once."""

    def __init__(self, user, unit: Unit):
        today = timezone.localdate()
        self.appraiser = is_appraiser(user, unit.round)
        self.self_assess = can_self_assess(user, unit, today)
        self.submit = can_submit(user, unit, today)
        self.appraise = self.appraiser and can_appraise(user, unit, today)
        self.sees_appraisal = sees_appraisal(user, unit, appraiser=self.appraiser)


def _row(score: Score, rights: Rights, *, self_form=None, appraise_form=None, problems=()) -> dict:
    criterion = score.criterion
    files = list(score.evidence_files.all())
    row = {
        "score": score,
        "criterion": criterion,
        "max": shown(criterion.max_points),
        "self_points": shown(score.self_points),
        "appraised_points": shown(score.appraised_points),
        "computed_value": shown(score.computed_value),
        "files": files,
        "self_form": self_form,
        "appraise_form": appraise_form,
        "rights": rights,
        "problems": list(problems),
        # computed criteria: the figure behind the rate, as computed with it (computed.compute_round)
        "numerator": score.computed_numerator,
        "denominator": score.computed_denominator,
    }
    if self_form is not None and self_form.is_bound:
        row["value"] = self_form.data.get("value", "")
        row["declared"] = self_form.data.get("declared", "")
        row["explanation"] = self_form.data.get("explanation", "")
    else:
        row["value"] = _value_of(score)
        row["declared"] = score.declared
        row["explanation"] = score.explanation
    if appraise_form is not None and appraise_form.is_bound:
        row["appraise_points"] = appraise_form.data.get("points", "")
        row["appraise_note"] = appraise_form.data.get("note", "")
    else:
        kept = score.appraised_points if score.appraised_points is not None else score.self_points
        row["appraise_points"] = shown(kept)
        row["appraise_note"] = score.appraisal_note
    return row


def _value_of(score: Score) -> str:
    """The self-score as its input shows it: the points, có / không, or the rate declared."""
    method = score.criterion.method
    if score.self_points is None and method != Method.COMPUTED:
        return ""
    if method == Method.YES_NO:
        return "có" if score.self_points else "không"
    if method == Method.THRESHOLDS:
        return score.declared
    return shown(score.self_points)


def _scores(unit: Unit):
    """The unit's scores with their evidence (a computed criterion's figure is stored with its score)."""
    return unit.scores.select_related("criterion").prefetch_related("evidence_files")


def _grid(request, unit: Unit, *, rights: Rights | None = None, failed=None, problems=(), return_form=None):
    """The grid's context; `failed` is (score pk, self_form, appraise_form, problems) of a row refused."""
    rights = rights or Rights(request.user, unit)
    criteria = list(unit.round.criteria.all())
    scores = {score.criterion_id: score for score in _scores(unit)}
    subtotal: dict[int, list] = {}  # area pk → [self-assessed, appraised, criteria appraised]
    entries = []
    for criterion, depth in services.in_tree_order(criteria):
        if criterion.method == Method.GROUP:
            entries.append({"group": criterion, "depth": depth})
            continue
        score = scores[criterion.pk]
        forms = {}
        if failed and failed[0] == score.pk:
            forms = {"self_form": failed[1], "appraise_form": failed[2], "problems": failed[3]}
        entries.append({"row": _row(score, rights, **forms), "depth": depth})
    for score in scores.values():
        totals = subtotal.setdefault(
            score.criterion.area_id or score.criterion_id, [Decimal(0), Decimal(0), 0]
        )
        totals[0] += score.self_points or 0
        if score.appraised_points is not None:
            totals[1] += score.appraised_points
            totals[2] += 1
    for entry in entries:
        group = entry.get("group")
        if group is not None and group.parent_id is None:
            own_self, own_appraised, appraised_count = subtotal.get(group.pk, (Decimal(0), Decimal(0), 0))
            entry["area"] = {
                "max": shown(group.max_points),
                "self": shown(own_self),
                "appraised": shown(own_appraised) if appraised_count else "",
                "appraised_count": appraised_count,
            }
        elif group is not None:
            entry["max"] = shown(group.max_points)
    scored = len(scores)
    done = sum(1 for score in scores.values() if score.self_points is not None)
    appraised = sum(1 for score in scores.values() if score.appraised_points is not None)
    self_total = sum((score.self_points or 0 for score in scores.values()), Decimal(0))
    return {
        "unit": unit,
        "round": unit.round,
        "badge": UNIT_BADGES[unit.status],
        "entries": entries,
        "unit_rights": rights,  # not "rights": base.html reads the context processor's
        "progress": {"done": done, "scored": scored, "appraised": appraised},
        "progress_width": _percent(Decimal(done), Decimal(scored or 1)),
        "self_total": shown(self_total),
        "total": shown(unit.round.total_points),
        "problems": problems,
        "report_issued": unit.status in (Unit.Status.SUBMITTED, Unit.Status.APPRAISED),
        "return_form": return_form or ReasonForm(),
        "yes_no_choices": YES_NO_CHOICES,
    }


def _render_grid(request, unit: Unit, **kwargs):
    return render(request, "evaluations/unit.html", _grid(request, unit, **kwargs))


@login_required
@require_safe
def unit_detail(request, pk):
    unit = get_viewable_unit(request, pk)
    return _render_grid(request, unit)


def _after_row(request, score: Score, *, ok: str | None, self_form=None, appraise_form=None, problems=()):
    """htmx: the row again, its errors in it; otherwise back to the grid (or the grid with the row's
    errors, nothing written)."""
    unit = Unit.objects.select_related("round__agency", "department", "agency").get(pk=score.unit_id)
    failed = ok is None
    if _is_htmx(request):
        row = _row(
            _scores(unit).get(pk=score.pk),
            Rights(request.user, unit),
            self_form=self_form if failed else None,
            appraise_form=appraise_form if failed else None,
            problems=problems,
        )
        return render(
            request,
            "evaluations/_score_row.html",
            {"row": row, "saved": ok, "yes_no_choices": YES_NO_CHOICES},
        )
    if failed:
        messages.error(request, f"Chưa lưu {_named(score)}: xem lỗi ở dòng của tiêu chí.")
        return _render_grid(request, unit, failed=(score.pk, self_form, appraise_form, problems))
    messages.success(request, ok)
    return redirect(f"{reverse('evaluations:unit', args=[unit.pk])}#tieu-chi-{score.criterion_id}")


def _named(score: Score) -> str:
    criterion = score.criterion
    return f"tiêu chí {criterion.label}" if criterion.label else "tiêu chí"


@login_required
@require_POST
def score_self(request, pk):
    score = get_viewable_score(request, pk)
    if not can_self_assess(request.user, score.unit, timezone.localdate()):
        raise PermissionDenied("Chỉ đơn vị được đánh giá tự chấm, trong thời gian tự đánh giá.")
    form = SelfScoreForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused file takes back the score saved with it
                services.score_self(
                    score=score,
                    by=request.user,
                    value=data["value"],
                    declared=data["declared"],
                    explanation=data["explanation"],
                )
                if data["upload"] is not None:
                    services.evidence_add(score=score, by=request.user, upload=data["upload"])
        except ValidationError as error:
            problems = _errors(error)
        else:
            return _after_row(request, score, ok=f"Đã lưu {_named(score)}.")
    else:
        problems = [message for errors in form.errors.values() for message in errors]
    return _after_row(request, score, ok=None, self_form=form, problems=problems)


@login_required
@require_POST
def score_appraise(request, pk):
    score = get_viewable_score(request, pk)
    if not can_appraise(request.user, score.unit, timezone.localdate()):
        raise PermissionDenied("Chỉ người thẩm định chấm, trong thời gian thẩm định.")
    form = AppraiseForm(request.POST)
    problems = []
    if form.is_valid():
        try:
            services.score_appraise(
                score=score,
                by=request.user,
                value=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            problems = _errors(error)
        else:
            return _after_row(request, score, ok=f"Đã lưu điểm thẩm định {_named(score)}.")
    else:
        problems = [message for errors in form.errors.values() for message in errors]
    return _after_row(request, score, ok=None, appraise_form=form, problems=problems)


# The reporting periods of the updates measure: the quarters of the year ending 14/3, 14/6, 14/9, 14/12.
QUARTERS = ("quý I", "quý II", "quý III", "quý IV")


def _task_groups(unit: Unit, measure: str, round_: Round, *, period=None) -> dict:
    """The tasks counted in the numerator and those of the denominator left out of it, as task rows
    with their status on the round's cut-off (one query each)."""
    behind = tasks_behind(unit, measure, round_, period=period).values("pk")
    counted = tasks_counted(unit, measure, round_, period=period).values("pk")

    def rows(tasks):
        ordered = listed(tasks, round_.cut_off).order_by("plan_id", "sort_key", "pk")
        return task_rows(ordered, slice(None), round_.cut_off)

    numerator = rows(Task.objects.filter(pk__in=behind))
    left_out = rows(Task.objects.filter(pk__in=counted).exclude(pk__in=behind))
    return {
        "numerator": numerator,
        "denominator": len(numerator) + len(left_out),
        "sections": [
            {"key": "duoc-tinh", "title": "Được tính (tử số)", "rows": numerator},
            {"key": "khong-tinh", "title": "Không được tính", "rows": left_out},
        ],
    }


@login_required
@require_safe
def score_tasks(request, pk):
    """The tasks behind a computed criterion's figure for the unit: those counted in the numerator and
    the rest of the denominator (per reporting period for updates), as the unit's grid shows them."""
    score = get_viewable_score(request, pk)
    criterion = score.criterion
    if criterion.method != Method.COMPUTED or not criterion.measure:
        raise Http404("Tiêu chí này không tính từ nhiệm vụ.")
    unit, round_ = score.unit, score.unit.round
    measure = criterion.measure
    if measure == Measure.UPDATES:
        groups = [
            {
                "quarter": QUARTERS[index],
                "cut_off": cut_off,
                "start": start,
                **_task_groups(unit, measure, round_, period=cut_off),
            }
            for index, (cut_off, start) in enumerate(reporting_periods(round_))
        ]
    else:
        groups = [_task_groups(unit, measure, round_)]
    return render(
        request,
        "evaluations/score_tasks.html",
        {
            "score": score,
            "criterion": criterion,
            "unit": unit,
            "round": round_,
            "measure_label": Measure(measure).label,
            "definitions": MEASURE_DEFINITIONS[measure],
            "groups": groups,
            "per_period": measure == Measure.UPDATES,
            "show_lead": round_.scope == Scope.AGENCIES,  # a department's tasks all have it as lead
            "numerator": sum(len(group["numerator"]) for group in groups),
            "denominator": sum(group["denominator"] for group in groups),
            "computed_value": shown(score.computed_value),
            "self_points": shown(score.self_points),
        },
    )


@login_required
@require_POST
def unit_submit(request, pk):
    unit = get_viewable_unit(request, pk)
    if not can_submit(request.user, unit, timezone.localdate()):
        raise PermissionDenied("Trưởng đơn vị nộp bản tự đánh giá, trong thời gian tự đánh giá.")
    try:
        services.unit_submit(unit=unit, by=request.user)
    except ValidationError as error:
        messages.error(request, "Chưa nộp được bản tự đánh giá: còn các việc dưới đây.")
        return _render_grid(request, unit, problems=_errors(error))
    messages.success(request, f"Đã nộp bản tự đánh giá của {unit}.")
    return redirect("evaluations:unit", pk=unit.pk)


@login_required
@require_POST
def unit_return(request, pk):
    unit = get_viewable_unit(request, pk)
    if not can_appraise(request.user, unit, timezone.localdate()):
        raise PermissionDenied("Chỉ người thẩm định trả lại, trong thời gian thẩm định.")
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        services.unit_return(unit=unit, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        attach_errors(form, error)
        messages.error(request, "Chưa trả lại: " + " ".join(_errors(error)))
        return _render_grid(request, unit, return_form=form)
    messages.success(request, f"Đã trả lại bản tự đánh giá của {unit} để bổ sung.")
    return redirect("evaluations:unit", pk=unit.pk)


@login_required
@require_safe
def evidence_download(request, pk):
    item = get_viewable_evidence(request, pk)
    return evidence_files.response(request, item)


# The appraiser's queue -----------------------------------------------------------------------------


@login_required
@require_safe
def appraisal_queue(request):
    units = (
        Unit.objects.filter(round__appraisers=request.user)
        .exclude(round__status=Round.Status.DRAFT)
        .select_related("round", "department", "agency")
        .annotate(
            self_total=Sum("scores__self_points"),
            appraised=Count("scores", filter=Q(scores__appraised_points__isnull=False)),
            criteria=Count("scores"),
            first=Case(
                When(status=Unit.Status.SUBMITTED, then=Value(0)),
                When(status=Unit.Status.RETURNED, then=Value(1)),
                When(status=Unit.Status.OPEN, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
        )
        .order_by("first", "-round__year", "round__title", "department__name", "agency__name")
    )
    rows = [
        {"unit": unit, "badge": UNIT_BADGES[unit.status], "self_total": shown(unit.self_total or Decimal(0))}
        for unit in units
    ]
    return render(request, "evaluations/queue.html", {"rows": rows})


# Printed documents and the criteria grid ----------------------------------------------------------


@login_required
@require_safe
def unit_print(request, pk, fmt):
    """The unit's self-assessment report as PDF, Word or its annex in Excel (evaluations.documents)."""
    unit = get_viewable_unit(request, pk)
    return delivery.deliver(
        request,
        "evaluation_unit",
        unit,
        fmt,
        back_url=reverse("evaluations:unit", args=[unit.pk]),
        name=str(unit),
    )


@login_required
@require_safe
def round_print(request, pk, fmt):
    """The notice of the round's results: the whole ranking, for those who may see it."""
    round_ = get_viewable_round(request, pk)
    if not sees_ranking(request.user, round_):
        raise PermissionDenied("Thông báo kết quả có cả bảng xếp hạng: chỉ xem được khi kết quả đã công bố.")
    return delivery.deliver(
        request,
        "evaluation_round",
        round_,
        fmt,
        back_url=reverse("evaluations:detail", args=[round_.pk]),
        name=str(round_),
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def round_criteria(request, pk):
    """The round's criteria in the grid users know (STT | Tiêu chí | Điểm tối đa | Cách tính điểm |
    Tài liệu kiểm chứng), to fill or to reuse next year."""
    round_ = get_viewable_round(request, pk)
    response = HttpResponse(export_rubric(round_), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bo-tieu-chi-{round_.year}-{round_.pk}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rubric_import(request):
    """An agency's own rubric read from an .xlsx grid; every problem of the file is named, nothing is
    written until it adds up."""
    if not can_create_round(request.user):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan nhập bộ tiêu chí.")
    form = RubricImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            criteria, total = read_rubric(form.cleaned_data["file"])
            rubric = services.rubric_create(
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                total_points=total,
                criteria=criteria,
                agency=request.user.agency,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request,
                f"Đã nhập bộ tiêu chí “{rubric.name}” ({shown(rubric.total_points)} điểm, "
                f"{rubric.criteria.count()} tiêu chí): chọn nó khi lập đợt đánh giá.",
            )
            return redirect("evaluations:create")
    rubrics = rubric_choices(request.user.agency)
    return render(request, "evaluations/rubric_import.html", {"form": form, "rubrics": rubrics})


@login_required
@require_safe
def rubric_export(request, pk):
    """A rubric the user's agency may use, as an .xlsx grid (a default to adapt, or its own)."""
    if not can_create_round(request.user):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan tải bộ tiêu chí.")
    rubric = get_object_or_404(rubric_choices(request.user.agency), pk=pk)
    response = HttpResponse(export_rubric(rubric), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="bo-tieu-chi-{rubric.pk}.xlsx"'
    return response


@login_required
@require_safe
def unit_history(request, pk):
    """A unit's results over the years: the same department (or agency) in the rounds of the same
    organiser and scope that the user may see, with its total, rank and band where the round is
    finalized, its self-score where it is still running."""
    unit = get_viewable_unit(request, pk)
    same = {"department": unit.department} if unit.department_id else {"agency": unit.agency}
    others = (
        Unit.objects.filter(
            round__in=visible_rounds(request.user),
            round__agency=unit.round.agency,
            round__scope=unit.round.scope,
            **same,
        )
        .select_related("round__agency", "department", "agency")
        .order_by("-round__year", "-round__pk")
    )
    years = []
    for other in others:
        round_ = other.round
        decided = round_.status in (Round.Status.FINALIZED, Round.Status.PUBLISHED)
        ranking = services.standings(round_)
        standing = next(row for row in ranking if row.unit_id == other.pk)
        years.append(
            {
                "unit": other,
                "round": round_,
                "decided": decided,
                "total": shown(standing.total),
                "of": shown(round_.total_points),
                "rank": standing.rank if decided else None,
                "units": len(ranking),
                "band": standing.band if decided else "",
                "width": _percent(standing.total, round_.total_points),
            }
        )
    return render(request, "evaluations/unit_history.html", {"unit": unit, "years": years})
