"""The rounds behind the bench's evaluation pages: a province's ranking and one unit's grid.

Sở Nội vụ (the overseer's agency) holds a round over every agency of the province with a rubric of
`CRITERIA` scored criteria (the default agency rubric's criteria, in six areas of two groups each), every
unit submitted and appraised, its scores filled with deterministic self-assessed and appraised points.
The same agency holds a small round with one criterion for the control agency alone, so the two pages'
query counts can be compared as the other pages' are. The bench's overseer appraises both, which lets
them open the whole ranking and every grid.

`ensure()` writes them once, inside the bench's database: a data set kept from a run before these
pages existed gets them on the next run, one that has them is left as it is.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import Agency, User
from demo import bench
from evaluations.defaults import RUBRICS_DIR, read_rubric_file
from evaluations.models import Method, Round, Scope, Score, Unit
from evaluations.scoring import Node, Rule, points, quantize
from evaluations.services import round_create, rubric_create

FULL_TITLE = "Đánh giá, chấm điểm Chỉ số CCHC các cơ quan năm {year} (bench)"
SMALL_TITLE = "Đánh giá, chấm điểm Chỉ số CCHC cơ quan đối chứng năm {year} (bench)"
AREA_POINTS = [Decimal(20), Decimal(20), Decimal(15), Decimal(15), Decimal(15), Decimal(15)]  # 100 in all
GROUPS = 2  # per area
PER_GROUP = 5  # criteria per group: 6 × 2 × 5 = 60
CRITERIA = len(AREA_POINTS) * GROUPS * PER_GROUP
APPRAISAL_NOTE = "Tài liệu kiểm chứng chưa đầy đủ: giảm điểm theo hướng dẫn chấm."


def _leaves(nodes: list[Node]):
    for node in nodes:
        if node.children:
            yield from _leaves(node.children)
        else:
            yield node


def _criterion(template: Node, label: str, max_points: Decimal) -> Node:
    return Node(
        label=label,
        title=template.title,
        max_points=max_points,
        method=template.method,
        thresholds=list(template.thresholds),
        measure=template.measure,
        rule=template.rule,
        evidence_required=template.evidence_required,
        evidence=template.evidence,
    )


def criteria_tree() -> list[Node]:
    """Six areas of the default agency rubric, each of two groups of five criteria whose titles, rules,
    methods and thresholds are the default rubric's leaves in turn: 60 scored criteria, 100 points."""
    _fields, defaults = read_rubric_file(RUBRICS_DIR / "agency.json")
    leaves = list(_leaves(defaults))
    areas = []
    for a, area_points in enumerate(AREA_POINTS):
        area_template = defaults[a % len(defaults)]
        each = area_points / (GROUPS * PER_GROUP)
        groups = []
        for g in range(GROUPS):
            group_label = str(g + 1)
            children = [
                _criterion(
                    leaves[((a * GROUPS + g) * PER_GROUP + c) % len(leaves)], f"{group_label}.{c + 1}", each
                )
                for c in range(PER_GROUP)
            ]
            groups.append(
                Node(
                    label=group_label,
                    title=f"Nhóm tiêu chí {group_label} của lĩnh vực {area_template.label}",
                    max_points=each * PER_GROUP,
                    method=Method.GROUP,
                    children=children,
                )
            )
        areas.append(
            Node(
                label=area_template.label,
                title=area_template.title,
                max_points=area_points,
                method=Method.GROUP,
                children=groups,
            )
        )
    return areas


