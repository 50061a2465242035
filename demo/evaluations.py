"""Demo evaluation rounds (evaluations): the year-end CCHC scoring, loaded at the end of load_demo.

- The 2019 round of Sở KH&ĐT over its departments, on the default department rubric: the computed
  criteria counted from the demo's 2019 tasks (compute_round), the other criteria self-scored by each
  department's staff member with explanations (a PDF or two as evidence), submitted by the heads,
  appraised by lanhdao with a few criteria adjusted and noted, finalized. Every step goes through the
  services on a day inside its window; the records are then dated back to December 2019 / January 2020,
  as the demo's task history is.
- The 2019 provincial round of Sở Nội vụ over the agencies of the province, on the default agency rubric,
  published. The top three carry the published totals of Vĩnh Phúc's CCHC index 2019 (DOMAIN.md §9):
  Sở Tài chính 92,93, Sở Xây dựng 91,33, Sở Thông tin và Truyền thông 90,04; the points per criterion
  behind them, and every other agency's result, are illustrative (Unit.illustrative). The demo holds no
  people or task record for most of these agencies, so their scores are written as the published
  outcome (self-score = appraisal) rather than through a self-assessment; the round's course goes
  through round_move by the leader of Sở Nội vụ this module adds.
- A round of Sở KH&ĐT over its departments for the current year, in self-assessment (its window holds
  the day of loading): computed criteria filled, two departments part-way, one submitted.

Idempotent: a round already there (same agency, year and title) is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Agency, Role, User
from demo.tasks import People, pdf_bytes
from evaluations.computed import compute_round
from evaluations.defaults import load_default_rubrics
from evaluations.models import Method, Round, RoundEvent, Rubric, Scope, Score, ScoreEvidence, Unit
from evaluations.scoring import quantize
from evaluations.services import (
    evidence_add,
    round_create,
    round_move,
    score_appraise,
    score_self,
    unit_submit,
)

ILLUSTRATIVE = "(dữ liệu minh họa)"
DEPARTMENTS_TITLE = "Chấm điểm cải cách hành chính các phòng, đơn vị thuộc Sở năm {year}"
PROVINCE_TITLE = "Chỉ số cải cách hành chính các sở, ban, ngành tỉnh Vĩnh Phúc năm 2019"

# The agencies of the province the provincial round needs besides those of demo.loading: the two of
# the published top three, and a few more of the 20 sở, ban, ngành ranked in 2019 (no plans, no people).
PROVINCE_AGENCIES = [
    ("SXD", "Sở Xây dựng"),
    ("STTTT", "Sở Thông tin và Truyền thông"),
    ("STP", "Sở Tư pháp"),
    ("SYT", "Sở Y tế"),
    ("SGDĐT", "Sở Giáo dục và Đào tạo"),
    ("SCT", "Sở Công Thương"),
    ("STNMT", "Sở Tài nguyên và Môi trường"),
]
# Appraised totals of the 2019 index: the published three (DOMAIN.md §9), then illustrative ones.
PUBLISHED_TOTALS = {"STC": Decimal("92.93"), "SXD": Decimal("91.33"), "STTTT": Decimal("90.04")}
ILLUSTRATIVE_TOTALS = {
    "STP": Decimal("89.46"),
    "SKHĐT": Decimal("88.72"),
    "SNV": Decimal("87.15"),
    "SCT": Decimal("85.60"),
    "SYT": Decimal("84.38"),
    "STNMT": Decimal("82.91"),
    "SGDĐT": Decimal("81.27"),
}
OTHER_TOTAL = Decimal("78.50")  # an agency of the province added to the demo later: illustrative too
# The leader of Sở Nội vụ who organises the provincial round (the demo's sonoivu is an overseer).
PROVINCE_LEADER = ("lanhdao.snv", "Nguyễn Đức Toàn", "Phó Giám đốc Sở Nội vụ")

PUBLISHED_NOTE = "Theo kết quả Chỉ số cải cách hành chính năm 2019 đã công bố; điểm từng tiêu chí minh họa."
ILLUSTRATIVE_NOTE = "Điểm minh họa (dữ liệu mẫu), không phải kết quả đã công bố."

# The 2019 departments round's calendar.
SELF_2019 = (datetime.date(2019, 12, 16), datetime.date(2019, 12, 27))
APPRAISAL_2019 = (datetime.date(2020, 1, 2), datetime.date(2020, 1, 10))
PROVINCE_SELF_2019 = (datetime.date(2020, 1, 6), datetime.date(2020, 1, 17))
PROVINCE_APPRAISAL_2019 = (datetime.date(2020, 1, 20), datetime.date(2020, 2, 14))
PROVINCE_PUBLISHED_ON = datetime.date(2020, 3, 2)

APPRAISAL_NOTES = [
    "Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện; đề nghị phòng lưu đủ hồ sơ.",
    "Một số nội dung thực hiện chậm so với yêu cầu của Kế hoạch; giảm điểm tương ứng.",
    "Số liệu kê khai chưa khớp với báo cáo tổng hợp của Văn phòng Sở.",
]
# The evidence files of the 2019 round: (department code, criterion label, title).
EVIDENCE_2019 = [
    ("VP", "4", "Chương trình công tác CCHC năm 2019 của Văn phòng Sở"),
    ("ĐKKD", "18", "Danh mục hồ sơ đăng ký doanh nghiệp đã số hóa năm 2019"),
]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _default_rubric(scope: str) -> Rubric:
    return Rubric.objects.filter(is_default=True, agency=None, scope=scope).order_by("pk").first()


def _date_last_event(round_: Round, day: datetime.date, hour: int = 9) -> None:
    """Date back the event a service call just recorded (the services stamp the real time)."""
    event = round_.events.order_by("-pk").first()
    RoundEvent.objects.filter(pk=event.pk).update(created_at=_at(day, hour))


def _scores(unit: Unit) -> list[Score]:
    return list(
        unit.scores.select_related("criterion", "unit__round").order_by(
            "criterion__area__position", "criterion__position", "criterion_id"
        )
    )


def _self_value(score: Score, rng: random.Random) -> tuple[object, str, str]:
    """A plausible self-score of a criterion not computed: (value, declared, explanation)."""
    criterion = score.criterion
    if criterion.method == Method.YES_NO:
        if rng.random() < 0.9:
            return "Có", "Có", f"Phòng đã thực hiện; văn bản, hồ sơ lưu tại phòng {ILLUSTRATIVE}."
        return "Không", "Không", f"Trong năm phòng chưa thực hiện được nội dung này {ILLUSTRATIVE}."
    if criterion.method == Method.THRESHOLDS:
        rate = rng.choice([100, 100, 100, 98, 95, 90, 85, 80, 75])
        return (
            str(rate),
            f"{rate} %",
            f"Đạt {rate} % theo số liệu tổng hợp của phòng đến ngày 31/12 {ILLUSTRATIVE}.",
        )
    share = rng.choice([Decimal(1), Decimal(1), Decimal(1), Decimal("0.75"), Decimal("0.5")])
    value = quantize(criterion.max_points * share)
    if share == 1:
        return value, "", f"Thực hiện đầy đủ, đúng yêu cầu {ILLUSTRATIVE}."
    return value, "", f"Thực hiện chưa đầy đủ, một số nội dung còn chậm so với yêu cầu {ILLUSTRATIVE}."


def _self_assess(unit: Unit, by: User, day: datetime.date, rng: random.Random, *, share: float = 1) -> None:
    """The staff member's self-scores of the unit's criteria that are not computed (a `share` of them)."""
    for score in _scores(unit):
        if score.criterion.method == Method.COMPUTED or rng.random() >= share:
            continue
        value, declared, explanation = _self_value(score, rng)
        score_self(score=score, by=by, value=value, declared=declared, explanation=explanation, today=day)


def _evidence(unit: Unit, label: str, title: str, by: User, day: datetime.date) -> ScoreEvidence:
    score = unit.scores.select_related("unit__round").get(criterion__label=label)
    body = pdf_bytes(title, f"{unit.department.name} - {unit.round.title}", "Tai lieu minh hoa (du lieu mau)")
    upload = SimpleUploadedFile(f"{title}.pdf", body, content_type="application/pdf")
    item = evidence_add(score=score, by=by, upload=upload, today=day)
    ScoreEvidence.objects.filter(pk=item.pk).update(uploaded_at=_at(day, 10))
    return item


def _departments_round(agency: Agency, people: People, year: int, **dates) -> Round:
    round_ = round_create(
        agency=agency,
        by=people.leader,
        rubric=_default_rubric(Scope.DEPARTMENTS),
        year=year,
        title=DEPARTMENTS_TITLE.format(year=year),
        appraisers=[people.leader],
        **dates,
    )
    round_move(round_=round_, by=people.leader, move="open")
    compute_round(round_)
    return round_


def _units(round_: Round) -> list[Unit]:
    return list(round_.units.select_related("department", "round").order_by("department__position"))


def load_departments_2019(agency: Agency, people: People) -> Round | None:
    """The finalized 2019 round of the agency's departments (see the module's docstring)."""
    title = DEPARTMENTS_TITLE.format(year=2019)
    if Round.objects.filter(agency=agency, year=2019, title=title).exists():
        return None
    leader = people.leader
    round_ = _departments_round(
        agency,
        people,
        2019,
        self_from=SELF_2019[0],
        self_to=SELF_2019[1],
        appraisal_from=APPRAISAL_2019[0],
        appraisal_to=APPRAISAL_2019[1],
    )
    Round.objects.filter(pk=round_.pk).update(created_at=_at(SELF_2019[0] - datetime.timedelta(days=6)))
    _date_last_event(round_, SELF_2019[0], 8)
    units = _units(round_)
    for index, unit in enumerate(units):
        rng = random.Random(20190 + index)  # noqa: S311 - a fixed story, not security
        staff, head = people.staff[unit.department_id], people.heads[unit.department_id]
        day = SELF_2019[0] + datetime.timedelta(days=index % 5)
        _self_assess(unit, staff, day, rng)
        for code, label, file_title in EVIDENCE_2019:
            if unit.department.code == code:
                _evidence(unit, label, file_title, staff, day)
        submitted_on = SELF_2019[0] + datetime.timedelta(days=4 + index % 6)
        unit_submit(unit=unit, by=head, today=submitted_on)
        Unit.objects.filter(pk=unit.pk).update(submitted_at=_at(submitted_on, 16))
        _date_last_event(round_, submitted_on, 16)

    round_move(round_=round_, by=leader, move="appraise")
    _date_last_event(round_, APPRAISAL_2019[0], 8)
    for index, unit in enumerate(units):
        rng = random.Random(20200 + index)  # noqa: S311
        day = APPRAISAL_2019[0] + datetime.timedelta(days=index % 5)
        scores = _scores(unit)
        adjustable = [s for s in scores if s.criterion.method != Method.COMPUTED and s.self_points]
        adjusted = {s.pk for s in rng.sample(adjustable, k=index % 4)}
        for score in scores:
            if score.pk in adjusted:
                lowered = Decimal(0) if score.criterion.method == Method.YES_NO else score.self_points / 2
                value, note = quantize(lowered), rng.choice(APPRAISAL_NOTES)
            else:
                value, note = score.self_points, ""
            score_appraise(score=score, by=leader, value=value, note=note, today=day)
    round_move(round_=round_, by=leader, move="finalize")
    _date_last_event(round_, APPRAISAL_2019[1], 15)
    Score.objects.filter(unit__round=round_).update(updated_at=_at(APPRAISAL_2019[1], 11))
    return round_


def load_current_year(agency: Agency, people: People, today: datetime.date) -> Round | None:
    """This year's round of the agency's departments, in self-assessment on `today`: computed criteria
    filled as of today, Văn phòng Sở submitted, two departments part-way."""
    year = today.year
    if Round.objects.filter(agency=agency, year=year, title=DEPARTMENTS_TITLE.format(year=year)).exists():
        return None
    self_to = today + datetime.timedelta(days=20)
    round_ = _departments_round(
        agency,
        people,
        year,
        self_from=today - datetime.timedelta(days=7),
        self_to=self_to,
        appraisal_from=self_to + datetime.timedelta(days=1),
        appraisal_to=self_to + datetime.timedelta(days=15),
        cut_off=today,
    )
    units = {unit.department.code: unit for unit in _units(round_)}
    rng = random.Random(year)  # noqa: S311
    submitted = units["VP"]
    _self_assess(submitted, people.staff[submitted.department_id], today, rng)
    unit_submit(unit=submitted, by=people.heads[submitted.department_id], today=today)
    for code, share in (("ĐKKD", 0.6), ("KTN", 0.3)):
        unit = units[code]
        _self_assess(unit, people.staff[unit.department_id], today, rng, share=share)
    return round_


# The provincial round ------------------------------------------------------------------------------


def _province_agencies(province: Agency) -> dict[str, Agency]:
    agencies = {}
    for code, short_name in PROVINCE_AGENCIES:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": f"{short_name} tỉnh {province.place_name}",
                "short_name": short_name,
                "parent_body": f"UBND tỉnh {province.place_name}",
                "place_name": province.place_name,
                "parent": province,
            },
        )
    return agencies


def _province_leader(agency: Agency, password_of: User) -> User:
    """The organiser of Sở Nội vụ's round, signing in with the demo password (the hash of `password_of`)."""
    username, full_name, position = PROVINCE_LEADER
    leader, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "position": position,
            "role": Role.LEADER,
            "agency": agency,
            "department": None,
            "email": f"{username}@example.invalid",
            "password": password_of.password,
        },
    )
    return leader


