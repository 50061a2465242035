"""The printed documents of a round (Nghị định 30/2020/NĐ-CP): a unit's self-assessment report
(Báo cáo, with the self-scoring table and its evidence list) and the organiser's notice of the results
(Thông báo, with the ranking). Both are described as OfficialDocuments that cchc.printing renders to
PDF, DOCX and, for their annex tables, XLSX.

A unit's report is issued by the unit: a department writes under its agency ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ" above
"PHÒNG ĐĂNG KÝ KINH DOANH", as a Sở's department heads its internal reports), signed by its head; an
agency writes under its own header, signed by its leader. Until it is submitted it prints as a draft.
The notice prints as a draft ("DỰ THẢO") until the round's results are finalized.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from cchc import formatting
from cchc.formatting import long_date
from cchc.printing.document import (
    BLANK,
    Appendix,
    Column,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from cchc.printing.signed import (
    attached_line,
    close_text,
    listed,
    parent_body,
    signer_problems,
    user_signature,
)
from evaluations.models import Method, Round, RoundCriterion, Scope, Score, ScoreEvidence, Unit
from evaluations.scoring import TIE_RULE, band, shown
from evaluations.services import missing, standings

SCORE_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Tiêu chí, tiêu chí thành phần", 0.43),
    Column("Điểm tối đa", 0.10, "center"),
    Column("Điểm tự đánh giá", 0.11, "center"),
    Column("Tài liệu kiểm chứng / giải trình", 0.29),
)
EVIDENCE_COLUMNS = (
    Column("STT", 0.07, "center"),
    Column("Tiêu chí", 0.43),
    Column("Tài liệu kiểm chứng", 0.50),
)
AREAS_IN_PORTRAIT = 4  # a ranking with more area columns is printed landscape, its first columns narrower
RANKING_WIDTHS = {False: (0.07, 0.30, 0.10, 0.11), True: (0.05, 0.24, 0.08, 0.09)}
ISSUED_ROUND = (Round.Status.FINALIZED, Round.Status.PUBLISHED)
ISSUED_UNIT = (Unit.Status.SUBMITTED, Unit.Status.APPRAISED)


# A unit's self-assessment report ------------------------------------------------------------------------


def _unit(unit: Unit) -> Unit:
    return Unit.objects.select_related(
        "round__agency__parent", "department__agency__parent", "agency__parent", "submitted_by"
    ).get(pk=unit.pk)


def _unit_name(unit: Unit) -> str:
    return unit.department.name if unit.department_id else unit.agency.short_name


def _unit_head(unit: Unit) -> str:
    return "Trưởng phòng" if unit.round.scope == Scope.DEPARTMENTS else "Thủ trưởng cơ quan"


def unit_print_problems(unit: Unit) -> list[str]:
    """What a submitted self-assessment lacks to be printed as issued; one still open prints as a
    draft and lacks nothing."""
    unit = _unit(unit)
    if unit.status not in ISSUED_UNIT:
        return []
    return missing(unit) + signer_problems(unit.submitted_by)


def _criteria(round_: Round) -> list[tuple[RoundCriterion, int]]:
    """The round's criteria in the rubric's order, each with its depth (0: an area)."""
    rows = list(round_.criteria.order_by("position", "pk"))
    children = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    ordered = []

    def walk(parent_id, depth):
        for row in children[parent_id]:
            ordered.append((row, depth))
            walk(row.pk, depth + 1)

    walk(None, 0)
    return ordered


def _self_points(criteria, scores: dict[int, Score]) -> dict[int, Decimal | None]:
    """Each criterion's self-score; a group's is the sum of its criteria's (None while none is scored)."""
    totals: dict[int, Decimal | None] = {}
    children = defaultdict(list)
    for row, _depth in criteria:
        children[row.parent_id].append(row.pk)
    for row, _depth in reversed(criteria):  # children before their parents
        if row.method == Method.GROUP:
            parts = [totals[child] for child in children[row.pk]]
            scored = [part for part in parts if part is not None]
            totals[row.pk] = sum(scored, Decimal(0)) if scored else None
        else:
            score = scores.get(row.pk)
            totals[row.pk] = score.self_points if score else None
    return totals


def _evidence_cell(score: Score | None) -> str:
    if score is None:
        return ""
    lines = []
    if score.declared and score.criterion.method != Method.MANUAL:
        lines.append(f"Kê khai: {score.declared}")
    lines.extend(evidence.original_name for evidence in score.evidence_files.all())
    if score.explanation.strip():
        lines.append(score.explanation.strip())
    return "\n".join(lines)


