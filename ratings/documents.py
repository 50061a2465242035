"""The printed documents of a rating round (Nghị định 30/2020/NĐ-CP), described as OfficialDocuments that
cchc.printing renders to PDF, DOCX and, for their tables, XLSX:

- the summary of the round's results (Báo cáo tổng hợp), for the agency or one of its departments, with
  the list of every person's record, points and levels as its annex; a draft ("DỰ THẢO") until every
  rating it lists is decided; signed by the leader who decided (else the agency's leader);
- the decision recognising the emulation titles (Quyết định công nhận danh hiệu thi đua) with its list
  annex; a draft listing the proposed titles until the leader decides them (services.decide_titles);
- a person's rating form (Phiếu đánh giá, xếp loại chất lượng, Hải Phòng QĐ 212/2025, Phụ lục 02/03):
  the results, the self-review, the rater's comment and proposal, and the decision.
"""

from django.utils import timezone

from accounts.models import Department, Role, User
from cchc import formatting
from cchc.printing.document import (
    BLANK,
    Appendix,
    Column,
    GroupRow,
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
from ratings import services
from ratings.models import (
    COLLECTIVE_TITLES,
    LEVELS_BEST_FIRST,
    SHORT,
    Level,
    Nomination,
    Rating,
    Round,
    Scheme,
    Title,
)
from ratings.record import MEASURES
from ratings.rules import counts_of, shown, task_points

NOT_RATED = "Không xếp loại"
LEADER_POSITION = "Giám đốc"
# The titles in the decision's list: the collective ones first, then the personal ones, highest first.
TITLE_ORDER = (Title.TT_LDXS, Title.TT_LDTT, Title.CSTDCS, Title.LDTT)
DECISION_COLUMNS = (
    Column("STT", 0.08, "center"),
    Column("Họ và tên / Tập thể", 0.34),
    Column("Chức vụ", 0.22),
    Column("Đơn vị", 0.36),
)


# Shared --------------------------------------------------------------------------------------------


def _agency_leader(agency_id: int) -> User | None:
    """The agency's leader who signs when nobody has decided yet: the head (Giám đốc) first."""
    leaders = list(User.objects.filter(agency_id=agency_id, role=Role.LEADER, is_active=True).order_by("pk"))
    heads = [user for user in leaders if user.position.strip().casefold() == LEADER_POSITION.casefold()]
    return (heads or leaders or [None])[0]


def _header(agency) -> dict:
    return {
        "parent_body": formatting.upper(parent_body(agency)),
        "agency": formatting.upper(agency.short_name),
        "place_name": agency.place_name,
    }


def _symbol(kind: str, agency) -> str:
    return f"{kind}-{agency.code.replace(' ', '')}"


def _level_text(level: str) -> str:
    return SHORT[level] if level else ""


def _not_rated_reason(rating: Rating, found) -> str:
    """Why a decided rating has no level (the rules' reason, else the leader's note)."""
    return found.not_rated or rating.decision_note or ""


def _short_reason(reason: str) -> str:
    """The reason without its consequence: "Thời gian công tác trong năm 5 tháng, chưa đủ 6 tháng" of
    the rules' "…: không đánh giá, xếp loại chất lượng (…)"."""
    return reason.partition(": ")[0].strip().rstrip(".")


def _result(rating: Rating, found) -> str:
    """The decided level as the list prints it; "Không xếp loại (…)" for a person not rated."""
    if not rating.decided:
        return ""
    if rating.decided_level:
        return SHORT[rating.decided_level]
    reason = _short_reason(_not_rated_reason(rating, found))
    return f"{NOT_RATED} ({reason})" if reason else NOT_RATED


# The summary of a round ------------------------------------------------------------------------------


def _scope(round_: Round, department: int | None) -> Department | None:
    """The department a summary is printed for (its id: the print's scope, the view's ?department=), or None
    for the whole agency; only one of the round's agency."""
    if department is None:
        return None
    return Department.objects.get(pk=department, agency_id=round_.agency_id)


def _summary_ratings(round_: Round, department: Department | None) -> list[Rating]:
    ratings = round_.ratings.select_related("round", "person", "department", "decided_by")
    if department is not None:
        ratings = ratings.filter(department=department)
    return list(ratings)


def _summary_signer(round_: Round, ratings: list[Rating]) -> User | None:
    decided = [rating for rating in ratings if rating.decided and rating.decided_by_id]
    if decided:
        return max(decided, key=lambda rating: (rating.decided_at, rating.pk)).decided_by
    return _agency_leader(round_.agency_id)


def summary_print_problems(round_: Round, *, department: int | None = None) -> list[str]:
    """What a summary (of the agency, or of the department of id `department`) whose ratings are all
    decided lacks to be printed as issued; before that it prints as a draft and lacks nothing."""
    department = _scope(round_, department)
    ratings = _summary_ratings(round_, department)
    if not ratings or not all(rating.decided for rating in ratings):
        return []
    return signer_problems(_summary_signer(round_, ratings))


def _summary_columns(round_: Round, agency_wide: bool) -> tuple[Column, ...]:
    columns = [Column("STT", 0.04, "center"), Column("Họ và tên", 0.13), Column("Chức vụ", 0.09)]
    if agency_wide:
        columns.append(Column("Phòng", 0.11))
    columns += [
        Column("Nhiệm vụ được giao", 0.06, "center"),
        Column("Hoàn thành", 0.06, "center"),
        Column("Đạt yêu cầu", 0.06, "center"),
        Column("Đúng hạn", 0.06, "center"),
    ]
    if round_.points:
        columns += [
            Column("Điểm tiêu chí chung", 0.06, "center"),
            Column("Điểm kết quả nhiệm vụ", 0.06, "center"),
            Column("Tổng điểm", 0.06, "center"),
        ]
    columns += [
        Column("Tự xếp loại", 0.06, "center"),
        Column("Đề xuất", 0.06, "center"),
        Column("Kết quả xếp loại", 0.0, "center"),
    ]
    used = sum(column.width for column in columns)
    last = columns[-1]
    columns[-1] = Column(last.title, round(1 - used, 4), last.align)
    return tuple(columns)


def _summary_rows(round_: Round, ratings: list[Rating], found: dict, agency_wide: bool) -> tuple:
    rows: list = []
    department_id = None
    groups = 0
    for number, rating in enumerate(ratings, start=1):
        if rating.department_id != department_id:
            department_id = rating.department_id
            groups += 1
            rows.append(GroupRow(formatting.roman(groups), rating.department.name))
        row = [str(number), rating.person.full_name, rating.position]
        if agency_wide:
            row.append(rating.department.name)
        row += [str(rating.assigned), str(rating.completed), str(rating.met), str(rating.on_time)]
        if round_.points:
            row += [shown(rating.general_points), shown(rating.task_points), shown(rating.total_points)]
        row += [
            _level_text(rating.self_level),
            _level_text(rating.proposed_level),
            _result(rating, found[rating.pk]),
        ]
        rows.append(tuple(row))
    return tuple(rows)


def _count_lines(ratings: list[Rating], found: dict) -> list[str]:
    decided = [rating for rating in ratings if rating.decided]
    lines = []
    for level in LEVELS_BEST_FIRST:
        count = sum(1 for rating in decided if rating.decided_level == level)
        lines.append(f"{Level(level).label} ({SHORT[level]}): {count} người")
    not_rated = [rating for rating in decided if not rating.decided_level]
    line = f"{NOT_RATED}: {len(not_rated)} người"
    if not_rated:
        reasons = []
        for rating in not_rated:
            reason = _short_reason(_not_rated_reason(rating, found[rating.pk]))
            reasons.append(f"{rating.person.full_name}: {reason}" if reason else rating.person.full_name)
        line += f" ({'; '.join(reasons)})"
    lines.append(line)
    waiting = len(ratings) - len(decided)
    if waiting:
        lines.append(f"Chưa có quyết định xếp loại: {waiting} người")
    return lines


def _cap_paragraphs(round_: Round) -> list[Paragraph]:
    cap = services.cap(round_)
    text = (
        f"Tỷ lệ hoàn thành xuất sắc nhiệm vụ của {round_.agency.short_name}: {cap.htxs} người HTXS trên "
        f"{cap.htt} người HTT; tối đa {cap.percent} % số HTT ({cap.allowed} người)."
    )
    paragraphs = [Paragraph(text)]
    if cap.exceeded:
        justification = round_.cap_justification.strip()
        paragraphs.append(
            Paragraph(
                f"Số HTXS vượt tỷ lệ {cap.percent} % số HTT; lý do: {justification.rstrip('.')}."
                if justification
                else f"Số HTXS vượt tỷ lệ {cap.percent} % số HTT, chưa ghi lý do vượt tỷ lệ."
            )
        )
    return paragraphs


def build_summary_document(round_: Round, *, department: int | None = None) -> OfficialDocument:
    """The results of a round as printed ("BÁO CÁO"), for the agency or the department of id `department`
    (the print's scope): the counts by level, the cap on HTXS, and every person's line in the annex."""
    round_ = Round.objects.select_related("agency__parent").get(pk=round_.pk)
    department = _scope(round_, department)
    agency = round_.agency
    ratings = _summary_ratings(round_, department)
    found = services.suggestions(round_, ratings)
    draft = not ratings or not all(rating.decided for rating in ratings)
    signer = _summary_signer(round_, ratings)
    decided_on = [timezone.localdate(rating.decided_at) for rating in ratings if rating.decided_at]
    date = None if draft or not decided_on else max(decided_on)
    year = date.year if date else round_.year
    number_line = f"Số:{BLANK}/{_symbol('BC', agency)}"
    whose = f"{department.name}, {agency.short_name}" if department else agency.short_name
    scheme = Scheme(round_.scheme).label

    body: list = [
        Paragraph(
            f"Thực hiện việc đánh giá, xếp loại chất lượng công chức, viên chức năm {round_.year} ({scheme}; "
            f"số liệu kết quả thực hiện nhiệm vụ tính đến {formatting.long_date(round_.cut_off)}), "
            f"{agency.short_name} tổng hợp kết quả đánh giá, xếp loại của {whose} như sau:"
        ),
        Heading("I. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG", 1),
        Paragraph(f"Tổng số người được đánh giá: {len(ratings)} người, trong đó:"),
        *(Paragraph(line) for line in listed(_count_lines(ratings, found))),
        *_cap_paragraphs(round_),
        Heading("II. DANH SÁCH KẾT QUẢ", 1),
        Paragraph(
            "Kết quả thực hiện nhiệm vụ"
            + (", điểm" if round_.points else "")
            + ", mức tự xếp loại, mức đề xuất và kết quả xếp loại của từng người tại Phụ lục kèm theo "
            "Báo cáo này."
        ),
    ]
    close_text(body)
    table = Table(
        columns=_summary_columns(round_, department is None),
        rows=_summary_rows(round_, ratings, found, department is None),
    )
    appendix = Appendix(
        label="Phụ lục",
        title=f"Kết quả đánh giá, xếp loại chất lượng công chức, viên chức năm {round_.year}",
        attached_to=attached_line("Báo cáo", number_line, date, year, agency.short_name),
        blocks=(table,),
        landscape=True,
    )
    recipients = [f"Lãnh đạo {agency.short_name}"]
    recipients.append(department.name if department else "Các phòng, đơn vị")
    recipients.append("Lưu: VT")
    name = f" - {department.name}" if department else ""
    return OfficialDocument(
        **_header(agency),
        number_line=number_line,
        date=date,
        year=year,
        type_name="BÁO CÁO",
        summary=f"Tổng hợp kết quả đánh giá, xếp loại chất lượng công chức, viên chức năm {round_.year}",
        legal_bases=(),
        body=tuple(body),
        signature=user_signature(signer, LEADER_POSITION),
        recipients=tuple(formatting.recipient_lines(recipients)),
        appendices=(appendix,),
        draft=draft,
        title=f"Báo cáo kết quả xếp loại năm {round_.year}{name}",
    )


# The decision recognising the titles ------------------------------------------------------------------


def _decision_signer(round_: Round) -> User | None:
    if round_.titles_decided and round_.titles_decided_by_id:
        return round_.titles_decided_by
    return _agency_leader(round_.agency_id)


def _decision_nominations(round_: Round) -> list[Nomination]:
    nominations = round_.nominations.select_related("person", "department")
    if round_.titles_decided:
        nominations = nominations.filter(awarded=True)
    order = {title: index for index, title in enumerate(TITLE_ORDER)}
    return sorted(
        nominations,
        key=lambda row: (
            order[row.title],
            row.department.position if row.department_id else 0,
            row.department.name if row.department_id else row.person.full_name,
            row.pk,
        ),
    )


def decision_print_problems(round_: Round) -> list[str]:
    """What a decided round's decision lacks to be printed as issued; before the leader decides the
    titles it prints as a draft of the proposed ones and lacks nothing."""
    round_ = Round.objects.select_related("titles_decided_by").get(pk=round_.pk)
    if not round_.titles_decided:
        return []
    problems = []
    if not round_.nominations.filter(awarded=True).exists():
        problems.append("Quyết định không có danh hiệu nào được công nhận.")
    return problems + signer_problems(_decision_signer(round_))


def _decision_number_line(round_: Round) -> str:
    symbol = _symbol("QĐ", round_.agency)
    number = round_.decision_number.strip() if round_.titles_decided else ""
    if not number:
        return f"Số:{BLANK}/{symbol}"
    if number.isdigit() and int(number) > 0:
        return f"Số: {formatting.document_number(int(number), symbol)}"
    return f"Số: {number.replace(' ', '')}"


def _issuer(agency) -> str:
    """The authority issuing the decision: "GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ"."""
    head = "Giám đốc" if agency.short_name.casefold().startswith("sở") else "Thủ trưởng"
    return formatting.upper(f"{head} {agency.short_name}")


def _decision_people(round_: Round, nominations: list[Nomination]) -> dict[int, Rating]:
    ids = [row.person_id for row in nominations if row.person_id]
    return {
        rating.person_id: rating
        for rating in round_.ratings.filter(person_id__in=ids).select_related("department")
    }


def _decision_rows(round_: Round, nominations: list[Nomination]) -> tuple:
    people = _decision_people(round_, nominations)
    rows: list = []
    groups = 0
    title = None
    number = 0
    for nomination in nominations:
        if nomination.title != title:
            title = nomination.title
            groups += 1
            number = 0
            rows.append(GroupRow(formatting.roman(groups), f"Danh hiệu “{Title(title).label}”"))
        number += 1
        if nomination.department_id:
            rows.append((str(number), nomination.department.name, "", round_.agency.short_name))
            continue
        rating = people.get(nomination.person_id)
        person = nomination.person
        position = rating.position if rating else person.position
        unit = rating.department.name if rating else ""
        rows.append((str(number), person.full_name, position, unit))
    return tuple(rows)


def _title_lines(nominations: list[Nomination]) -> list[str]:
    lines = []
    for title in TITLE_ORDER:
        count = sum(1 for row in nominations if row.title == title)
        if count:
            who = "tập thể" if title in COLLECTIVE_TITLES else "cá nhân"
            lines.append(f"Danh hiệu “{Title(title).label}”: {count} {who}")
    return lines


def build_decision_document(round_: Round) -> OfficialDocument:
    """The decision recognising the year's emulation titles ("QUYẾT ĐỊNH"): the bases, Điều 1 with the
    titles counted and listed in the annex, Điều 2 and Điều 3; the proposed titles in a draft."""
    round_ = Round.objects.select_related("agency__parent", "titles_decided_by").get(pk=round_.pk)
    agency = round_.agency
    decided = round_.titles_decided
    nominations = _decision_nominations(round_)
    number_line = _decision_number_line(round_)
    date = round_.decision_date if decided else None
    year = date.year if date else round_.year
    bases = (
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi "
        "hành một số điều của Luật Thi đua, khen thưởng;",
        f"Căn cứ quy định về chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của {agency.short_name};",
        f"Căn cứ kết quả đánh giá, xếp loại chất lượng công chức, viên chức năm {round_.year};",
        f"Xét đề nghị của Hội đồng Thi đua - Khen thưởng {agency.short_name}.",
    )
    lines = _title_lines(nominations)
    body: list = [
        Paragraph(
            f"Công nhận danh hiệu thi đua năm {round_.year} cho các tập thể, cá nhân thuộc "
            f"{agency.short_name} (có danh sách kèm theo), gồm:",
            lead="Điều 1.",
        ),
        *(Paragraph(line) for line in listed(lines or ["Chưa có đề nghị danh hiệu"])),
        Paragraph(
            "Quyết định này có hiệu lực kể từ ngày ký. Các tập thể, cá nhân được công nhận danh hiệu thi đua "
            "tại Điều 1 được khen thưởng theo quy định của Luật Thi đua, khen thưởng và các văn bản hướng dẫn "
            "thi hành.",
            lead="Điều 2.",
        ),
        Paragraph(
            f"Chánh Văn phòng, Trưởng các phòng, đơn vị thuộc {agency.short_name} và các tập thể, cá nhân "
            "có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
            lead="Điều 3.",
        ),
    ]
    close_text(body)
    recognised = "được công nhận" if decided else "đề nghị công nhận"
    appendix = Appendix(
        label="Danh sách",
        title=f"Tập thể, cá nhân {recognised} danh hiệu thi đua năm {round_.year}",
        attached_to=attached_line("Quyết định", number_line, date, year, agency.short_name),
        blocks=(Table(columns=DECISION_COLUMNS, rows=_decision_rows(round_, nominations)),),
    )
    return OfficialDocument(
        **_header(agency),
        number_line=number_line,
        date=date,
        year=year,
        type_name="QUYẾT ĐỊNH",
        summary=f"Về việc công nhận danh hiệu thi đua năm {round_.year}",
        authority=_issuer(agency),
        legal_bases=bases,
        enacting="QUYẾT ĐỊNH:",
        body=tuple(body),
        signature=user_signature(_decision_signer(round_), LEADER_POSITION),
        recipients=tuple(formatting.recipient_lines(["Như Điều 3", "Lưu: VT, VP"])),
        appendices=(appendix,),
        draft=not decided,
        title=f"Quyết định công nhận danh hiệu thi đua năm {round_.year}",
    )


# A person's rating form ------------------------------------------------------------------------------


def _rating(rating: Rating) -> Rating:
    return Rating.objects.select_related(
        "round__agency__parent", "person", "department", "proposed_by", "decided_by"
    ).get(pk=rating.pk)


def form_print_problems(rating: Rating) -> list[str]:
    """What a decided form lacks to be printed as issued; one not yet decided prints as a draft."""
    rating = _rating(rating)
    if not rating.decided:
        return []
    return signer_problems(rating.decided_by)


def _part_row(label: str, what: str, numerator: int, assigned: int, maximum, points) -> tuple:
    return (
        label,
        f"{what}: {numerator}/{assigned} × {shown(maximum)} = {shown(points)}",
        shown(maximum),
        shown(points),
    )


def _points_table(rating: Rating) -> Table:
    round_ = rating.round
    counts = counts_of(rating)
    parts = task_points(counts, round_.quantity_max, round_.quality_max, round_.timeliness_max)
    task_label = "Kết quả thực hiện nhiệm vụ"
    if parts is None:
        task_label += " (không có nhiệm vụ được giao trên phần mềm: người đánh giá chấm điểm)"
    rows: list = [
        ("I", "Tiêu chí chung", shown(round_.general_max), shown(rating.general_points)),
        ("II", task_label, shown(round_.task_max), shown(rating.task_points)),
    ]
    if parts is not None:
        n = counts.assigned
        rows += [
            _part_row("1", MEASURES["completed"], counts.completed, n, round_.quantity_max, parts.quantity),
            _part_row("2", MEASURES["met"], counts.met, n, round_.quality_max, parts.quality),
            _part_row("3", MEASURES["on_time"], counts.on_time, n, round_.timeliness_max, parts.timeliness),
        ]
    rows.append(("", "TỔNG CỘNG", shown(round_.total_max), shown(rating.total_points)))
    columns = (
        Column("TT", 0.08, "center"),
        Column("Nội dung đánh giá", 0.62),
        Column("Điểm tối đa", 0.15, "center"),
        Column("Kết quả", 0.15, "center"),
    )
    return Table(columns=columns, rows=tuple(rows))


def _criteria_table(rating: Rating) -> Table:
    met = {True: "Đạt", False: "Không đạt", None: "—"}[rating.general_met]
    rows: list = [
        ("1", "Tiêu chí chung (chính trị tư tưởng, đạo đức, lối sống, tác phong, ý thức kỷ luật)", met)
    ]
    for index, measure in enumerate(("assigned", "completed", "met", "on_time", "early"), start=2):
        rows.append((str(index), f"Số nhiệm vụ: {MEASURES[measure].lower()}", str(getattr(rating, measure))))
    columns = (
        Column("TT", 0.08, "center"),
        Column("Nội dung đánh giá", 0.72),
        Column("Kết quả", 0.20, "center"),
    )
    return Table(columns=columns, rows=tuple(rows))


def _level_label(level: str) -> str:
    return f"{Level(level).label} ({SHORT[level]})" if level else ""


def build_form_document(rating: Rating) -> OfficialDocument:
    """A person's rating form as printed ("PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG"): who, the results (points
    with the formulas, or the counts and the general criteria), the self-review, the rater's part and the
    decision."""
    rating = _rating(rating)
    round_ = rating.round
    agency = round_.agency
    found = services.suggestion(
        rating, services.disciplined_in(round_, [rating.person_id]).get(rating.person_id)
    )
    date = timezone.localdate(rating.decided_at) if rating.decided and rating.decided_at else None
    who = "công chức, viên chức giữ chức vụ lãnh đạo, quản lý" if rating.is_head else "công chức, viên chức"
    body: list = [
        Paragraph(f"Họ và tên: {rating.person.full_name}"),
        Paragraph(f"Chức vụ, chức danh: {rating.position}"),
        Paragraph(f"Đơn vị công tác: {rating.department.name}, {agency.short_name}"),
        Heading("A. KẾT QUẢ ĐÁNH GIÁ CHẤT LƯỢNG", 1),
        Paragraph(
            f"Kết quả thực hiện nhiệm vụ tính đến {formatting.long_date(round_.cut_off)}; thời gian công tác "
            f"trong năm: {shown(rating.months_worked)} tháng."
        ),
        _points_table(rating) if round_.points else _criteria_table(rating),
    ]
    if found.not_rated:
        body.append(Paragraph(f"{NOT_RATED}: {found.not_rated}"))
    elif found.level:
        body.append(
            Paragraph(f"Mức gợi ý theo quy định: {_level_label(found.level)}. {' '.join(found.reasons)}")
        )
    body += [
        Heading("B. TỰ NHẬN XÉT, XẾP LOẠI CHẤT LƯỢNG", 1),
        Heading("1. Tự nhận xét ưu, khuyết điểm:", 2),
        Paragraph(rating.self_review or "Chưa có."),
        Heading("2. Tự xếp loại chất lượng:", 2),
        Paragraph(_level_label(rating.self_level) or "Chưa tự xếp loại."),
        Heading("C. Ý KIẾN NHẬN XÉT, ĐÁNH GIÁ CỦA NGƯỜI ĐÁNH GIÁ", 1),
        Paragraph(rating.head_comment or "Chưa có nhận xét."),
    ]
    if rating.proposed_level:
        body.append(Paragraph(f"Mức đề xuất: {_level_label(rating.proposed_level)}."))
    if rating.proposal_reason:
        body.append(Paragraph(f"Lý do đề xuất khác mức gợi ý: {rating.proposal_reason}"))
    if rating.proposed_by_id:
        body.append(Paragraph(f"Người nhận xét, đánh giá: {rating.proposed_by.full_name}."))
    body.append(Heading("D. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG (PHẦN DÀNH CHO CẤP CÓ THẨM QUYỀN)", 1))
    if not rating.decided:
        body.append(Paragraph("Chưa có quyết định xếp loại."))
    elif rating.decided_level:
        body.append(Paragraph(f"Kết quả xếp loại chất lượng: {_level_label(rating.decided_level)}."))
    else:
        reason = _not_rated_reason(rating, found)
        body.append(Paragraph(f"{NOT_RATED}{': ' + reason if reason else '.'}"))
    if rating.decided and rating.decision_note and rating.decided_level:
        body.append(Paragraph(f"Ý kiến của lãnh đạo: {rating.decision_note}"))
    close_text(body)
    signer = rating.decided_by if rating.decided else _agency_leader(agency.pk)
    return OfficialDocument(
        **_header(agency),
        number_line="",
        date=date,
        year=date.year if date else round_.year,
        type_name="PHIẾU ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG",
        summary=f"{who[0].upper()}{who[1:]} năm {round_.year}",
        legal_bases=(),
        body=tuple(body),
        signature=user_signature(signer, LEADER_POSITION),
        recipients=tuple(formatting.recipient_lines(["Người được đánh giá", "Lưu: hồ sơ cá nhân"])),
        draft=not rating.decided,
        title=f"Phiếu đánh giá, xếp loại năm {round_.year} - {rating.person.full_name}",
    )
