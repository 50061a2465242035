"""The rules of scoring, apart from the database: a criterion's points from what was declared or counted,
a rubric tree's checks, bands and the ranking's order.

Points are Decimals with two places (Vietnamese results are published as 92,93). A criterion scores
  - manual: the number entered, within [0, max];
  - yes_no: max for "có", 0 for "không";
  - thresholds: a rate in % (declared, e.g. "85" for 85 % of documents published on time) against the
    criterion's thresholds [[from %, share of max], …], highest first: the first whose "from" the rate
    reaches gives max × share;
  - computed: the rate counted from the unit's tasks (evaluations.computed), against the thresholds when
    the criterion has some, else max × rate / 100 (proportional);
  - group: the sum of its children (never scored itself).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from cchc.formatting import vn_number
from evaluations.models import Measure, Method

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
YES = {"có", "co", "yes", "x", "1", "đạt"}
NO = {"không", "khong", "no", "0", "không đạt"}


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def shown(points: Decimal | None) -> str:
    """Points as Vietnamese documents write them: 92,93; 2,5; 10."""
    if points is None:
        return ""
    text = vn_number(quantize(points), decimals=2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def parse_number(text: str) -> Decimal:
    """A number as people type it: '92,93', '92.93', '85 %', '1.000' is not accepted as a thousand."""
    cleaned = (text or "").strip().replace("%", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValidationError(f"“{text}” không phải là một số.") from error
    if not value.is_finite():
        raise ValidationError(f"“{text}” không phải là một số.")
    return value


@dataclass(frozen=True)
class Rule:
    """What scoring a criterion needs to know of it."""

    label: str
    max_points: Decimal
    method: str
    thresholds: Sequence[Sequence] = ()

    @classmethod
    def of(cls, criterion) -> "Rule":
        return cls(
            criterion.label, Decimal(criterion.max_points), criterion.method, criterion.thresholds or ()
        )


def _named(rule: Rule) -> str:
    return f"Tiêu chí {rule.label}" if rule.label else "Tiêu chí"


def by_thresholds(rule: Rule, rate: Decimal) -> Decimal:
    for start, share in rule.thresholds:
        if rate >= Decimal(str(start)):
            return quantize(rule.max_points * Decimal(str(share)))
    return Decimal("0.00")


def points(rule: Rule, value) -> Decimal:
    """The points of a scored criterion for `value`: points (manual), "có"/"không" or a bool (yes_no),
    a rate in % (thresholds, computed). A value out of range is a ValidationError in Vietnamese."""
    if rule.method == Method.GROUP:
        raise ValueError("a group is the sum of its criteria")
    if rule.method == Method.YES_NO:
        if isinstance(value, bool):
            return quantize(rule.max_points) if value else Decimal("0.00")
        if isinstance(value, Decimal) and value in (0, rule.max_points):
            return quantize(value)  # points already given, e.g. an appraiser keeping the self-score
        answer = str(value).strip().casefold()
        if answer in YES:
            return quantize(rule.max_points)
        if answer in NO:
            return Decimal("0.00")
        raise ValidationError(f"{_named(rule)}: ghi “Có” hoặc “Không”.")
    number = value if isinstance(value, Decimal) else parse_number(str(value))
    if rule.method == Method.MANUAL:
        if not 0 <= number <= rule.max_points:
            raise ValidationError(
                f"{_named(rule)}: điểm phải từ 0 đến {shown(rule.max_points)}, không thể là {shown(number)}."
            )
        if number != quantize(number):
            raise ValidationError(f"{_named(rule)}: điểm lấy nhiều nhất hai chữ số thập phân.")
        return quantize(number)
    if not 0 <= number <= HUNDRED:
        raise ValidationError(f"{_named(rule)}: tỷ lệ phải từ 0 đến 100 %, không thể là {shown(number)} %.")
    if rule.thresholds:
        return by_thresholds(rule, number)
    if rule.method == Method.THRESHOLDS:
        raise ValidationError(f"{_named(rule)}: chưa khai báo ngưỡng tính điểm.")
    return quantize(rule.max_points * number / HUNDRED)


# The tree's checks ---------------------------------------------------------------------------------


@dataclass
class Node:
    """A criterion of a tree being checked (a rubric's or an import's rows)."""

    label: str
    title: str
    max_points: Decimal
    method: str
    thresholds: list = field(default_factory=list)
    measure: str = ""
    rule: str = ""  # cách tính điểm, as written
    evidence_required: bool = False
    evidence: str = ""  # tài liệu kiểm chứng
    children: list["Node"] = field(default_factory=list)


def check_tree(roots: Iterable[Node], total: Decimal) -> None:
    """Every error of a criteria tree at once, in Vietnamese: a group whose criteria's points do not add
    up to its own, top-level points that do not add up to the total, a scored criterion with children,
    thresholds out of order, a computed criterion without its measure."""
    roots = list(roots)
    errors = []
    if not roots:
        errors.append("Bộ tiêu chí chưa có tiêu chí nào.")
    for node in _walk(roots):
        name = f"Tiêu chí {node.label}" if node.label else f"Tiêu chí “{node.title[:60]}”"
        if node.method not in Method.values:
            errors.append(f"{name}: cách chấm “{node.method}” không có trong danh mục.")
        if node.measure and node.measure not in Measure.values:
            errors.append(f"{name}: số liệu tính “{node.measure}” không có trong danh mục.")
        if node.max_points < 0:
            errors.append(f"{name}: điểm tối đa không thể âm.")
        if node.children:
            if node.method != Method.GROUP:
                errors.append(f"{name} có tiêu chí con nên là một nhóm: điểm là tổng điểm các tiêu chí con.")
            children_sum = sum((child.max_points for child in node.children), Decimal(0))
            if children_sum != node.max_points:
                errors.append(
                    f"{name}: điểm tối đa {shown(node.max_points)} nhưng các tiêu chí con cộng lại "
                    f"{shown(children_sum)}."
                )
        elif node.method == Method.GROUP:
            errors.append(f"{name} là nhóm nhưng không có tiêu chí con.")
        if node.method in (Method.THRESHOLDS, Method.COMPUTED):
            errors.extend(f"{name}: {problem}" for problem in _threshold_problems(node))
        if node.method == Method.COMPUTED and not node.measure:
            errors.append(f"{name}: tiêu chí tính từ nhiệm vụ phải chọn số liệu tính.")
        if node.method == Method.THRESHOLDS and not node.thresholds:
            errors.append(f"{name}: chưa khai báo ngưỡng tính điểm.")
    top = sum((root.max_points for root in roots), Decimal(0))
    if roots and top != total:
        errors.append(
            f"Các lĩnh vực cộng lại {shown(top)} điểm, không bằng tổng điểm {shown(total)} đã khai báo."
        )
    if errors:
        raise ValidationError(errors)


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _threshold_problems(node: Node) -> list[str]:
    problems = []
    starts = []
    for pair in node.thresholds:
        try:
            start, share = (Decimal(str(part)) for part in pair)
        except (TypeError, ValueError, InvalidOperation):
            return [f"ngưỡng “{pair}” phải là một cặp [tỷ lệ % từ, phần điểm]."]
        if not 0 <= start <= HUNDRED:
            problems.append(f"ngưỡng {shown(start)} % phải từ 0 đến 100 %.")
        if not 0 <= share <= 1:
            problems.append(f"phần điểm {shown(share)} phải từ 0 đến 1.")
        starts.append(start)
    if starts != sorted(starts, reverse=True) or len(set(starts)) != len(starts):
        problems.append("các ngưỡng phải ghi từ cao xuống thấp, mỗi ngưỡng một lần.")
    return problems


# Bands and ranking ---------------------------------------------------------------------------------

DEFAULT_BANDS = [[90, "Xuất sắc"], [80, "Tốt"], [65, "Khá"], [50, "Trung bình"], [0, "Yếu"]]


def band(total: Decimal | None, bands: Sequence[Sequence]) -> str:
    """The band of a total: the first of the bands (highest first) whose "from" it reaches."""
    if total is None:
        return ""
    for start, name in bands or DEFAULT_BANDS:
        if total >= Decimal(str(start)):
            return name
    return ""


def check_bands(bands: Sequence[Sequence], total: Decimal) -> None:
    starts = []
    for pair in bands:
        if len(pair) != 2 or not str(pair[1]).strip():
            raise ValidationError(f"Xếp loại “{pair}” phải là một cặp [điểm từ, tên xếp loại].")
        starts.append(Decimal(str(pair[0])))
    if not starts or starts != sorted(starts, reverse=True) or len(set(starts)) != len(starts):
        raise ValidationError("Các mức xếp loại phải ghi từ cao xuống thấp, mỗi mức một lần.")
    if starts[-1] != 0:
        raise ValidationError("Mức xếp loại thấp nhất phải bắt đầu từ 0 điểm.")
    if starts[0] > total:
        raise ValidationError(f"Mức xếp loại cao nhất không thể vượt tổng điểm {shown(total)}.")


# The rule stated on every ranking.
TIE_RULE = (
    "Bằng tổng điểm thì đơn vị có điểm cao hơn ở lĩnh vực đứng trước trong bộ tiêu chí xếp trên; "
    "bằng nhau ở mọi lĩnh vực thì cùng hạng."
)


@dataclass
class Standing:
    unit_id: int
    name: str
    total: Decimal
    areas: tuple[Decimal, ...]  # the points of each area, in the rubric's order
    rank: int = 0
    band: str = ""


def ranked(standings: Iterable[Standing], bands: Sequence[Sequence]) -> list[Standing]:
    """The standings in order with their rank and band: by total, then TIE_RULE; units equal on every
    area share a rank (the next rank skips, 1, 2, 2, 4), and the name orders them for reading only."""
    ordered = sorted(standings, key=lambda row: (-row.total, tuple(-area for area in row.areas), row.name))
    previous = None
    for position, row in enumerate(ordered, start=1):
        key = (row.total, row.areas)
        row.rank = previous[1] if previous and previous[0] == key else position
        row.band = band(row.total, bands)
        previous = (key, row.rank)
    return ordered