def _score_table(criteria, scores, points, total_max, total_points) -> Table:
    rows: list = []
    for row, depth in criteria:
        title = formatting.upper(row.title) if depth == 0 else row.title
        rows.append(
            (
                row.label,
                title,
                shown(row.max_points),
                shown(points[row.pk]),
                "" if row.method == Method.GROUP else _evidence_cell(scores.get(row.pk)),
            )
        )
    rows.append(("", "TỔNG CỘNG", shown(total_max), shown(total_points), ""))
    return Table(columns=SCORE_COLUMNS, rows=tuple(rows))


def _criterion_name(row: RoundCriterion, areas: dict[int, RoundCriterion]) -> str:
    area = areas.get(row.area_id)
    prefix = f"{area.label}.{row.label}" if area and row.label else row.label
    return f"{prefix}. {row.title}" if prefix else row.title


def _evidence_table(criteria, scores) -> Table | None:
    areas = {row.pk: row for row, depth in criteria if depth == 0}
    rows: list = []
    for row, _depth in criteria:
        score = scores.get(row.pk)
        names = [evidence.original_name for evidence in score.evidence_files.all()] if score else []
        if names:
            rows.append((str(len(rows) + 1), _criterion_name(row, areas), "\n".join(names)))
    return Table(columns=EVIDENCE_COLUMNS, rows=tuple(rows)) if rows else None


def build_unit_document(unit: Unit) -> OfficialDocument:
    """A unit's self-assessment as printed ("BÁO CÁO"): its total, band and evidence in a few lines,
    the self-scoring table and the evidence list as appendices."""
    unit = _unit(unit)
    round_ = unit.round
    criteria = _criteria(round_)
    files = Prefetch("evidence_files", queryset=ScoreEvidence.objects.order_by("uploaded_at", "pk"))
    scores = {
        score.criterion_id: score for score in unit.scores.select_related("criterion").prefetch_related(files)
    }
    points = _self_points(criteria, scores)
    areas = [row for row, depth in criteria if depth == 0]
    total = sum((points[area.pk] or Decimal(0) for area in areas), Decimal(0))
    scored = [row for row, _ in criteria if row.method != Method.GROUP]
    done = sum(1 for row in scored if points[row.pk] is not None)
    evidence_count = sum(len(score.evidence_files.all()) for score in scores.values())
    name = _unit_name(unit)
    organiser = round_.agency.short_name

    if unit.department_id:
        agency = unit.department.agency
        header_parent, header_agency = agency.short_name, unit.department.name
        code, recipients = (
            unit.department.code,
            [f"Lãnh đạo {agency.short_name}", f"Lưu: {unit.department.code}"],
        )
    else:
        agency = unit.agency
        header_parent, header_agency = parent_body(agency), agency.short_name
        code, recipients = agency.code, [organiser, "Lưu: VT"]
    draft = unit.status not in ISSUED_UNIT
    date = None if draft or unit.submitted_at is None else timezone.localdate(unit.submitted_at)
    number_line = f"Số:{BLANK}/BC-{code.replace(' ', '')}"

    body: list = [
        Paragraph(
            f"Thực hiện đợt “{round_.title}” của {organiser}, {name} báo cáo kết quả tự đánh giá, "
            f"chấm điểm công tác cải cách hành chính năm {round_.year} như sau:"
        ),
        Heading("I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", 1),
        Paragraph(
            f"Theo Bộ tiêu chí “{round_.rubric_name}” (tổng điểm tối đa {shown(round_.total_points)} điểm), "
            f"{name} tự đánh giá đạt {shown(total)} điểm, tương ứng mức xếp loại "
            f"“{band(total, round_.bands)}”."
        ),
        Paragraph(
            f"Số tiêu chí, tiêu chí thành phần đã tự chấm điểm: {done}/{len(scored)}; số tài liệu kiểm "
            f"chứng kèm theo: {evidence_count} tệp."
        ),
        Paragraph("Điểm tự đánh giá theo từng lĩnh vực:"),
    ]
    area_lines = [
        f"{area.label}. {area.title}: {shown(points[area.pk] or Decimal(0))}/{shown(area.max_points)} điểm"
        for area in areas
    ]
    body += [Paragraph(line) for line in listed(area_lines)]
    evidence_table = _evidence_table(criteria, scores)
    body.append(Heading("II. TÀI LIỆU KIỂM CHỨNG", 1))
    if evidence_table:
        body.append(
            Paragraph(
                "Bảng tự chấm điểm tại Phụ lục I và danh mục tài liệu kiểm chứng tại Phụ lục II kèm theo "
                "Báo cáo này."
            )
        )
    else:
        body.append(
            Paragraph(
                "Bảng tự chấm điểm, với lời giải trình của từng tiêu chí, tại Phụ lục kèm theo Báo cáo này."
            )
        )
    close_text(body)

    year = date.year if date else round_.self_to.year
    attached = attached_line("Báo cáo", number_line, date, year, name)
    appendices = [
        Appendix(
            label="Phụ lục I" if evidence_table else "Phụ lục",
            title=f"Bảng tự chấm điểm công tác cải cách hành chính năm {round_.year}",
            attached_to=attached,
            blocks=(_score_table(criteria, scores, points, round_.total_points, total),),
        )
    ]
    if evidence_table:
        appendices.append(
            Appendix(
                label="Phụ lục II",
                title="Danh mục tài liệu kiểm chứng",
                attached_to=attached,
                blocks=(evidence_table,),
            )
        )
    return OfficialDocument(
        parent_body=formatting.upper(header_parent),
        agency=formatting.upper(header_agency),
        number_line=number_line,
        place_name=agency.place_name,
        date=date,
        year=year,
        type_name="BÁO CÁO",
        summary=f"Kết quả tự đánh giá, chấm điểm công tác cải cách hành chính năm {round_.year}",
        legal_bases=(),
        body=tuple(body),
        signature=user_signature(unit.submitted_by, _unit_head(unit)),
        recipients=tuple(formatting.recipient_lines(recipients)),
        appendices=tuple(appendices),
        draft=draft,
        title=f"Báo cáo tự đánh giá CCHC năm {round_.year} - {name}",
    )


