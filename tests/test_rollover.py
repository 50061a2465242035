"""Rolling a plan over to next year: chosen tasks, deadlines a year on, the new year's reform areas."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from plans.models import Plan, PlanChange, ReformArea
from tasks import services
from tasks.models import Task
from tasks.rollover import is_preselected, proposed_deadline, shift_year
from tests.conftest import client_for, make_plan, make_task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def december_2019():
    with time_machine.travel(datetime.datetime(2019, 12, 20, 10, tzinfo=HANOI), tick=False):
        yield


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Quý II/2019", "Quý II/2020"),
        ("Trước 15/3/2019", "Trước 15/3/2020"),
        ("Tháng 6/2019", "Tháng 6/2020"),
        ("6 tháng đầu năm 2019", "6 tháng đầu năm 2020"),
        ("Năm 2019", "Năm 2020"),
        ("30/11/2019", "30/11/2020"),
        ("15/3/19", "15/3/20"),
        ("Thường xuyên", "Thường xuyên"),
        ("Hàng quý", "Hàng quý"),
    ],
)
def test_deadlines_move_on_by_a_year(old, new):
    assert shift_year(old) == new


def task_of_2026(deadline_text, **fields):
    """A task of a 2026 plan, as rollover reads it (nothing saved)."""
    return Task(plan=Plan(year=2026), deadline_text=deadline_text, **fields)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Năm 2025-2030", "Năm 2025-2030"),
        ("Đến năm 2030", "Đến năm 2030"),
        ("Giai đoạn 2026–2030", "Giai đoạn 2026–2030"),
        ("Năm 2026-2027", "Năm 2026-2027"),
        ("Từ năm 2026", "Từ năm 2026"),
        ("Năm 2026 và các năm tiếp theo", "Năm 2026 và các năm tiếp theo"),
        ("Thường xuyên", "Thường xuyên"),
        ("hằng năm", "hằng năm"),
        ("trước ngày 15/11 hằng năm", "trước ngày 15/11 hằng năm"),
        ("Quý II", "Quý II"),
        ("Năm 2026", "Năm 2027"),
        ("Quý I, II/2026", "Quý I, II/2027"),
        ("trước ngày 31 tháng 12 năm 2026", "trước ngày 31 tháng 12 năm 2027"),
        ("Năm 2025-2026", "Năm 2026-2027"),
        ("Thường xuyên 2026", "Thường xuyên 2027"),
    ],
)
def test_only_deadlines_of_the_old_year_move_on(old, new):
    assert proposed_deadline(task_of_2026(old), 2027) == (new, "")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Kịp thời", "Không tự chuyển được “Kịp thời”: Không đọc được thời hạn “Kịp thời”"),
        ("", "Nhiệm vụ chưa có thời hạn. Nhập thời hạn mới."),
    ],
)
def test_an_unset_deadline_is_proposed_empty_with_the_reason(text, error):
    task = task_of_2026(text, deadline_kind=Task.Kind.UNSET, due_date=None)
    proposal, reason = proposed_deadline(task, 2027)
    assert proposal == ""
    assert reason.startswith(error) and reason.endswith("Nhập thời hạn mới.")


@pytest.mark.parametrize(
    ("kind", "state", "preselected"),
    [
        (Task.Kind.YEARLY, Task.State.COMPLETED, True),
        (Task.Kind.UNSET, Task.State.COMPLETED, False),
        (Task.Kind.UNSET, Task.State.IN_PROGRESS, True),
        (Task.Kind.ONCE, Task.State.COMPLETED, False),
    ],
)
def test_recurring_and_unfinished_tasks_carry_on_finished_ones_do_not(kind, state, preselected):
    assert is_preselected(task_of_2026("Hằng năm", deadline_kind=kind, state=state)) is preselected


@pytest.fixture
def rollover_tasks(plan, department, coordinating_department, clerk, staff, dept_head, agency):
    agency.completion_requires_evidence = False
    agency.save()
    open_once = make_task(
        plan,
        department,
        number="1",
        deadline_text="Quý II/2019",
        by=clerk,
        coordinating=[coordinating_department],
    )
    done_once = make_task(plan, department, number="2", deadline_text="Trước 15/3/2019", by=clerk)
    done_ongoing = make_task(plan, department, number="3", deadline_text="Thường xuyên", by=clerk)
    cancelled = make_task(plan, department, number="4", deadline_text="Tháng 6/2019", by=clerk)
    for task in (done_once, done_ongoing):
        report = services.progress_report(
            task=task, by=staff, percent=100, narrative="Xong", result="Kết quả"
        )
        services.progress_approve(report=report, by=dept_head)
    services.task_assign(task=open_once, by=dept_head, assignees=[staff])
    services.task_cancel(task=cancelled, by=clerk, reason="Không còn phù hợp")
    return {
        "open_once": open_once,
        "done_once": done_once,
        "done_ongoing": done_ongoing,
        "cancelled": cancelled,
    }


def rollover_url(plan):
    return reverse("tasks:rollover", args=[plan.pk])


def form_data(form, **overrides):
    """What the browser sends for the form as shown: ticked boxes and every text field."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name.startswith("chon_"):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.strftime("%d/%m/%Y")
        elif value is not None:
            data[name] = value
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_ongoing_and_unfinished_tasks_are_preselected(clerk, plan, rollover_tasks):
    form = client_for(clerk).get(rollover_url(plan)).context["form"]
    ticked = {row.task.number for row in form.rows if form[f"chon_{row.task.pk}"].value()}
    assert ticked == {"1", "3"}


