"""Every write of the evaluations app: rubrics from a checked tree, rounds that copy them and list their
units, each in one transaction."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.access import province_agencies
from accounts.models import Agency, Department, User
from evaluations.access import can_appraise, can_organise, can_self_assess, can_submit
from evaluations.models import (
    Method,
    Round,
    RoundCriterion,
    RoundEvent,
    Rubric,
    RubricCriterion,
    Scope,
    Score,
    ScoreEvidence,
    Unit,
)
from evaluations.scoring import (
    DEFAULT_BANDS,
    Node,
    Rule,
    Standing,
    check_bands,
    check_tree,
    points,
    quantize,
    ranked,
)
from tasks import evidence


def store_tree(model, owner: dict, nodes: Sequence[Node]) -> list:
    """Write a checked tree as `model` rows belonging to `owner` (rubric=… or round=…), parents first,
    each with its area (its top-level ancestor) and its place among its siblings."""
    written = []

    def write(siblings, parent, area):
        for position, node in enumerate(siblings, start=1):
            row = model.objects.create(
                **owner,
                parent=parent,
                area=area,
                position=position,
                label=node.label,
                title=node.title,
                max_points=node.max_points,
                method=node.method,
                rule=node.rule,
                thresholds=node.thresholds,
                measure=node.measure,
                evidence_required=node.evidence_required,
                evidence=node.evidence,
            )
            written.append(row)
            write(node.children, row, area or row)

    write(nodes, None, None)
    return written


@transaction.atomic
def rubric_create(
    *,
    name: str,
    scope: str,
    total_points: Decimal,
    criteria: Sequence[Node],
    agency: Agency | None = None,
    note: str = "",
    is_default: bool = False,
) -> Rubric:
    """A rubric from a criteria tree, refused whole (ValidationError listing every problem) when the tree
    does not add up."""
    if scope not in Scope.values:
        raise ValidationError("Đối tượng chấm không hợp lệ.")
    if not name.strip():
        raise ValidationError("Bộ tiêu chí phải có tên.")
    check_tree(criteria, Decimal(total_points))
    rubric = Rubric.objects.create(
        name=name.strip(),
        scope=scope,
        agency=agency,
        total_points=total_points,
        note=note,
        is_default=is_default,
    )
    store_tree(RubricCriterion, {"rubric": rubric}, criteria)
    return rubric


def rubric_tree(rubric_or_round) -> list[Node]:
    """The criteria of a rubric or a round as a tree of Nodes (one query), e.g. to copy or export it."""
    rows = list(rubric_or_round.criteria.order_by("position", "pk"))
    nodes = {}
    for row in rows:
        node = Node(
            label=row.label,
            title=row.title,
            max_points=row.max_points,
            method=row.method,
            thresholds=list(row.thresholds or []),
            measure=row.measure,
            rule=row.rule,
            evidence_required=row.evidence_required,
            evidence=row.evidence,
        )
        nodes[row.pk] = node
    roots = []
    for row in sorted(rows, key=lambda row: (row.parent_id or 0, row.position, row.pk)):
        (nodes[row.parent_id].children if row.parent_id else roots).append(nodes[row.pk])
    return roots


def _evaluated(agency: Agency, scope: str) -> list[dict]:
    """Who a round of `agency` evaluates: its departments, or the other agencies of its province."""
    if scope == Scope.DEPARTMENTS:
        return [
            {"department": department}
            for department in Department.objects.filter(agency=agency).order_by("name")
        ]
    agencies = sorted(province_agencies(agency.pk).values(), key=lambda other: other.name)
    return [{"agency": other} for other in agencies if other.parent_id is not None]  # not the province itself


@transaction.atomic
def round_create(
    *,
    agency: Agency,
    by: User,
    rubric: Rubric,
    year: int,
    title: str,
    self_from: datetime.date,
    self_to: datetime.date,
    appraisal_from: datetime.date,
    appraisal_to: datetime.date,
    cut_off: datetime.date | None = None,
    bands=None,
    appraisers: Sequence[User] = (),
) -> Round:
    """A draft round with its own copy of the rubric's criteria, a unit for each department of the
    agency (or each agency of the province) and an empty score for each unit and scored criterion."""
    errors = []
    if not self_from <= self_to:
        errors.append("Ngày kết thúc tự đánh giá phải sau ngày bắt đầu.")
    if not appraisal_from <= appraisal_to:
        errors.append("Ngày kết thúc thẩm định phải sau ngày bắt đầu.")
    if self_to > appraisal_from:
        errors.append("Thẩm định bắt đầu sau khi kết thúc tự đánh giá.")
    if rubric.agency_id not in (None, agency.pk):
        errors.append("Bộ tiêu chí thuộc cơ quan khác.")
    bands = bands if bands is not None else DEFAULT_BANDS
    try:
        check_bands(bands, rubric.total_points)
    except ValidationError as error:
        errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    round_ = Round.objects.create(
        agency=agency,
        scope=rubric.scope,
        year=year,
        title=title.strip() or f"Đánh giá, chấm điểm cải cách hành chính năm {year}",
        rubric_name=rubric.name,
        total_points=rubric.total_points,
        self_from=self_from,
        self_to=self_to,
        appraisal_from=appraisal_from,
        appraisal_to=appraisal_to,
        cut_off=cut_off or datetime.date(year, 12, 31),
        bands=bands,
        created_by=by,
    )
    round_.appraisers.set(appraisers)
    criteria = store_tree(RoundCriterion, {"round": round_}, rubric_tree(rubric))
    scored = [criterion for criterion in criteria if criterion.method != Method.GROUP]
    units = Unit.objects.bulk_create(Unit(round=round_, **who) for who in _evaluated(agency, rubric.scope))
    Score.objects.bulk_create(Score(unit=unit, criterion=criterion) for unit in units for criterion in scored)
    return round_


# Self-assessment, appraisal and the round's course ----------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _event(round_: Round, kind: str, by: User, *, unit: Unit | None = None, reason: str = "") -> None:
    RoundEvent.objects.create(round=round_, unit=unit, kind=kind, actor=by, reason=reason)


def _locked(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().select_related("round").get(pk=unit.pk)


@transaction.atomic
def score_self(
    *, score: Score, by: User, value=None, declared: str = "", explanation: str = "", today=None
) -> Score:
    """The unit's self-score of one criterion: `value` as the criterion's method reads it (points, có /
    không, a rate in %); a computed criterion keeps its computed points and takes only the
    explanation. Nothing is written when the value is refused."""
    today = today or timezone.localdate()
    unit = _locked(score.unit)
    _require(
        can_self_assess(by, unit, today), "Chỉ đơn vị được đánh giá tự chấm, trong thời gian tự đánh giá."
    )
    criterion = score.criterion
    if criterion.method != Method.COMPUTED:
        if value in (None, ""):
            score.self_points = None
        else:
            score.self_points = points(Rule.of(criterion), value)
        score.declared = (
            declared or (str(value) if criterion.method != Method.MANUAL and value else "")
        ).strip()[:100]
    score.explanation = (explanation or "").strip()
    score.save(update_fields=["self_points", "declared", "explanation", "updated_at"])
    return score


@transaction.atomic
def evidence_add(*, score: Score, by: User, upload, today=None) -> ScoreEvidence:
    """An evidence file of a self-score, checked by its content and size (tasks.evidence)."""
    today = today or timezone.localdate()
    unit = _locked(score.unit)
    _require(
        can_self_assess(by, unit, today),
        "Chỉ đơn vị được đánh giá thêm tài liệu kiểm chứng, trong thời gian tự đánh giá.",
    )
    kind = evidence.check(upload)
    stored = evidence.save(upload, kind)
    try:
        return ScoreEvidence.objects.create(
            score=score,
            original_name=upload.name[:255],
            stored_name=stored,
            content_type=kind.content_type,
            size=upload.size,
            uploaded_by=by,
        )
    except Exception:
        evidence.delete(stored)
        raise


def in_tree_order(criteria):
    """The criteria in the order of the grid, each with its depth (0 for an area): parents before their
    children, siblings by their written position."""
    children: dict[int | None, list] = {}
    for criterion in sorted(criteria, key=lambda row: (row.position, row.pk)):
        children.setdefault(criterion.parent_id, []).append(criterion)

    def walk(parent_id, depth):
        for criterion in children.get(parent_id, ()):
            yield criterion, depth
            yield from walk(criterion.pk, depth + 1)

    return walk(None, 0)


def missing(unit: Unit) -> list[str]:
    """What keeps the unit from submitting, in the grid's order: scored criteria without a self-score,
    and criteria that require evidence with neither a file nor an explanation. Two queries."""
    criteria = unit.round.criteria.only("pk", "parent_id", "position")
    order = {criterion.pk: place for place, (criterion, _depth) in enumerate(in_tree_order(criteria))}
    problems = []
    scores = unit.scores.select_related("criterion").annotate(files=Count("evidence_files"))
    for score in sorted(scores, key=lambda score: order[score.criterion_id]):
        criterion = score.criterion
        name = f"Tiêu chí {criterion.label}" if criterion.label else f"Tiêu chí “{criterion.title[:60]}”"
        if score.self_points is None:
            problems.append(f"{name}: chưa chấm điểm.")
        if criterion.evidence_required and not score.files and not score.explanation:
            problems.append(f"{name}: cần tài liệu kiểm chứng hoặc lời giải trình.")
    return problems


@transaction.atomic
def unit_submit(*, unit: Unit, by: User, today=None) -> Unit:
    today = today or timezone.localdate()
    unit = _locked(unit)
    _require(can_submit(by, unit, today), "Trưởng đơn vị nộp bản tự đánh giá, trong thời gian tự đánh giá.")
    problems = missing(unit)
    if problems:
        raise ValidationError(problems)
    unit.status, unit.submitted_at, unit.submitted_by, unit.return_reason = (
        Unit.Status.SUBMITTED,
        timezone.now(),
        by,
        "",
    )
    unit.save(update_fields=["status", "submitted_at", "submitted_by", "return_reason"])
    _event(unit.round, "submitted", by, unit=unit)
    return unit


@transaction.atomic
def unit_return(*, unit: Unit, by: User, reason: str, today=None) -> Unit:
    """The appraiser asks a submitted unit for more evidence, within the appraisal window."""
    today = today or timezone.localdate()
    unit = _locked(unit)
    _require(can_appraise(by, unit, today), "Chỉ người thẩm định trả lại, trong thời gian thẩm định.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Nhập lý do trả lại: đơn vị cần bổ sung gì."})
    unit.status, unit.return_reason = Unit.Status.RETURNED, reason
    unit.save(update_fields=["status", "return_reason"])
    _event(unit.round, "returned", by, unit=unit, reason=reason)
    return unit


@transaction.atomic
def score_appraise(*, score: Score, by: User, value, note: str = "", today=None) -> Score:
    """The appraised points of one criterion, within [0, max] (the column "Điểm thẩm định"); a note is
    required wherever they differ from the self-score."""
    today = today or timezone.localdate()
    unit = _locked(score.unit)
    _require(can_appraise(by, unit, today), "Chỉ người thẩm định chấm, trong thời gian thẩm định.")
    # the appraiser writes points, whatever the method by which the unit declared them
    criterion = score.criterion
    appraised = points(Rule(criterion.label, criterion.max_points, Method.MANUAL), value)
    note = (note or "").strip()
    if appraised != score.self_points and not note:
        raise ValidationError({"note": "Điểm thẩm định khác điểm tự đánh giá: ghi ý kiến thẩm định."})
    score.appraised_points, score.appraisal_note = appraised, note
    score.save(update_fields=["appraised_points", "appraisal_note", "updated_at"])
    if unit.status == Unit.Status.SUBMITTED:
        unit.status = Unit.Status.APPRAISED
        unit.save(update_fields=["status"])
    return score


# The round moves forward: draft → self-assessment → appraisal → finalized → published; a leader may
# reopen a finalized round (back to appraisal) with a recorded reason.
MOVES = {
    "open": (Round.Status.DRAFT, Round.Status.SELF_ASSESSMENT),
    "appraise": (Round.Status.SELF_ASSESSMENT, Round.Status.APPRAISAL),
    "finalize": (Round.Status.APPRAISAL, Round.Status.FINALIZED),
    "reopen": (Round.Status.FINALIZED, Round.Status.APPRAISAL),
    "publish": (Round.Status.FINALIZED, Round.Status.PUBLISHED),
}


@transaction.atomic
def round_move(*, round_: Round, by: User, move: str, reason: str = "") -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _require(can_organise(by, round_), "Chỉ lãnh đạo cơ quan tổ chức đợt đánh giá.")
    before, after = MOVES[move]
    if round_.status != before:
        raise ValidationError(
            f"Đợt đánh giá đang ở trạng thái “{round_.get_status_display()}”: không thể chuyển sang "
            f"“{Round.Status(after).label}”."
        )
    reason = (reason or "").strip()
    if move == "reopen" and not reason:
        raise ValidationError({"reason": "Nhập lý do mở lại kết quả đã chốt."})
    if move == "finalize":
        unappraised = round_.units.filter(status__in=(Unit.Status.SUBMITTED, Unit.Status.RETURNED)).count()
        left = Score.objects.filter(
            unit__round=round_, unit__status=Unit.Status.APPRAISED, appraised_points=None
        )
        if unappraised or left.exists():
            raise ValidationError("Còn đơn vị hoặc tiêu chí chưa thẩm định xong: chưa chốt được kết quả.")
    round_.status = after
    round_.save(update_fields=["status"])
    _event(round_, move, by, reason=reason)
    return round_


def standings(round_: Round) -> list[Standing]:
    """Each unit's total and its points by area (appraised where appraised, else self-assessed), summed
    in the database in one query, ranked by scoring.ranked (the bands and TIE_RULE)."""
    areas = list(round_.criteria.filter(parent=None).order_by("position", "pk").values_list("pk", flat=True))
    counted = Coalesce("appraised_points", "self_points", Value(Decimal(0)), output_field=DecimalField())
    rows = (
        Score.objects.filter(unit__round=round_)
        # an area scored itself (no criteria under it) is its own area
        .annotate(area_key=Coalesce("criterion__area_id", "criterion_id"))
        .values("unit_id", "area_key")
        .annotate(points=Sum(counted))
        .order_by()
    )
    by_unit: dict[int, dict[int, Decimal]] = {}
    for row in rows:
        area = row["area_key"]
        by_unit.setdefault(row["unit_id"], {})[area] = row["points"] or Decimal(0)
    names = {
        pk: department or agency
        for pk, department, agency in round_.units.values_list("pk", "department__name", "agency__name")
    }
    result = []
    for unit_id, name in names.items():
        points_by_area = by_unit.get(unit_id, {})
        area_points = tuple(quantize(points_by_area.get(area, 0)) for area in areas)
        result.append(Standing(unit_id, name, quantize(sum(area_points, Decimal(0))), area_points))
    return ranked(result, round_.bands)