# The notice of the round's results ---------------------------------------------------------------------


def _last_event(round_: Round, kind: str):
    return (
        round_.events.filter(kind=kind, unit=None).select_related("actor").order_by("created_at", "pk").last()
    )


def _round_signer(round_: Round):
    finalized = _last_event(round_, "finalize")
    return finalized.actor if finalized else round_.created_by


def round_print_problems(round_: Round) -> list[str]:
    """What a finalized round's notice lacks to be printed as issued; before the results are finalized
    the notice prints as a draft ("DỰ THẢO") and lacks nothing."""
    if round_.status not in ISSUED_ROUND:
        return []
    problems = []
    if not round_.units.exists():
        problems.append("Đợt đánh giá không có đơn vị được đánh giá.")
    return problems + signer_problems(_round_signer(round_))


def _band_lines(bands, total: Decimal) -> list[str]:
    """'Xuất sắc: từ 90 điểm trở lên', 'Tốt: từ 80 đến dưới 90 điểm', …, 'Yếu: dưới 50 điểm'."""
    lines = []
    pairs = [(Decimal(str(start)), name) for start, name in bands]
    for index, (start, name) in enumerate(pairs):
        upper = pairs[index - 1][0] if index else None
        if upper is None:
            lines.append(f"{name}: từ {shown(start)} điểm trở lên (tối đa {shown(total)} điểm)")
        elif start == 0:
            lines.append(f"{name}: dưới {shown(upper)} điểm")
        else:
            lines.append(f"{name}: từ {shown(start)} đến dưới {shown(upper)} điểm")
    return lines


