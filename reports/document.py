"""The periodic report as an official document (Báo cáo, Nghị định 30/2020/NĐ-CP), printed from its
snapshot and texts."""

import datetime

from cchc import formatting
from cchc.formatting import roman
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
from dashboards.figures import Figures
from reports.models import PeriodicReport
from reports.snapshot import SnapshotView, read_snapshot, result_shown


def report_print_problems(report: PeriodicReport) -> list[str]:
    """What an issued report lacks to be printed as an official document (empty for a draft, which
    prints with blanks and the "DỰ THẢO" mark)."""
    if report.status != PeriodicReport.Status.ISSUED:
        return []
    return missing_for_issue(report)


def missing_for_issue(report: PeriodicReport) -> list[str]:
    """What the report lacks to be issued, one sentence per item."""
    problems = report.missing_elements(number="Chưa có số báo cáo.", date="Chưa có ngày ban hành.")
    if not report.snapshot:
        problems.append("Chưa có số liệu của kỳ báo cáo.")
    return problems


def _count_words(figures: Figures) -> str:
    n = formatting.vn_number
    return (
        f"đã hoàn thành {n(figures.done)} nhiệm vụ (đúng hạn {n(figures.done_on_time)}, quá hạn "
        f"{n(figures.done_late)}); chưa hoàn thành, trong hạn {n(figures.open_on_time)} nhiệm vụ; chưa hoàn "
        f"thành, quá hạn {n(figures.open_overdue)} nhiệm vụ; chưa triển khai {n(figures.not_started)} nhiệm vụ"
    )


def _rate_words(figures: Figures) -> str:
    if figures.completion_rate is None:
        return "Chưa có nhiệm vụ đến hạn."
    return (
        f"Tỷ lệ hoàn thành trên số nhiệm vụ đã đến hạn ({formatting.vn_number(figures.come_due)} nhiệm vụ): "
        f"{formatting.vn_number(figures.completion_rate, 2)}%; tỷ lệ quá hạn: "
        f"{formatting.vn_number(figures.overdue_rate, 2)}%."
    )


def figures_sentences(figures: Figures, as_of: datetime.date) -> str:
    """The headline figures in words, as the report's first item states them."""
    cancelled = (
        f" (không kể {formatting.vn_number(figures.cancelled)} nhiệm vụ đã hủy)" if figures.cancelled else ""
    )
    unset = (
        f" Có {formatting.vn_number(figures.no_deadline)} nhiệm vụ chưa hoàn thành chưa xác định thời hạn."
        if figures.no_deadline
        else ""
    )
    return (
        f"Tổng số nhiệm vụ theo kế hoạch: {formatting.vn_number(figures.total)} nhiệm vụ{cancelled}. "
        f"Đến {formatting.text_date(as_of)}: {_count_words(figures)}.{unset}\n{_rate_words(figures)}"
    )


def _area_sentence(figures: Figures) -> str:
    if not figures.total:
        return "Lĩnh vực này không có nhiệm vụ trong kế hoạch."
    return f"Lĩnh vực có {formatting.vn_number(figures.total)} nhiệm vụ: {_count_words(figures)}."


FIGURE_COLUMNS = (
    Column("TT", 0.06, "center"),
    Column("Lĩnh vực", 0.30),
    Column("Tổng số", 0.09, "center"),
    Column("Hoàn thành đúng hạn", 0.11, "center"),
    Column("Hoàn thành quá hạn", 0.11, "center"),
    Column("Chưa hoàn thành, trong hạn", 0.11, "center"),
    Column("Chưa hoàn thành, quá hạn", 0.11, "center"),
    Column("Chưa triển khai", 0.11, "center"),
)


def _figure_cells(figures: Figures) -> tuple[str, ...]:
    n = formatting.vn_number
    return (
        n(figures.total),
        n(figures.done_on_time),
        n(figures.done_late),
        n(figures.open_on_time),
        n(figures.open_overdue),
        n(figures.not_started),
    )


def _figures_table(view: SnapshotView) -> Table:
    rows = [
        (roman(index), area["name"], *_figure_cells(area["figures"]))
        for index, area in enumerate(view.areas, start=1)
    ]
    rows.append(("", "Tổng cộng", *_figure_cells(view.figures)))
    return Table(columns=FIGURE_COLUMNS, rows=tuple(rows))


ANNEX_COLUMNS = (
    Column("TT", 0.08, "center"),  # "VII.7.3" on one line
    Column("Nội dung nhiệm vụ", 0.30),
    Column("Đơn vị chủ trì", 0.14),
    Column("Thời hạn", 0.10, "center"),
    Column("Tình trạng", 0.12, "center"),
    Column("Kết quả", 0.26),
)


