"""The rules of a rating round, as pure functions of its data: the defaults of the decree in force for a
year, the task points, the suggested level with its reasons, and the cap on HTXS.

- From 2026, Nghị định 335/2025/NĐ-CP: 100 points = general criteria (30, the head's) + task results (70),
  computed from the person's task record (Hải Phòng QĐ 212/2025's formulas, DOMAIN §7):
    quantity   = completed ÷ assigned × its maximum,
    quality    = completed meeting requirements (approved without a return) ÷ assigned × its maximum,
    timeliness = completed on time or early ÷ assigned × its maximum;
  each part to two places (half up), then added. Bands: HTXS ≥ 90, HTT ≥ 70, HTNV ≥ 50, KHTNV below.
- Through 2025, Nghị định 90/2020/NĐ-CP as amended by Nghị định 48/2023/NĐ-CP: no points. HTT needs every
  task assigned done on time; HTXS also every task meeting requirements and at least half of them
  exceeded (done ahead of the due date by the round's early_days, 5 by default); HTNV every task done with at most 20 % not ensured (late or
  returned); KHTNV when more than 50 % are not ensured. The general criteria are met or not (the head's).
- Both: fewer than 6 months worked in the year → not rated (kept for review), unless on maternity leave;
  off work 3 to under 6 months (worked under 9) → not above HTNV; disciplined in the year → KHTNV; the
  HTXS count of the agency may not exceed 20 % of its HTT count unless a reason is recorded.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ratings.models import LEVELS_BEST_FIRST, SHORT, Level, Scheme, better

CENT = Decimal("0.01")
POINTS_FROM = 2026  # the first year rated by points (Nghị định 335/2025/NĐ-CP)
LIMITED_BELOW_MONTHS = Decimal(9)  # off 3 to under 6 months: not rated HTT or above
HTNV_NOT_ENSURED = Decimal(20)  # % of tasks not ensured (late or returned) HTNV allows
KHTNV_NOT_ENSURED = Decimal(50)  # % above which the level is KHTNV


def quantize(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def defaults_for(year: int) -> dict:
    """The fields of a Round for `year` as the decree in force that year sets them."""
    common = {"cap_percent": 20, "min_months": 6}
    if year >= POINTS_FROM:
        return common | {
            "scheme": Scheme.POINTS,
            "general_max": Decimal(30),
            "quantity_max": Decimal(20),
            "quality_max": Decimal(30),
            "timeliness_max": Decimal(20),
            "htxs_from": Decimal(90),
            "htt_from": Decimal(70),
            "htnv_from": Decimal(50),
        }
    zero = Decimal(0)
    return common | {
        "scheme": Scheme.CRITERIA,
        "general_max": zero,
        "quantity_max": zero,
        "quality_max": zero,
        "timeliness_max": zero,
        "htxs_from": zero,
        "htt_from": zero,
        "htnv_from": zero,
    }


def rules_problems(fields: dict) -> dict[str, str]:
    """What is wrong in a round's rules (field → message); empty when they hold together."""
    problems = {}
    if fields["scheme"] != Scheme.POINTS:
        return problems
    total = fields["general_max"] + fields["quantity_max"] + fields["quality_max"] + fields["timeliness_max"]
    if total != 100:
        problems["general_max"] = (
            f"Tổng điểm tối đa (tiêu chí chung và ba phần kết quả thực hiện nhiệm vụ) phải là 100, "
            f"hiện là {shown(total)}."
        )
    if not (0 < fields["htnv_from"] < fields["htt_from"] < fields["htxs_from"] <= 100):
        problems["htxs_from"] = "Ngưỡng điểm phải tăng dần: HTNV < HTT < HTXS ≤ 100."
    return problems


def shown(value: Decimal | None) -> str:
    """Points as Vietnamese print them: "22,5", "92,93", "70"."""
    if value is None:
        return "—"
    text = f"{quantize(value):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Counts:
    """A person's task record: assigned, completed, completed meeting requirements, completed on time or
    early, completed ahead of schedule (ratings.record), and completed on time and meeting requirements."""

    assigned: int = 0
    completed: int = 0
    met: int = 0
    on_time: int = 0
    early: int = 0
    on_time_met: int = 0


