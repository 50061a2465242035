"""The plan as an official document (Kế hoạch, Mẫu 1.4 of Nghị định 30/2020/NĐ-CP) with its task appendix.

`build_live_plan_document` reads a plan in a fixed number of queries, whatever its number of tasks, and
returns the format-independent description that cchc.printing renders to PDF or DOCX.

An issued plan reprints as it was signed: `build_plan_document` (the "plan" print kind) returns the
document stored at issue in Plan.issued_snapshot (cchc.printing.snapshot), so tasks cancelled, re-dated
or re-worded afterwards do not change the reprint; a draft prints from the live data.
A plan entered after the fact (the clerk records a plan already signed: issued first, its annex imported
or typed afterwards) has a snapshot without annex rows. The rule: while an issued plan's snapshot holds
no annex row, the plan prints from the live data (the annex is still being entered), and the clerk
"chốt bản đã ký" once the annex matches the signed paper (plans.services.plan_seal_snapshot), which
retakes the snapshot; from then on — and for every plan issued with its annex — the snapshot is final.
"""

from django.db.models import Prefetch

from accounts.models import Department
from cchc import formatting
from cchc.formatting import roman
from cchc.printing import snapshot
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
from cchc.printing.signed import parent_body, signature
from plans.models import Plan
from tasks.models import Task
from tasks.outline import Group, annex_groups, coordinating_lines

TASK_COLUMNS = (
    Column("TT", 0.06, "center"),
    Column("Nội dung nhiệm vụ", 0.33),
    Column("Đơn vị chủ trì", 0.14, "center"),
    Column("Đơn vị phối hợp", 0.17, "center"),
    Column("Thời gian hoàn thành", 0.12, "center"),
    Column("Sản phẩm", 0.18),
)
# Points of a numbered item, in the order of the Vietnamese alphabet as documents letter them.
POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"


def plan_print_problems(plan: Plan) -> list[str]:
    """What an issued plan lacks to be printed as an official document; a draft lacks nothing."""
    if plan.status == Plan.Status.DRAFT:
        return []
    return plan.missing_elements(number="Kế hoạch chưa có số.", date="Kế hoạch chưa có ngày ban hành.")


def signing_year(plan: Plan) -> int:
    """The year printed in an undated draft's date line and in its annex's "Kèm theo" line: the year of
    the intended date of issue when the draft has one (a 2027 plan drafted in December 2026 and meant to
    be signed then), else the plan's own year. The header and the annex never disagree."""
    return plan.issued_on.year if plan.issued_on else plan.year


def _groups(plan: Plan) -> list[Group]:
    """The plan's tasks but the cancelled, in the groups of its annex (tasks.outline)."""
    coordinating = Prefetch(
        "coordinating_departments", queryset=Department.objects.order_by("position", "name")
    )
    tasks = (
        Task.objects.filter(plan=plan)
        .exclude(state=Task.State.CANCELLED)
        .select_related("area", "lead_department")
        .prefetch_related(coordinating)
        .order_by("sort_key")
    )
    return annex_groups(tasks, plan.sections.all())


def _duties(groups: list[Group]) -> list[tuple[str, int, list[Task]]]:
    """The headings of section II of the text and the tasks under each: "1. …" for each top group, with
    the tasks of the groups inside it, and "a) …" for each of its sub-groups (III.1), with the tasks of
    the groups inside that one."""
    duties: list[tuple[str, int, list[Task]]] = []
    top = sub = 0
    for group in groups:
        if group.depth == 0:
            top, sub = top + 1, 0
            duties.append((f"{top}. {group.title or group.section.label}", 2, list(group.tasks)))
        elif group.depth == 1 and duties:
            duties.append((f"{POINT_LETTERS[sub % len(POINT_LETTERS)]}) {group.title}", 3, list(group.tasks)))
            sub += 1
        elif duties:
            duties[-1][2].extend(group.tasks)
    return duties


def _list_lines(texts) -> list[str]:
    """'- …;' per item and '- ….' for the last, as a plan writes a list."""
    items = [text.strip().rstrip(";.,").rstrip() for text in texts if text.strip()]
    return [f"- {item}{'.' if index == len(items) - 1 else ';'}" for index, item in enumerate(items)]