def build_round_document(round_: Round) -> OfficialDocument:
    """The round's results as printed ("THÔNG BÁO"): the round, its rubric, the bands and the tie rule,
    the count by band, and the ranking (scoring.ranked) as the appendix."""
    round_ = Round.objects.select_related("agency__parent", "created_by").get(pk=round_.pk)
    agency = round_.agency
    areas = list(round_.criteria.filter(parent=None).order_by("position", "pk"))
    ranking = standings(round_)
    draft = round_.status not in ISSUED_ROUND
    published = _last_event(round_, "publish") if round_.status == Round.Status.PUBLISHED else None
    date = timezone.localdate(published.created_at) if published else None
    number_line = f"Số:{BLANK}/TB-{agency.code.replace(' ', '')}"
    departments = round_.scope == Scope.DEPARTMENTS
    who = "phòng, đơn vị thuộc " + agency.short_name if departments else "cơ quan, đơn vị của tỉnh"

    cut_off = ""
    if round_.criteria.filter(method=Method.COMPUTED).exists():
        cut_off = (
            " Số liệu các tiêu chí tính từ kết quả thực hiện nhiệm vụ được tính đến "
            f"{long_date(round_.cut_off)}."
        )
    body: list = [
        Paragraph(
            f"{agency.short_name} đã tổ chức đánh giá, chấm điểm công tác cải cách hành chính năm "
            f"{round_.year} (đợt “{round_.title}”) đối với {len(ranking)} {who}. Các đơn vị tự đánh giá "
            f"từ {long_date(round_.self_from)} đến {long_date(round_.self_to)}; kết quả tự đánh giá được "
            f"thẩm định từ {long_date(round_.appraisal_from)} đến {long_date(round_.appraisal_to)}.{cut_off} "
            f"{agency.short_name} thông báo kết quả như sau:"
        ),
        Heading("I. BỘ TIÊU CHÍ ĐÁNH GIÁ", 1),
        Paragraph(
            f"Bộ tiêu chí “{round_.rubric_name}”, tổng điểm tối đa {shown(round_.total_points)} điểm, gồm "
            f"{len(areas)} lĩnh vực:"
        ),
    ]
    body += [
        Paragraph(line)
        for line in listed([f"{area.label}. {area.title}: {shown(area.max_points)} điểm" for area in areas])
    ]
    body += [
        Heading("II. XẾP LOẠI VÀ XẾP HẠNG", 1),
        Paragraph("Mức xếp loại theo tổng điểm:"),
        *(Paragraph(line) for line in listed(_band_lines(round_.bands, round_.total_points))),
        Paragraph(
            "Tổng điểm của mỗi đơn vị là điểm thẩm định, hoặc điểm tự đánh giá ở tiêu chí chưa được thẩm "
            "định; các đơn vị xếp hạng theo tổng điểm từ cao xuống thấp. " + TIE_RULE
        ),
        Heading("III. KẾT QUẢ", 1),
    ]
    counts = [
        f"{name}: {sum(1 for row in ranking if row.band == name)} đơn vị" for _start, name in round_.bands
    ]
    body.append(Paragraph(f"Kết quả xếp loại {len(ranking)} đơn vị:"))
    body += [Paragraph(line) for line in listed(counts)]
    if ranking:
        first = [row.name for row in ranking if row.rank == 1]
        body.append(Paragraph(f"Xếp thứ nhất: {', '.join(first)} với {shown(ranking[0].total)} điểm."))
    unsubmitted = set(round_.units.exclude(status__in=ISSUED_UNIT).values_list("pk", flat=True))
    if unsubmitted:
        names = [row.name for row in ranking if row.unit_id in unsubmitted]
        body.append(
            Paragraph(
                "Đơn vị chưa nộp bản tự đánh giá (điểm của các tiêu chí chưa chấm tính bằng 0): "
                f"{', '.join(names)}."
            )
        )
    body.append(
        Paragraph(
            "Điểm từng lĩnh vực, tổng điểm, xếp loại và thứ hạng của từng đơn vị tại Phụ lục kèm theo "
            "Thông báo này. Đề nghị các đơn vị căn cứ kết quả đánh giá, khắc phục những tồn tại, hạn chế "
            "trong công tác cải cách hành chính."
        )
    )
    close_text(body)

    year = date.year if date else round_.appraisal_to.year
    landscape = len(areas) > AREAS_IN_PORTRAIT
    rank, unit, total, grade = RANKING_WIDTHS[landscape]
    share = round((1 - rank - unit - total - grade) / len(areas), 4) if areas else 0
    columns = (
        Column("Hạng", rank, "center"),
        Column("Đơn vị", unit),
        Column("Tổng điểm", total, "center"),
        Column("Xếp loại", grade, "center"),
        *(Column(f"Lĩnh vực {area.label}", share, "center") for area in areas),
    )
    rows = tuple(
        (str(row.rank), row.name, shown(row.total), row.band, *(shown(points) for points in row.areas))
        for row in ranking
    )
    appendix = Appendix(
        label="Phụ lục",
        title=f"Kết quả đánh giá, chấm điểm công tác cải cách hành chính năm {round_.year}",
        attached_to=attached_line("Thông báo", number_line, date, year, agency.short_name),
        blocks=(Table(columns=columns, rows=rows),),
        landscape=landscape,
    )
    if departments:
        recipients = [f"Lãnh đạo {agency.short_name}", "Các phòng, đơn vị được đánh giá", "Lưu: VT"]
    else:
        recipients = [
            parent_body(agency) or "Cơ quan cấp trên",
            "Các cơ quan, đơn vị được đánh giá",
            "Lưu: VT",
        ]
    return OfficialDocument(
        parent_body=formatting.upper(parent_body(agency)),
        agency=formatting.upper(agency.short_name),
        number_line=number_line,
        place_name=agency.place_name,
        date=date,
        year=year,
        type_name="THÔNG BÁO",
        summary=f"Kết quả đánh giá, chấm điểm công tác cải cách hành chính năm {round_.year}",
        legal_bases=(),
        body=tuple(body),
        signature=user_signature(_round_signer(round_), "Thủ trưởng cơ quan"),
        recipients=tuple(formatting.recipient_lines(recipients)),
        appendices=(appendix,),
        draft=draft,
        title=f"Thông báo kết quả chấm điểm CCHC năm {round_.year}",
    )