COUNTED = ("assigned", "completed", "met", "on_time", "early", "on_time_met")


def counts_of(rating) -> Counts:
    """The counts a Rating keeps of its record."""
    return Counts(**{name: getattr(rating, name) for name in COUNTED})


@dataclass(frozen=True)
class TaskPoints:
    quantity: Decimal
    quality: Decimal
    timeliness: Decimal

    @property
    def total(self) -> Decimal:
        return self.quantity + self.quality + self.timeliness


def _part(numerator: int, denominator: int, maximum: Decimal) -> Decimal:
    return quantize(Decimal(numerator) * maximum / Decimal(denominator))


def task_points(counts: Counts, quantity_max: Decimal, quality_max: Decimal, timeliness_max: Decimal):
    """The three parts of the task results (None when nothing was assigned: the head scores them)."""
    if not counts.assigned:
        return None
    return TaskPoints(
        quantity=_part(counts.completed, counts.assigned, quantity_max),
        quality=_part(counts.met, counts.assigned, quality_max),
        timeliness=_part(counts.on_time, counts.assigned, timeliness_max),
    )


def level_for_points(total: Decimal, htxs_from: Decimal, htt_from: Decimal, htnv_from: Decimal) -> str:
    if total >= htxs_from:
        return Level.HTXS
    if total >= htt_from:
        return Level.HTT
    if total >= htnv_from:
        return Level.HTNV
    return Level.KHTNV


@dataclass
class Suggestion:
    """The level the rules suggest (None: not rated, or not yet known) and why, in the user's words."""

    level: str | None = None
    reasons: list[str] = field(default_factory=list)
    not_rated: str = ""  # why the person is not rated this year
    waiting: str = ""  # what is missing before a level can be suggested
    ceiling: str | None = None  # the best level allowed (months off work)
    disciplined: bool = False  # disciplined in the year: KHTNV, whatever else
    no_record: bool = False  # nothing assigned in the year: the rater chooses, with a reason

    @property
    def label(self) -> str:
        if self.not_rated:
            return "Không xếp loại"
        return Level(self.level).label if self.level else ""


def months_text(months: Decimal) -> str:
    return shown(months)


def _criteria_level(counts: Counts, reasons: list[str]) -> str:
    n = counts.assigned
    not_ensured = n - counts.on_time_met
    share = Decimal(not_ensured) * 100 / Decimal(n)
    if counts.on_time == n:
        reasons.append(f"{counts.on_time}/{n} nhiệm vụ hoàn thành đúng hạn hoặc trước hạn (100 %).")
        if counts.met == n and counts.early * 2 >= n:
            reasons.append(
                f"{counts.met}/{n} nhiệm vụ đạt yêu cầu ngay lần đầu; {counts.early}/{n} hoàn thành vượt "
                "tiến độ (từ 50 % trở lên)."
            )
            return Level.HTXS
        if counts.met < n:
            reasons.append(
                f"Chưa đủ mức HTXS: {n - counts.met}/{n} nhiệm vụ bị trả lại trước khi đạt yêu cầu."
            )
        else:
            reasons.append(
                f"Chưa đủ mức HTXS: {counts.early}/{n} nhiệm vụ hoàn thành vượt tiến độ (dưới 50 %)."
            )
        return Level.HTT
    reasons.append(f"Chưa đủ mức HTT: {n - counts.on_time}/{n} nhiệm vụ chưa hoàn thành đúng hạn.")
    if share > KHTNV_NOT_ENSURED:
        reasons.append(f"{not_ensured}/{n} nhiệm vụ chưa bảo đảm tiến độ, chất lượng (trên 50 %).")
        return Level.KHTNV
    if counts.completed == n and share <= HTNV_NOT_ENSURED:
        reasons.append(f"{not_ensured}/{n} nhiệm vụ chưa bảo đảm tiến độ, chất lượng (không quá 20 %).")
    else:
        reasons.append(
            f"{not_ensured}/{n} nhiệm vụ chưa bảo đảm tiến độ, chất lượng, {n - counts.completed} chưa hoàn "
            "thành: chưa đến mức KHTNV (trên 50 %); người đánh giá cân nhắc."
        )
    return Level.HTNV