def _body(plan: Plan, groups, agency_name: str) -> tuple:
    opening = f"{agency_name} ban hành Kế hoạch cải cách hành chính năm {plan.year} như sau:"
    if plan.implements_id:
        opening = f"Thực hiện {plan.implements.citation()}, {opening}"
    body: list = [Paragraph(opening)]
    sections: list[tuple[str, list]] = []

    aims = []
    if plan.purpose.strip():
        aims += [Heading("1. Mục đích", 2), Paragraph(plan.purpose.strip())]
    if plan.requirements.strip():
        number = 2 if aims else 1
        aims += [Heading(f"{number}. Yêu cầu", 2), Paragraph(plan.requirements.strip())]
    if aims:
        sections.append(("MỤC ĐÍCH, YÊU CẦU", aims))

    if groups:
        duties: list = [
            Paragraph(
                "Nội dung, đơn vị chủ trì, đơn vị phối hợp, thời gian hoàn thành và sản phẩm của từng "
                "nhiệm vụ tại Phụ lục kèm theo Kế hoạch này."
            )
        ]
        for heading, level, tasks in _duties(groups):
            duties.append(Heading(heading, level))
            duties += [Paragraph(line) for line in _list_lines(task.content for task in tasks)]
        sections.append(("NHIỆM VỤ TRỌNG TÂM", duties))

    if plan.arrangements.strip():
        sections.append(("TỔ CHỨC THỰC HIỆN", [Paragraph(plan.arrangements.strip())]))

    for index, (title, blocks) in enumerate(sections, start=1):
        body.append(Heading(f"{roman(index)}. {title}", 1))
        body += blocks
    # The text of an administrative document ends with "./." (Phụ lục III, Mẫu 1.4).
    last = body[-1]
    body[-1] = Paragraph(last.text.rstrip().rstrip(".;,") + "./.")
    return tuple(body)


def _appendix(plan: Plan, groups: list[Group], agency_name: str, draft: bool) -> Appendix:
    """The task table: the plan's groups in their written order, with their labels, a top group's title
    upper case as NĐ 30 prints sections, a sub-group's as written and lighter; for the tasks outside
    every group (an older plan's), one group per reform area numbered on from them (I, II… when the
    plan has no group). Each task as the plan names it."""
    rows: list = []
    areas = sum(1 for group in groups if group.section is not None and group.depth == 0)
    for group in groups:
        if group.section is not None:
            title = formatting.upper(group.title) if group.depth == 0 else group.title
            rows.append(GroupRow(group.section.label, title, level=group.depth))
        else:
            areas += 1
            rows.append(GroupRow(roman(areas), formatting.upper(group.title)))
        for task in group.tasks:
            rows.append(
                (
                    task.number,
                    task.content.strip(),
                    task.lead_display,
                    coordinating_lines(task),
                    task.deadline_text,
                    task.expected_output.strip(),
                )
            )
    if draft:
        reference = (
            f"số{BLANK}/{plan.symbol} {formatting.text_date(None, year=signing_year(plan), blank=BLANK)}"
        )
    else:
        reference = f"số {plan.number_symbol} {formatting.text_date(plan.issued_on)}"
    return Appendix(
        label="Phụ lục",
        title=f"DANH MỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {plan.year}",
        attached_to=f"(Kèm theo Kế hoạch {reference} của {agency_name})",
        blocks=(Table(columns=TASK_COLUMNS, rows=tuple(rows)),),
        landscape=True,
    )


def build_plan_document(plan: Plan) -> OfficialDocument:
    """The plan as printed: an issued plan as signed (its snapshot, see the module's docstring), a draft
    or an issued plan whose snapshot has no annex yet from the live data."""
    if plan.status != Plan.Status.DRAFT and snapshot.table_rows(plan.issued_snapshot or {}):
        return snapshot.load(plan.issued_snapshot)
    return build_live_plan_document(plan)


def build_live_plan_document(plan: Plan) -> OfficialDocument:
    """The plan from its data now: header, legal bases, sections I–III, signature, recipients, task
    appendix."""
    plan = (
        Plan.objects.select_related("agency__parent", "area_set", "implements")
        .prefetch_related("basis_links__document")
        .get(pk=plan.pk)
    )
    agency = plan.agency
    draft = plan.status == Plan.Status.DRAFT
    groups = _groups(plan)
    citations = [
        link.document.citation() for link in sorted(plan.basis_links.all(), key=lambda x: x.position)
    ]
    if draft:
        number_line = f"Số:{BLANK}/{plan.symbol.replace(' ', '')}"
        date = None
    else:
        number_line = formatting.number_line(plan.number, plan.symbol)
        date = plan.issued_on
    return OfficialDocument(
        parent_body=formatting.upper(parent_body(agency)),
        agency=formatting.upper(agency.short_name),
        number_line=number_line,
        place_name=plan.place_name,
        date=date,
        year=signing_year(plan),
        type_name="KẾ HOẠCH",
        summary=plan.title,
        legal_bases=tuple(formatting.legal_basis_lines(citations)),
        body=_body(plan, groups, agency.short_name),
        signature=signature(plan),
        recipients=tuple(formatting.recipient_lines(plan.recipient_list())),
        addressees=tuple(plan.addressee_list()),
        appendices=(_appendix(plan, groups, agency.short_name, draft),) if groups else (),
        draft=draft,
        title=f"Kế hoạch {plan.number_symbol}" if not draft else f"Dự thảo kế hoạch {plan.title}",
    )