def _text_blocks(text: str, empty: str = "Không có.") -> list[Paragraph]:
    text = text.strip()
    return [Paragraph(text if text else empty)]


# The sentence of section I.1 that sends the reader to the task annex, as the plan's body does.
ANNEX_REFERENCE = "Tình hình thực hiện, kết quả của từng nhiệm vụ chi tiết tại Phụ lục kèm theo Báo cáo này."


def _closed(blocks: list) -> list:
    """The text of an administrative document ends with "./." (Phụ lục III, Mẫu 1.4): on the last
    paragraph, once, whatever punctuation the clerk typed."""
    last = blocks[-1]
    text = last.text.rstrip()
    if not text.endswith("./."):
        text = text.rstrip(".;,:").rstrip() + "./."
    blocks[-1] = Paragraph(text, last.lead)
    return blocks


def build_report_document(report: PeriodicReport) -> OfficialDocument:
    """The report as printed (Mẫu 1.4, "BÁO CÁO"), from its stored texts and snapshot only."""
    view = read_snapshot(report)
    header = report.snapshot.get("header", {}) if report.snapshot else {}
    agency_name = header.get("agency") or report.agency.short_name
    parent = header["parent_body"] if "parent_body" in header else parent_body(report.agency)
    texts = {entry["area_id"]: entry for entry in report.area_texts}

    body: list = []
    if report.introduction.strip():
        body.append(Paragraph(report.introduction.strip()))
    body.append(Heading("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", 1))
    body.append(Heading("1. Tình hình thực hiện các nhiệm vụ của kế hoạch", 2))
    if view is not None:
        body.append(Paragraph(figures_sentences(view.figures, view.as_of)))
        body.append(_figures_table(view))
        if view.task_count:
            body.append(Paragraph(ANNEX_REFERENCE))
        areas = view.areas
    else:
        areas = [
            {"area_id": entry["area_id"], "name": entry["name"], "figures": None}
            for entry in report.area_texts
        ]
    for index, area in enumerate(areas, start=2):
        entry = texts.get(area["area_id"], {})
        body.append(Heading(f"{index}. {area['name']}", 2))
        if area["figures"] is not None:
            body.append(Paragraph(_area_sentence(area["figures"])))
        body.append(Heading("a) Kết quả đạt được", 3))
        body.extend(
            _text_blocks(entry.get("results", ""), "Trong kỳ không có nhiệm vụ được báo cáo kết quả.")
        )
        body.append(Heading("b) Tồn tại, hạn chế", 3))
        body.extend(_text_blocks(entry.get("shortcomings", "")))
    body.append(Heading("II. KHÓ KHĂN, VƯỚNG MẮC", 1))
    body.extend(_text_blocks(report.difficulties))
    body.append(Heading("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1))
    body.extend(_text_blocks(report.next_tasks))
    body.append(Heading("IV. ĐỀ XUẤT, KIẾN NGHỊ", 1))
    body.extend(_text_blocks(report.proposals))
    _closed(body)

    attached_date = formatting.text_date(report.issued_on, year=report.ends_on.year, blank=BLANK)
    annex_rows: list = []
    if view is not None:
        for index, area in enumerate(view.areas, start=1):
            if not area["tasks"]:
                continue
            annex_rows.append(GroupRow(roman(index), formatting.upper(area["name"])))
            annex_rows.extend(
                (
                    row["number"],
                    row["content"],
                    row["lead"],
                    row["deadline"],
                    row["status_label"],
                    result_shown(row),
                )
                for row in area["tasks"]
            )
    appendix = Appendix(
        label="Phụ lục",
        title=formatting.upper(f"Tình hình thực hiện nhiệm vụ cải cách hành chính {report.period_label}"),
        attached_to=f"(Kèm theo Báo cáo số {report.number_symbol} {attached_date} của {agency_name})",
        blocks=(Table(columns=ANNEX_COLUMNS, rows=tuple(annex_rows)),),
        landscape=True,
    )
    return OfficialDocument(
        parent_body=formatting.upper(parent),
        agency=formatting.upper(agency_name),
        number_line=f"Số: {report.number_symbol}",
        place_name=report.place_name,
        date=report.issued_on,
        year=report.issued_on.year if report.issued_on else report.ends_on.year,
        type_name="BÁO CÁO",
        summary=f"Kết quả thực hiện công tác cải cách hành chính {report.period_label}",
        legal_bases=(),
        addressees=tuple(report.addressee_list()),
        body=tuple(body),
        signature=signature(report),
        recipients=tuple(formatting.recipient_lines(report.recipient_list())),
        appendices=(appendix,),
        draft=report.status == PeriodicReport.Status.DRAFT,
        title=f"Báo cáo {report.number_symbol.strip()}"
        if report.number
        else f"Báo cáo {report.period_label}",
    )
