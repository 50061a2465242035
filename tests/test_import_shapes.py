"""Importing annexes in the shapes real plans publish them (tests/annex_shapes.py): nested groups,
numbers restarting in every group, ministries and "Các địa phương" as leads, no time column, NFD text,
and importing the same file again."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Department
from plans.models import PlanSection
from tasks import importing, jobs
from tasks.models import BodyName, ImportBatch, Task
from tests.annex_shapes import (
    AGENCY_DEPARTMENTS,
    AGENCY_EXPECTED,
    GOVERNMENT_EXPECTED,
    MIXED_KMH_EXPECTED,
    NO_TIME_COLUMN_EXPECTED,
    agency_annex,
    government_annex,
    mixed_kmh_docx,
    nfd_copy,
    no_time_column_annex,
)
from tests.conftest import client_for

KINDS = ["docx", "xlsx"]


@pytest.fixture
def departments(agency, office, department, coordinating_department):
    made = {
        "Văn phòng Sở": office,
        "Phòng Đăng ký kinh doanh": department,
        coordinating_department.name: coordinating_department,
    }
    for position, (code, name) in enumerate(AGENCY_DEPARTMENTS, start=10):
        if name not in made:
            made[name] = Department.objects.create(agency=agency, code=code, name=name, position=position)
    return made


def prepare(plan, clerk, content, name):
    return importing.import_prepare(plan=plan, by=clerk, upload=SimpleUploadedFile(name, content))


def imported(plan, clerk, content, name, *, follow_up=None, **choices):
    """Upload, choose as the clerk would on the preview page and confirm: the counts."""
    batch = prepare(plan, clerk, content, name)
    importing.import_choose(
        batch=batch,
        names={},
        follow_ups={},
        areas={},
        default_follow_up=str(follow_up.pk) if follow_up else None,
        **choices,
    )
    return importing.import_confirm(batch=batch, by=clerk)


@pytest.mark.parametrize("kind", KINDS)
def test_a_government_annex_reads_its_groups_and_sub_groups_as_written(plan, clerk, departments, kind):
    batch = prepare(plan, clerk, government_annex(kind), f"qd.{kind}")
    preview = importing.build_preview(batch)
    groups = [row for row in preview.group_rows if not row.implicit]
    read = {data["section"]: data for data in batch.rows if data["kind"] == "group"}
    parents = {
        data["label"]: read[data["parent"]]["label"] if data["parent"] is not None else None
        for data in read.values()
        if not data["implicit"]
    }
    assert [(row.label, row.title) for row in groups] == [
        (section.label, section.title) for section in GOVERNMENT_EXPECTED.sections
    ]
    assert parents == {section.label: section.parent for section in GOVERNMENT_EXPECTED.sections}
    assert [row.depth for row in groups if row.label.startswith("III")] == [0, 1, 2, 2, 2, 1]

    tasks = preview.task_rows
    assert len(tasks) == GOVERNMENT_EXPECTED.task_count == 75
    assert [(groups_label(preview, row), row.number) for row in tasks] == [
        (task.section, task.number) for task in GOVERNMENT_EXPECTED.tasks
    ]
    assert [row.content for row in tasks] == [task.content for task in GOVERNMENT_EXPECTED.tasks]
    # No false duplicates: numbers restart in every group and sub-group.
    assert not any("trùng" in error for row in tasks for error in row.errors)


def groups_label(preview, row) -> str:
    return next(group.label for group in preview.group_rows if group.section == row.section)


@pytest.mark.parametrize("kind", KINDS)
def test_ministries_and_localities_lead_by_their_names_followed_up_by_a_department(
    plan, clerk, departments, kind
):
    batch = prepare(plan, clerk, government_annex(kind), f"qd.{kind}")
    names = {entry["name"]: entry for entry in batch.department_names}
    # One body however its letters are cased; never a guess that a ministry is a department.
    keys = [entry["key"] for entry in batch.department_names]
    assert len(keys) == len(set(keys))
    science = [entry for entry in batch.department_names if entry["key"] == "bộ khoa học và công nghệ"]
    assert len(science) == 1
    for name in ("Văn phòng Chính phủ", "Các địa phương", "Bộ Nội vụ", "Bộ Tư pháp"):
        assert names[name]["meaning"] == BodyName.Meaning.OUTSIDE, name
        assert names[name]["suggestion"] is None, name

    preview = importing.build_preview(batch)
    assert {row.status for row in preview.task_rows} == {"error"}  # every lead waits for its follow-up
    office = departments["Văn phòng Sở"]
    counts = imported(plan, clerk, government_annex(kind), f"qd.{kind}", follow_up=office)
    assert counts == {"created": 75, "updated": 0, "unchanged": 0}
    task = Task.objects.get(section__label="II", number="6")
    assert (task.lead_name, task.lead_department) == ("Bộ Khoa học và Công nghệ", office)
    assert task.outside_coordinator_names == ["Bộ Công an", "Bộ Tư pháp"]
    assert Task.objects.filter(plan=plan, search_text__contains="bo khoa hoc va cong nghe").count() >= 2

    # The same file again, or its NFD copy: nothing new, nothing changed — the choices are remembered.
    for content in (government_annex(kind), nfd_copy(government_annex(kind), kind)):
        again = prepare(plan, clerk, content, f"qd.{kind}")
        preview = importing.build_preview(again)
        assert preview.counts == {"new": 0, "update": 0, "same": 75, "error": 0}
        assert preview.new_sections == 0
    assert PlanSection.objects.filter(plan=plan).count() == len(GOVERNMENT_EXPECTED.sections)


def test_sections_keep_the_written_order_and_tasks_sort_within_them(plan, clerk, departments):
    imported(plan, clerk, government_annex("xlsx"), "qd.xlsx", follow_up=departments["Văn phòng Sở"])
    labels = list(plan.sections.order_by("sort_key").values_list("label", flat=True))
    assert labels == [section.label for section in GOVERNMENT_EXPECTED.sections]
    ordered = list(plan.tasks.order_by("sort_key").values_list("section__label", "number"))
    assert ordered == [(task.section, task.number) for task in GOVERNMENT_EXPECTED.tasks]
    sub = PlanSection.objects.get(plan=plan, label="III.1.2")
    assert (sub.parent.label, sub.parent.parent.label, sub.depth) == ("III.1", "III", 2)


def test_deadline_phrases_that_name_no_date_import_without_a_due_date(plan, clerk, departments):
    imported(plan, clerk, government_annex("docx"), "qd.docx", follow_up=departments["Văn phòng Sở"])
    vague = Task.objects.get(section__label="II", number="8")
    assert (vague.deadline_text, vague.due_date, vague.deadline_kind) == ("Kịp thời", None, Task.Kind.UNSET)
    empty = [task for task in GOVERNMENT_EXPECTED.tasks if not task.deadline]
    assert len(empty) == 2
    for task in empty:
        stored = Task.objects.get(section__label=task.section, number=task.number)
        assert (stored.deadline_text, stored.due_date) == ("", None)


@pytest.mark.parametrize("kind", KINDS)
def test_an_agency_annex_maps_loosely_written_departments_and_keeps_outside_bodies(
    plan, clerk, departments, kind
):
    batch = prepare(plan, clerk, agency_annex(kind), f"so.{kind}")
    preview = importing.build_preview(batch)
    assert len(preview.task_rows) == AGENCY_EXPECTED.task_count
    for row, task in zip(preview.task_rows, AGENCY_EXPECTED.tasks, strict=True):
        if task.lead_department:
            assert (row.lead.name, row.outside_lead) == (task.lead_department, ""), task.lead
        else:
            assert row.outside_lead == task.lead


@pytest.mark.parametrize("kind", KINDS)
def test_an_annex_without_a_time_column_assumes_the_end_of_the_plan_year(plan, clerk, departments, kind):
    batch = prepare(plan, clerk, no_time_column_annex(kind), f"kh144.{kind}")
    preview = importing.build_preview(batch)
    assert len(preview.task_rows) == NO_TIME_COLUMN_EXPECTED.task_count
    assert {(row.deadline, row.due) for row in preview.task_rows} == {
        ("Năm 2019", datetime.date(2019, 12, 31))
    }
    assert all("giả định" in row.warnings[0] for row in preview.task_rows)
    assert [row.label for row in preview.group_rows if not row.implicit] == ["I", "II"]


def test_the_task_table_is_found_after_a_layout_table_and_merged_leads_are_read_down(
    plan, clerk, departments
):
    batch = prepare(plan, clerk, mixed_kmh_docx(), "kh.docx")
    preview = importing.build_preview(batch)
    assert [row.number for row in preview.task_rows] == [task.number for task in MIXED_KMH_EXPECTED.tasks]
    leads = [row.lead_name for row in preview.task_rows]
    assert leads == [task.lead for task in MIXED_KMH_EXPECTED.tasks]


def test_the_choices_of_names_are_remembered_for_the_next_import(plan, clerk, departments):
    office, planning = departments["Văn phòng Sở"], departments["Phòng Tổng hợp, Quy hoạch"]
    batch = prepare(plan, clerk, government_annex("xlsx"), "qd.xlsx")
    index = next(i for i, entry in enumerate(batch.department_names) if entry["name"] == "Bộ Tư pháp")
    importing.import_choose(
        batch=batch,
        names={},
        follow_ups={index: str(planning.pk)},
        areas={},
        default_follow_up=str(office.pk),
    )
    importing.import_confirm(batch=batch, by=clerk)
    assert BodyName.objects.get(agency=plan.agency, key="bộ tư pháp").department == planning
    assert Task.objects.filter(lead_name="Bộ Tư pháp").exclude(lead_department=planning).count() == 0

    again = prepare(plan, clerk, government_annex("xlsx"), "qd.xlsx")
    entry = next(entry for entry in again.department_names if entry["name"] == "Bộ Tư pháp")
    assert (entry["how"], entry["follow_up"]) == ("remembered", planning.pk)


def test_a_large_confirmation_runs_as_a_job_and_shows_its_progress(
    plan, clerk, departments, settings, monkeypatch
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker beside this test: the job runs in-process
    monkeypatch.setattr(importing, "JOB_ROWS", 10)
    seen = []
    real = importing.batch.import_confirm

    def watching(**kwargs):
        progress = kwargs["progress"]
        kwargs["progress"] = lambda done, total: (seen.append((done, total)), progress(done, total))
        return real(**kwargs)

    monkeypatch.setattr(importing.batch, "import_confirm", watching)
    monkeypatch.setattr(importing.batch, "CHUNK", 25)
    client = client_for(clerk)
    batch = prepare(plan, clerk, government_annex("xlsx"), "qd.xlsx")
    url = reverse("tasks:import_preview", args=[plan.pk, batch.pk])
    response = client.post(url, {"action": "confirm", "default_follow_up": departments["Văn phòng Sở"].pk})
    assert response.status_code == 302 and response["Location"] == url
    assert seen == [(25, 75), (50, 75), (75, 75)]
    assert Task.objects.filter(plan=plan).count() == 75
    page = client.get(url, follow=True)
    assert "75 nhiệm vụ mới" in page.content.decode()


def test_the_running_page_shows_the_rows_written_so_far(plan, clerk, departments):
    batch = prepare(plan, clerk, government_annex("xlsx"), "qd.xlsx")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    importing.batch.cache.set(importing.batch.progress_key(batch.pk), {"done": 50, "total": 75})
    page = client_for(clerk).get(reverse("tasks:import_preview", args=[plan.pk, batch.pk])).content.decode()
    assert "Đã ghi 50 / 75 dòng nhiệm vụ." in page
    assert 'http-equiv="refresh"' in page


def test_a_job_that_cannot_reach_its_broker_runs_in_the_request(plan, clerk, departments, monkeypatch):
    monkeypatch.setattr(importing, "JOB_ROWS", 10)

    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs.confirm_import, "delay", unreachable)
    batch = prepare(plan, clerk, government_annex("docx"), "qd.docx")
    importing.import_choose(
        batch=batch, names={}, follow_ups={}, areas={}, default_follow_up=str(departments["Văn phòng Sở"].pk)
    )
    assert jobs.start_import_job(batch=batch, by=clerk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE
    assert Task.objects.filter(plan=plan).count() == 75
    assert not jobs.start_import_job(batch=batch, by=clerk)  # claimed once only


def test_a_failing_job_puts_the_batch_back_to_its_preview_with_the_reason(
    plan, clerk, departments, monkeypatch
):
    batch = prepare(plan, clerk, government_annex("docx"), "qd.docx")  # follow-ups not chosen: errors
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    importing.batch.run_import_job(batch_pk=batch.pk, by=clerk)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert batch.result["error"].startswith("Còn ")
    assert not Task.objects.exists()
    page = client_for(clerk).get(reverse("tasks:import_preview", args=[plan.pk, batch.pk])).content.decode()
    assert "Chưa nhập được: Còn " in page


def test_measure_update_times_a_re_import_of_every_row_and_leaves_the_plan_as_it_was(
    plan, clerk, departments
):
    timings = importing.measure_update(plan, clerk, rows=30)
    assert set(timings) == {"parse", "preview", "confirm", "total"}
    assert not Task.objects.filter(plan=plan).exists()


def test_a_re_import_that_differs_only_in_the_case_of_body_names_changes_nothing(plan, clerk, departments):
    from tests.annexes import build_xlsx, group

    def annex(lead, coordinating):
        return build_xlsx(
            [
                group("I", "Cải cách thể chế"),
                ("1", "Rà soát văn bản", lead, coordinating, "Năm 2025-2030", ""),
            ]
        )

    imported(
        plan,
        clerk,
        annex("Bộ Nội vụ", "Bộ Tư pháp; Văn phòng Sở"),
        "a.xlsx",
        follow_up=departments["Văn phòng Sở"],
    )
    again = prepare(plan, clerk, annex("BỘ NỘI VỤ", "bộ tư pháp;  VĂN PHÒNG SỞ"), "b.xlsx")
    row = importing.build_preview(again).task_rows[0]
    assert (row.status, row.changes) == ("same", [])
    assert Task.objects.get().lead_name == "Bộ Nội vụ"  # kept as first written


def test_an_admin_corrects_a_remembered_name(plan, clerk, departments, admin_user, other_agency):
    foreign = Department.objects.create(agency=other_agency, code="X", name="Phòng X", position=99)
    body = BodyName.objects.create(
        agency=plan.agency,
        key="bộ tư pháp",
        name="Bộ Tư pháp",
        meaning="outside",
        department=departments["Văn phòng Sở"],
    )
    client = client_for(admin_user)
    url = reverse("admin:tasks_bodyname_change", args=[body.pk])
    form = {"agency": plan.agency.pk, "name": "Bộ  Tư pháp.", "meaning": "department", "department": ""}
    response = client.post(url, form)
    assert "Chọn đơn vị mà tên này chỉ." in response.content.decode()
    form["department"] = foreign.pk
    assert "Đơn vị phải thuộc cơ quan của tên này." in client.post(url, form).content.decode()
    form["department"] = departments["Phòng Tổng hợp, Quy hoạch"].pk
    assert client.post(url, form).status_code == 302
    body.refresh_from_db()
    assert (body.key, body.meaning) == ("bộ tư pháp", "department")


def test_the_upload_page_lists_an_import_still_running(plan, clerk, departments):
    batch = prepare(plan, clerk, government_annex("xlsx"), "qd.xlsx")
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    page = client_for(clerk).get(reverse("tasks:import", args=[plan.pk])).content.decode()
    assert "qd.xlsx</a> (đang nhập)" in page