def test_the_form_proposes_deadlines_a_year_later_and_a_free_number(clerk, plan, agency, rollover_tasks):
    make_plan(agency, number=1, year=2019, issued_on=datetime.date(2019, 3, 1))
    response = client_for(clerk).get(rollover_url(plan))
    form = response.context["form"]
    proposals = {row.task.number: form[f"han_{row.task.pk}"].value() for row in form.rows}
    assert proposals == {"1": "Quý II/2020", "2": "Trước 15/3/2020", "3": "Thường xuyên", "4": "Tháng 6/2020"}
    # 14 and 1 are taken in 2019, the year of today's date
    assert form["number"].value() == 15
    assert form["issued_on"].value() == datetime.date(2019, 12, 20)
    assert form["title"].value() == "Cải cách hành chính năm 2020 của Sở Kế hoạch và Đầu tư"


def test_rollover_creates_next_years_draft_with_the_chosen_tasks(
    clerk, plan, staff, rollover_tasks, legal_documents
):
    client = client_for(clerk)
    form = client.get(rollover_url(plan)).context["form"]
    done_once = rollover_tasks["done_once"]
    response = client.post(
        rollover_url(plan),
        form_data(form, number="2", issued_on="20/12/2019", **{f"chon_{done_once.pk}": "on"}),
    )
    new_plan = Plan.objects.get(year=2020)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[new_plan.pk])
    assert new_plan.status == Plan.Status.DRAFT
    assert new_plan.number_symbol == "02/KH-SKHĐT"
    assert new_plan.implements is None
    assert (new_plan.signer_name, new_plan.recipients) == (plan.signer_name, plan.recipients)
    assert [link.document for link in new_plan.basis_links.order_by("position")] == legal_documents
    tasks = {task.number: task for task in new_plan.tasks.all()}
    assert {number: task.deadline_text for number, task in tasks.items()} == {
        "1": "Quý II/2020",
        "2": "Trước 15/3/2020",
        "3": "Thường xuyên",
    }
    assert tasks["2"].due_date == datetime.date(2020, 3, 15)
    assert tasks["3"].deadline_kind == Task.Kind.ONGOING and tasks["3"].due_date == datetime.date(
        2020, 12, 31
    )
    assert all(task.state == Task.State.NOT_STARTED for task in tasks.values())
    assert list(tasks["1"].coordinating_departments.all()) == list(
        rollover_tasks["open_once"].coordinating_departments.all()
    )
    assert list(tasks["1"].assignees.all()) == [staff]
    change = new_plan.changes.get(action__startswith="Tạo từ")
    assert change.action == "Tạo từ Kế hoạch số 14/KH-SKHĐT"
    assert PlanChange.objects.filter(plan=plan, action__startswith="Chuyển sang năm 2020").exists()