def _self_assessed(score: Score, unit_index: int, position: int) -> None:
    """A deterministic self-score of the criterion's method, varying with the unit and the criterion."""
    criterion = score.criterion
    rule = Rule.of(criterion)
    turn = (unit_index * 7 + position * 3) % 10
    if criterion.method == Method.YES_NO:
        score.self_points = points(rule, turn != 0)
        score.declared = "có" if turn else "không"
    elif criterion.method in (Method.THRESHOLDS, Method.COMPUTED):
        rate = Decimal(100 - turn * 6)
        score.declared = str(rate)
        if criterion.method == Method.COMPUTED:
            score.computed_value = rate
        score.self_points = points(rule, rate)
    else:
        score.self_points = quantize(rule.max_points * Decimal(10 - turn // 2) / 10)
    score.explanation = "Đã thực hiện đầy đủ theo kế hoạch; tài liệu kiểm chứng kèm theo." if turn < 3 else ""


def _appraised(score: Score, unit_index: int, position: int) -> None:
    """The appraiser keeps most self-scores and lowers one in seven, with a note."""
    if (unit_index + position) % 7 == 0 and score.self_points:
        score.appraised_points = quantize(score.self_points / 2)
        score.appraisal_note = APPRAISAL_NOTE
    else:
        score.appraised_points = score.self_points


def _fill(round_: Round, by: User) -> None:
    """Every unit submitted and appraised, every score filled (bulk_update), the round in appraisal."""
    units = list(round_.units.order_by("agency__code", "department__name", "pk"))
    index_of = {unit.pk: index for index, unit in enumerate(units)}
    order = {
        pk: position
        for position, pk in enumerate(
            round_.criteria.order_by("area__position", "position", "pk").values_list("pk", flat=True)
        )
    }
    scores = list(Score.objects.filter(unit__round=round_).select_related("criterion"))
    for score in scores:
        unit_index, position = index_of[score.unit_id], order[score.criterion_id]
        _self_assessed(score, unit_index, position)
        _appraised(score, unit_index, position)
    Score.objects.bulk_update(
        scores,
        ["self_points", "declared", "explanation", "computed_value", "appraised_points", "appraisal_note"],
        batch_size=1000,
    )
    submitted_at = datetime.datetime.combine(round_.self_to, datetime.time(16), tzinfo=datetime.UTC)
    round_.units.update(status=Unit.Status.APPRAISED, submitted_at=submitted_at, submitted_by=by)
    round_.status = Round.Status.APPRAISAL
    round_.save(update_fields=["status"])


def _round(*, agency: Agency, by: User, title: str, criteria: list[Node], year: int) -> Round:
    rubric = rubric_create(
        name=f"Bộ tiêu chí {len(list(_leaves(criteria)))} tiêu chí (bench)",
        scope=Scope.AGENCIES,
        total_points=sum((node.max_points for node in criteria), Decimal(0)),
        criteria=criteria,
        agency=agency,
    )
    return round_create(
        agency=agency,
        by=by,
        rubric=rubric,
        year=year,
        title=title,
        self_from=datetime.date(year, 12, 1),
        self_to=datetime.date(year, 12, 15),
        appraisal_from=datetime.date(year, 12, 16),
        appraisal_to=datetime.date(year, 12, 31),
        appraisers=[by],
    )


@transaction.atomic
def ensure(year: int = bench.LAST_YEAR) -> None:
    """Write the two rounds unless the data set holds them already."""
    if Round.objects.filter(title=FULL_TITLE.format(year=year)).exists():
        return
    overseer = User.objects.select_related("agency").get(username="bench_overseer")
    full = _round(
        agency=overseer.agency,
        by=overseer,
        title=FULL_TITLE.format(year=year),
        criteria=criteria_tree(),
        year=year,
    )
    _fill(full, overseer)
    area = criteria_tree()[0]
    total = sum(AREA_POINTS, Decimal(0))  # the bands are those of a 100-point rubric
    one = _criterion(area.children[0].children[0], "1", total)
    small = _round(
        agency=overseer.agency,
        by=overseer,
        title=SMALL_TITLE.format(year=year),
        criteria=[
            Node(
                label=area.label,
                title=area.title,
                max_points=total,
                method=Method.GROUP,
                children=[one],
            )
        ],
        year=year,
    )
    small.units.exclude(agency__code=bench.SMALL_CODE).delete()  # the control agency alone
    _fill(small, overseer)


def round_of(scene: bench.Scene) -> Round:
    """The round measured for the scene: the province's for a full agency, the small one for the control."""
    title = SMALL_TITLE if scene.agency.code == bench.SMALL_CODE else FULL_TITLE
    return Round.objects.get(title=title.format(year=bench.LAST_YEAR))


def unit_of(scene: bench.Scene) -> Unit:
    """The scene's agency's unit in its round: its grid is the page measured."""
    return Unit.objects.get(round=round_of(scene), agency=scene.agency)