def spread(scores: list[Score], target: Decimal, rng: random.Random) -> dict[int, Decimal]:
    """Points per score (by pk) that add up to exactly `target`: each criterion at its maximum, less
    losses as its method allows them (all of a yes/no criterion, a step of a thresholds criterion),
    the rest taken from the criteria scored by hand or computed."""
    given = {score.pk: quantize(score.criterion.max_points) for score in scores}
    remaining = quantize(sum(given.values(), Decimal(0)) - target)
    order = list(scores)
    rng.shuffle(order)
    for score in order:
        criterion = score.criterion
        if criterion.method == Method.YES_NO:
            steps = [given[score.pk]]
        elif criterion.method == Method.THRESHOLDS:
            steps = [
                quantize(criterion.max_points * (1 - Decimal(str(share))))
                for _, share in criterion.thresholds
            ]
        else:
            continue
        fitting = [step for step in steps if 0 < step <= remaining]
        if fitting and rng.random() < 0.4:
            loss = rng.choice(fitting)
            given[score.pk] -= loss
            remaining -= loss
    flexible = [s for s in order if s.criterion.method in (Method.MANUAL, Method.COMPUTED)]
    for share in (Decimal("0.5"), Decimal(1)):
        for score in flexible:
            loss = min(remaining, quantize(score.criterion.max_points * share), given[score.pk])
            given[score.pk] -= loss
            remaining -= loss
    if remaining:
        raise ValueError(f"cannot take {remaining} more points off the criteria")
    return given