def test_a_deadline_that_cannot_move_is_an_error_the_clerk_corrects(clerk, agency, department):
    leap = make_plan(
        agency, number=3, year=2020, issued_on=datetime.date(2020, 1, 10), status=Plan.Status.ISSUED
    )
    task = make_task(leap, department, number="1", deadline_text="29/2/2020")
    with time_machine.travel(datetime.datetime(2020, 12, 1, 10, tzinfo=HANOI), tick=False):
        client = client_for(clerk)  # signed in on that day: a year-old session would have expired
        response = client.get(rollover_url(leap))
        assert "Không tự chuyển được “29/2/2020”" in response.content.decode()
        form = response.context["form"]
        refused = client.post(rollover_url(leap), form_data(form, number="7"))
        assert "Nhập thời hạn mới cho nhiệm vụ này." in refused.content.decode()
        assert not Plan.objects.filter(year=2021).exists()
        client.post(rollover_url(leap), form_data(form, number="7", **{f"han_{task.pk}": "28/2/2021"}))
    assert Plan.objects.get(year=2021).tasks.get().due_date == datetime.date(2021, 2, 28)


def test_rolling_2020_into_2021_maps_nq30c_areas_to_nq76(clerk, agency, department):
    old = make_plan(
        agency, number=3, year=2020, issued_on=datetime.date(2020, 1, 10), status=Plan.Status.ISSUED
    )
    for number, position in (("1", 1), ("2", 4), ("3", 6)):
        make_task(old, department, number=number, area_position=position, deadline_text="Thường xuyên")
    with time_machine.travel(datetime.datetime(2020, 12, 1, 10, tzinfo=HANOI), tick=False):
        client = client_for(clerk)  # signed in on that day: a year-old session would have expired
        response = client.get(rollover_url(old))
        page = response.content.decode()
        assert "Nghị quyết 76/NQ-CP" in page
        assert "Cải cách chế độ công vụ" in page  # the mapping is shown before anything is written
        client.post(rollover_url(old), form_data(response.context["form"], number="9"))
    new_plan = Plan.objects.get(year=2021)
    assert new_plan.area_set.code == "NQ76"
    areas = {task.number: task.area for task in new_plan.tasks.select_related("area")}
    assert all(area.area_set_id == new_plan.area_set_id for area in areas.values())
    assert areas["1"].name == "Cải cách thể chế"  # same name
    assert areas["2"].name == "Cải cách chế độ công vụ"  # same position
    assert areas["3"].name == "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"
    assert (
        ReformArea.objects.filter(area_set=old.area_set, position=4)
        .get()
        .name.startswith("Xây dựng và nâng cao")
    )