def suggest(
    round_,
    counts: Counts,
    *,
    months_worked: Decimal,
    maternity: bool,
    disciplined: str = "",
    general_points: Decimal | None = None,
    general_met: bool | None = None,
    task_total: Decimal | None = None,
) -> Suggestion:
    """The suggested level of one person under the round's rules. `disciplined` names the measure in
    force in the year ("" when none); `task_total` is the task points (computed or the head's)."""
    found = Suggestion()
    if months_worked < round_.min_months and not maternity:
        found.not_rated = (
            f"Thời gian công tác trong năm {months_text(months_worked)} tháng, chưa đủ {round_.min_months} "
            "tháng: không đánh giá, xếp loại chất lượng (vẫn kiểm điểm thời gian công tác)."
        )
        return found
    if months_worked < LIMITED_BELOW_MONTHS and not maternity:
        found.ceiling = Level.HTNV
        found.reasons.append(
            f"Công tác {months_text(months_worked)} tháng (nghỉ từ 03 đến dưới 06 tháng): không xếp loại từ "
            "mức hoàn thành tốt nhiệm vụ trở lên."
        )
    if disciplined:
        found.level, found.disciplined = Level.KHTNV, True
        found.reasons.append(f"Bị xử lý kỷ luật ({disciplined}) trong năm đánh giá.")
        return found
    if round_.scheme == Scheme.POINTS:
        if general_points is None:
            found.waiting = "Chưa có điểm tiêu chí chung của người đánh giá."
            return found
        if task_total is None:
            found.waiting = (
                "Không có nhiệm vụ được giao trong năm: người đánh giá chấm điểm kết quả thực hiện nhiệm vụ."
            )
            return found
        total = general_points + task_total
        level = level_for_points(total, round_.htxs_from, round_.htt_from, round_.htnv_from)
        found.reasons.append(
            f"Tổng {shown(total)} điểm = {shown(general_points)} tiêu chí chung + {shown(task_total)} kết quả "
            f"thực hiện nhiệm vụ: mức {SHORT[level]}."
        )
    else:
        if general_met is None:
            found.waiting = "Người đánh giá chưa nhận xét tiêu chí chung."
            return found
        if not general_met:
            found.level = Level.KHTNV
            found.reasons.append("Không đạt tiêu chí chung (chính trị tư tưởng, đạo đức, lối sống, kỷ luật).")
            return found
        if not counts.assigned:
            found.waiting = (
                "Không có nhiệm vụ được giao trong năm: người đánh giá xếp loại theo công việc thực tế."
            )
            return found
        level = _criteria_level(counts, found.reasons)
    if found.ceiling and better(level, found.ceiling):
        level = found.ceiling
    found.level = level
    return found


def cap_allowed(htt_count: int, percent: int) -> int:
    """How many HTXS the agency may have: `percent` of its HTT count, rounded down."""
    return math.floor(Decimal(htt_count) * percent / 100)


@dataclass(frozen=True)
class Cap:
    htxs: int
    htt: int
    allowed: int
    percent: int

    @property
    def exceeded(self) -> bool:
        return self.htxs > self.allowed


def cap_of(levels, percent: int) -> Cap:
    """The cap over the levels given (each person's decided, else proposed, else suggested level)."""
    levels = list(levels)
    htt = sum(1 for level in levels if level == Level.HTT)
    htxs = sum(1 for level in levels if level == Level.HTXS)
    return Cap(htxs=htxs, htt=htt, allowed=cap_allowed(htt, percent), percent=percent)


def level_index(level: str) -> int:
    return LEVELS_BEST_FIRST.index(level)