def load_province_2019(province: Agency, overseer_agency: Agency, users: dict[str, User]) -> Round | None:
    """The published 2019 round of Sở Nội vụ over the agencies of the province (module docstring)."""
    _province_agencies(province)
    leader = _province_leader(overseer_agency, users["lanhdao"])  # kept with the demo password
    if Round.objects.filter(agency=overseer_agency, year=2019, title=PROVINCE_TITLE).exists():
        return None
    appraiser = users["sonoivu"]
    round_ = round_create(
        agency=overseer_agency,
        by=leader,
        rubric=_default_rubric(Scope.AGENCIES),
        year=2019,
        title=PROVINCE_TITLE,
        self_from=PROVINCE_SELF_2019[0],
        self_to=PROVINCE_SELF_2019[1],
        appraisal_from=PROVINCE_APPRAISAL_2019[0],
        appraisal_to=PROVINCE_APPRAISAL_2019[1],
        appraisers=[appraiser],
    )
    Round.objects.filter(pk=round_.pk).update(
        created_at=_at(PROVINCE_SELF_2019[0] - datetime.timedelta(days=4))
    )
    round_move(round_=round_, by=leader, move="open")
    _date_last_event(round_, PROVINCE_SELF_2019[0], 8)
    totals = {**PUBLISHED_TOTALS, **ILLUSTRATIVE_TOTALS}
    units = list(round_.units.select_related("agency").order_by("agency__code"))
    written = []
    for unit in units:
        code = unit.agency.code
        scores = _scores(unit)
        rng = random.Random(f"2019-{code}")  # noqa: S311 - a fixed story, not security
        given = spread(scores, totals.get(code, OTHER_TOTAL), rng)
        published = code in PUBLISHED_TOTALS
        for score in scores:
            score.self_points = score.appraised_points = given[score.pk]
            score.explanation = PUBLISHED_NOTE if published else ILLUSTRATIVE_NOTE
        written += scores
        unit.status, unit.illustrative = Unit.Status.APPRAISED, not published
        unit.save(update_fields=["status", "illustrative"])
    Score.objects.bulk_update(written, ["self_points", "appraised_points", "explanation"], batch_size=500)
    Score.objects.filter(unit__round=round_).update(updated_at=_at(PROVINCE_APPRAISAL_2019[1], 11))
    for move, day in (
        ("appraise", PROVINCE_APPRAISAL_2019[0]),
        ("finalize", PROVINCE_APPRAISAL_2019[1]),
        ("publish", PROVINCE_PUBLISHED_ON),
    ):
        round_move(round_=round_, by=leader, move=move)
        _date_last_event(round_, day, 15)
    return round_


def load_evaluations(*, people: People, users: dict[str, User], today: datetime.date) -> None:
    """The demo's three rounds (module docstring); `people` are those of Sở KH&ĐT (demo.loading._people).
    The shipped rubrics are loaded first where they are missing (a database flushed after migrating)."""
    load_default_rubrics()
    agency = people.clerk.agency
    load_departments_2019(agency, people)
    load_province_2019(agency.parent, users["sonoivu"].agency, users)
    load_current_year(agency, people, today)