def test_a_number_already_used_that_year_is_refused_and_the_input_kept(clerk, plan, agency, rollover_tasks):
    make_plan(
        agency, number=5, year=2020, issued_on=datetime.date(2019, 12, 1), title="Kế hoạch tuyên truyền CCHC"
    )
    client = client_for(clerk)
    form = client.get(rollover_url(plan)).context["form"]
    response = client.post(
        rollover_url(plan),
        form_data(form, number="5", issued_on="20/12/2019", title="Tiêu đề đã sửa của năm 2020"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Số 05/KH-SKHĐT đã được dùng cho kế hoạch “Kế hoạch tuyên truyền CCHC” năm 2019" in page
    assert "Tiêu đề đã sửa của năm 2020" in page
    assert Plan.objects.filter(year=2020).count() == 1
    assert not Task.objects.filter(plan__year=2020).exists()


def test_an_issue_date_far_from_the_new_year_is_refused(clerk, plan, rollover_tasks):
    client = client_for(clerk)
    form = client.get(rollover_url(plan)).context["form"]
    response = client.post(rollover_url(plan), form_data(form, issued_on="01/01/2023"))
    assert "Kế hoạch năm 2020 phải ban hành trong khoảng năm 2019–2020." in response.content.decode()
    assert not Plan.objects.filter(year=2020).exists()


def test_the_plan_page_offers_the_rollover_to_the_clerk_only(clerk, staff, plan):
    assert (
        rollover_url(plan) in client_for(clerk).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    )
    page = client_for(staff).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert rollover_url(plan) not in page
    assert reverse("tasks:plan_tasks", args=[plan.pk]) in page


def test_only_the_clerk_rolls_a_plan_over(dept_head, plan, rollover_tasks):
    response = client_for(dept_head).post(
        rollover_url(plan), {"number": "2", "issued_on": "20/12/2019", "title": "X"}
    )
    assert response.status_code == 403
    assert not Plan.objects.filter(year=2020).exists()


def test_a_multi_year_task_keeps_its_span_and_an_unset_one_waits_for_a_deadline(clerk, plan, department):
    span = make_task(plan, department, number="1", deadline_text="Giai đoạn 2019–2023")
    unset = make_task(plan, department, number="2", deadline_text="Thường xuyên")
    Task.objects.filter(pk=unset.pk).update(
        deadline_text="Kịp thời", deadline_kind=Task.Kind.UNSET, due_date=None
    )
    client = client_for(clerk)
    response = client.get(rollover_url(plan))
    form = response.context["form"]
    assert form[f"han_{span.pk}"].value() == "Giai đoạn 2019–2023"
    assert form[f"han_{unset.pk}"].value() == ""
    assert "Không tự chuyển được “Kịp thời”" in response.content.decode()
    refused = client.post(rollover_url(plan), form_data(form, number="2", issued_on="20/12/2019"))
    assert "Nhập thời hạn mới cho nhiệm vụ này." in refused.content.decode()
    client.post(
        rollover_url(plan),
        form_data(form, number="2", issued_on="20/12/2019", **{f"han_{unset.pk}": "Quý I/2020"}),
    )
    tasks = {task.number: task for task in Plan.objects.get(year=2020).tasks.all()}
    assert (tasks["1"].deadline_text, tasks["1"].due_date, tasks["1"].start_date) == (
        "Giai đoạn 2019–2023",
        datetime.date(2023, 12, 31),
        datetime.date(2019, 1, 1),
    )
    assert (tasks["2"].deadline_kind, tasks["2"].due_date) == (Task.Kind.ONCE, datetime.date(2020, 3, 31))


def test_a_plan_with_sections_rolls_over_with_its_sections_and_outside_bodies(clerk, plan, department):
    from plans import services as plan_services
    from tasks.rollover import plan_rollover

    area = plan.area_set.areas.order_by("position")[2]
    top = plan_services.section_create(plan=plan, by=clerk, label="III", title="Cải cách TTHC", area=area)
    sub = plan_services.section_create(plan=plan, by=clerk, label="III.1", title="Kiểm soát TTHC", parent=top)
    lead = plan_services.section_create(plan=plan, by=clerk, label="I", title="Chỉ đạo, điều hành")
    made = [
        services.task_create(
            plan=plan,
            by=clerk,
            number="1",
            section=section,
            content=f"Nhiệm vụ {section.label}",
            lead_department=department,
            deadline_text="Thường xuyên",
            lead_name="Bộ Nội vụ" if section == sub else "",
            outside_coordinators="Bộ Tư pháp",
        )
        for section in (top, sub, lead)
    ]
    assert made[2].area is None  # a group that is no reform area
    page = client_for(clerk).get(rollover_url(plan)).content.decode()
    assert "III.1. Kiểm soát TTHC" in page and "I. Chỉ đạo, điều hành" in page and "Bộ Nội vụ" in page
    new_plan = plan_rollover(
        plan=plan,
        by=clerk,
        number=3,
        issued_on=datetime.date(2019, 12, 20),
        title="CCHC năm 2020",
        tasks=[(task, "Thường xuyên") for task in made],
    )
    copied = {section.label: section for section in new_plan.sections.all()}
    assert copied["III.1"].parent == copied["III"] and copied["III"].area.name == area.name
    rolled = {task.section.label: task for task in new_plan.tasks.select_related("section")}
    assert set(rolled) == {"III", "III.1", "I"} and {task.number for task in rolled.values()} == {"1"}
    assert (rolled["III.1"].lead_name, rolled["III.1"].area) == ("Bộ Nội vụ", copied["III"].area)
    assert rolled["I"].area is None and rolled["I"].outside_coordinators == "Bộ Tư pháp"
