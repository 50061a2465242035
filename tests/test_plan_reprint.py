"""An issued plan reprints as signed (tasks.documents, cchc.printing.snapshot), measured on the files:
the PDF's text (pdfplumber) and the DOCX's paragraphs and cells (python-docx)."""

import dataclasses
import datetime
import io
import re

import docx
import pdfplumber
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.printing import registry, snapshot
from cchc.printing.docx import render_docx
from cchc.printing.pdf import render_pdf
from plans import services as plan_services
from plans.models import Plan
from tasks import services as task_services
from tests.conftest import make_plan, make_task


def pdf_text(document) -> str:
    with pdfplumber.open(io.BytesIO(render_pdf(document))) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def docx_text(document) -> str:
    word = docx.Document(io.BytesIO(render_docx(document)))
    lines = [paragraph.text for paragraph in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def printed(plan):
    return registry.build("plan", plan.pk)


@pytest.fixture
def draft_plan(agency, legal_documents):
    return make_plan(agency, documents=legal_documents, status=Plan.Status.DRAFT)


@pytest.fixture
def issued_with_tasks(draft_plan, department, office, clerk):
    tasks = [
        make_task(
            draft_plan, department, by=clerk, number="1.1", content="Rà soát văn bản quy phạm pháp luật"
        ),
        make_task(draft_plan, office, by=clerk, number="1.2", content="Kiện toàn bộ phận một cửa"),
        make_task(draft_plan, department, by=clerk, number="1.3", content="Công bố thủ tục hành chính"),
    ]
    plan = plan_services.plan_issue(plan=draft_plan, by=clerk)
    return plan, tasks


def test_the_snapshot_round_trips_to_the_same_document(issued_with_tasks):
    plan, _ = issued_with_tasks
    document = printed(plan)
    assert snapshot.load(snapshot.dump(document)) == document
    assert snapshot.table_rows(plan.issued_snapshot) == 3


def test_cancelling_redating_and_rewording_after_issue_leave_the_reprint_as_signed(issued_with_tasks, clerk):
    plan, tasks = issued_with_tasks
    first = printed(plan)
    first_pdf, first_docx = pdf_text(first), docx_text(first)
    assert "Công bố thủ tục hành chính" in first_pdf

    task_services.task_cancel(task=tasks[2], by=clerk, reason="Không còn phù hợp")
    task_services.task_change_deadline(task=tasks[0], by=clerk, deadline_text="Quý IV/2019", reason="Lùi hạn")
    task_services.task_update(task=tasks[1], by=clerk, content="Nội dung đã sửa sau khi ban hành")

    plan.refresh_from_db()
    again = printed(plan)
    assert pdf_text(again) == first_pdf
    assert docx_text(again) == first_docx
    assert "Nội dung đã sửa" not in first_docx


def test_a_draft_prints_from_the_live_data(draft_plan, department, clerk):
    task = make_task(draft_plan, department, by=clerk, number="1.1", content="Nội dung ban đầu")
    task_services.task_update(task=task, by=clerk, content="Nội dung mới của dự thảo")
    assert "Nội dung mới của dự thảo" in docx_text(printed(draft_plan))


def test_a_plan_entered_after_signing_is_sealed_once_with_its_annex(plan, department, clerk):
    """The rule of tasks.documents: issued first (no annex in the snapshot), annex entered, sealed."""
    assert plan_services.can_seal_snapshot(plan)
    with pytest.raises(ValidationError):
        plan_services.plan_seal_snapshot(plan=plan, by=clerk)  # nothing to seal yet
    tasks = [make_task(plan, department, by=clerk, number=f"2.{n}", content=f"Nhiệm vụ {n}") for n in (1, 2)]
    # Before the seal the annex prints from the live data.
    assert "Nhiệm vụ 2" in pdf_text(printed(plan))
    plan = plan_services.plan_seal_snapshot(plan=plan, by=clerk)
    sealed = pdf_text(printed(plan))
    task_services.task_cancel(task=tasks[1], by=clerk, reason="Không còn phù hợp")
    plan.refresh_from_db()
    assert pdf_text(printed(plan)) == sealed
    assert not plan_services.can_seal_snapshot(plan)
    with pytest.raises(ValidationError):
        plan_services.plan_seal_snapshot(plan=plan, by=clerk)
    assert plan.changes.filter(action="Chốt bản đã ký").count() == 1


def test_the_seal_button_posts_once(client, plan, department, clerk):
    make_task(plan, department, by=clerk, number="1.1")
    client.force_login(clerk)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "bi-lock" in page and "Chốt bản đã ký</button>" in page
    client.post(reverse("plans:seal", args=[plan.pk]))
    plan.refresh_from_db()
    assert snapshot.table_rows(plan.issued_snapshot) == 1
    assert plan.status == Plan.Status.ISSUED
    assert (
        "Chốt bản đã ký</button>" not in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    )


def test_the_annex_line_writes_the_date_in_full_in_pdf_and_docx(issued_with_tasks):
    plan, _ = issued_with_tasks
    document = printed(plan)
    line = "(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15 tháng 01 năm 2019 của Sở Kế hoạch và Đầu tư)"
    assert line in docx_text(document)
    assert line in pdf_text(document).replace("\n", " ")


def test_a_next_year_draft_prints_one_year_in_the_date_line_and_the_annex(
    agency, legal_documents, department
):
    """A 2027 plan drafted in 2026 to be signed in January 2027: both lines say 2027."""
    plan = make_plan(
        agency, number=1, year=2027, issued_on=datetime.date(2027, 1, 10), documents=legal_documents
    )
    make_task(plan, department, number="1.1", deadline_text="Quý II/2027")
    text = pdf_text(printed(plan))
    assert re.search(r"ngày +tháng +năm 2027 của", text.replace("\n", " "))
    assert re.search(r"Vĩnh Phúc, ngày +tháng +năm 2027", text)
    assert "năm 2026" not in text


def test_a_draft_dated_for_signing_prints_that_year_in_both(agency, legal_documents, department):
    plan = make_plan(
        agency, number=1, year=2027, issued_on=datetime.date(2026, 12, 20), documents=legal_documents
    )
    make_task(plan, department, number="1.1", deadline_text="Quý II/2027")
    document = printed(plan)
    assert document.year == 2026
    assert document.appendices[0].attached_to.startswith("(Kèm theo Kế hoạch số      /KH-")
    assert "năm 2026 của" in document.appendices[0].attached_to


def test_the_addressees_reach_the_page_and_the_document(client, plan, clerk):
    plan.addressees = "- UBND tỉnh Vĩnh Phúc;\nSở Nội vụ."
    plan.save()
    assert printed(plan).addressees == ("UBND tỉnh Vĩnh Phúc", "Sở Nội vụ")
    client.force_login(clerk)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Kính gửi" in page and "Sở Nội vụ" in page
    form = client.get(reverse("plans:update", args=[plan.pk])).content.decode()
    assert 'name="addressees"' in form and "gửi cấp trên" in form


def test_the_demo_plan_14_reprints_with_the_cancelled_task_4_3(demo_plan_14):
    document = printed(demo_plan_14)
    numbers = [row[0] for row in document.appendices[0].blocks[0].rows if isinstance(row, tuple)]
    assert numbers[numbers.index("4.2") + 1] == "4.3"
    assert "Sắp xếp, kiện toàn các phòng chuyên môn" in docx_text(dataclasses.replace(document))


@pytest.fixture
def demo_plan_14(db, tmp_path):
    from demo.loading import load_demo
    from plans.reform_areas import ensure_area_sets
    from tests.conftest import demo_settings

    ensure_area_sets()
    with demo_settings(tmp_path):
        load_demo()
    plan = Plan.objects.get(agency__code="SKHĐT", number=14, issued_on__year=2019)
    assert plan.tasks.get(number="4.3").state == "cancelled"
    return plan
