"""The Django admin: models with a history are read-only there (the services write them with their
record and the caches' versions); reference data stays editable, and a saved department or reform area
shows on the cached pages at once."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, Department
from cchc.models import CalendarDay
from plans import services as plan_services
from plans.models import LegalDocument, ReformArea
from reports.services import report_create, report_update
from tasks import services
from tasks.models import ImportBatch, Task
from tests.conftest import client_for
from tests.test_dashboard import no_evidence_rule, seeded  # noqa: F401 — fixtures
from tests.test_figures_cache import context, figures_part, table_part  # noqa: F401 — fixtures

D = datetime.date


@pytest.fixture
def history(plan, task, clerk, leader, coordinator, pending_report):
    """One row of every model with a history, as the services write them: (admin URL name, row)."""
    plan_services.plan_update(plan=plan, by=clerk, purpose="Mục đích đã sửa")
    contribution = services.contribution_add(
        task=task, by=coordinator, department=coordinator.department, note="Đã gửi số liệu"
    )
    direction = services.direction_add(task=task, by=leader, text="Hoàn thành trước ngày 30")
    batch = ImportBatch.objects.create(plan=plan, uploaded_by=clerk, original_name="phu-luc.xlsx")
    report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    report_update(report=report, by=clerk, proposals="Đề nghị bổ sung biên chế.")
    return {
        "plans_plan": plan,
        "plans_planlegalbasis": plan.basis_links.first(),
        "plans_planchange": plan.changes.first(),
        "tasks_task": task,
        "tasks_taskdeadline": task.deadlines.first(),
        "tasks_progressupdate": pending_report,
        "tasks_evidence": pending_report.evidence.first(),
        "tasks_contribution": contribution,
        "tasks_direction": direction,
        "tasks_taskevent": task.events.first(),
        "tasks_importbatch": batch,
        "reports_periodicreport": report,
        "reports_periodicreportchange": report.changes.first(),
    }


HISTORY_MODELS = [
    "plans_plan",
    "plans_planlegalbasis",
    "plans_planchange",
    "tasks_task",
    "tasks_taskdeadline",
    "tasks_progressupdate",
    "tasks_evidence",
    "tasks_contribution",
    "tasks_direction",
    "tasks_taskevent",
    "tasks_importbatch",
    "reports_periodicreport",
    "reports_periodicreportchange",
]


@pytest.mark.parametrize("model", HISTORY_MODELS)
def test_an_admin_lists_searches_and_opens_every_history_model(admin_user, history, model):
    client = client_for(admin_user)
    row = history[model]
    listing = client.get(reverse(f"admin:{model}_changelist"))
    assert listing.status_code == 200
    assert reverse(f"admin:{model}_change", args=[row.pk]) in listing.content.decode()
    assert client.get(reverse(f"admin:{model}_changelist"), {"q": "không có gì như thế"}).status_code == 200
    page = client.get(reverse(f"admin:{model}_change", args=[row.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # shown, not offered for editing


@pytest.mark.parametrize("model", HISTORY_MODELS)
def test_an_admin_can_neither_add_change_nor_delete_a_history_row(admin_user, history, model):
    client = client_for(admin_user)
    row = history[model]
    before = type(row).objects.filter(pk=row.pk).values().get()
    count = type(row).objects.count()
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
    assert client.post(reverse(f"admin:{model}_add"), {"_save": "Lưu"}).status_code == 403
    assert client.post(reverse(f"admin:{model}_change", args=[row.pk]), {"_save": "Lưu"}).status_code == 403
    assert client.post(reverse(f"admin:{model}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)  # the action is not offered: nothing is deleted
    assert type(row).objects.count() == count
    assert type(row).objects.filter(pk=row.pk).values().get() == before


# Reference data stays editable ------------------------------------------------------------------


def test_an_admin_edits_the_reference_data(admin_user, agency, department, plan):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:accounts_department_change", args=[department.pk]),
        {"agency": agency.pk, "name": "Phòng Đăng ký doanh nghiệp", "code": department.code, "position": 2},
    )
    assert response.status_code == 302
    assert Department.objects.get(pk=department.pk).name == "Phòng Đăng ký doanh nghiệp"

    area = ReformArea.objects.filter(area_set=plan.area_set).first()
    response = client.post(
        reverse("admin:plans_reformarea_change", args=[area.pk]),
        {"area_set": area.area_set_id, "position": area.position, "name": "Cải cách thể chế, pháp chế"},
    )
    assert response.status_code == 302
    assert ReformArea.objects.get(pk=area.pk).name == "Cải cách thể chế, pháp chế"

    response = client.post(
        reverse("admin:plans_legaldocument_add"),
        {
            "agency": agency.pk,
            "kind": "decision",
            "number": "15/QĐ-UBND",
            "issued_on": "02/01/2019",
            "issuer": "UBND tỉnh",
        },
    )
    assert response.status_code == 302
    assert LegalDocument.objects.filter(number="15/QĐ-UBND", agency=agency).exists()

    response = client.post(
        reverse("admin:cchc_calendarday_add"),
        {"date": "02/01/2019", "kind": CalendarDay._meta.get_field("kind").choices[0][0], "note": "Nghỉ bù"},
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date=D(2019, 1, 2)).exists()


def data_version(agency) -> int:
    return Agency.objects.values_list("data_version", flat=True).get(pk=agency.pk)


def test_departments_saved_or_deleted_in_the_admin_count_their_agency(admin_user, agency, other_agency):
    client = client_for(admin_user)
    version, other = data_version(agency), data_version(other_agency)
    response = client.post(
        reverse("admin:accounts_department_add"),
        {"agency": agency.pk, "name": "Phòng Thanh tra", "code": "TTr", "position": 5},
    )
    assert response.status_code == 302
    added = Department.objects.get(agency=agency, code="TTr")
    assert data_version(agency) == version + 1
    assert (
        client.post(reverse("admin:accounts_department_delete", args=[added.pk]), {"post": "yes"}).status_code
        == 302
    )
    assert not Department.objects.filter(pk=added.pk).exists()
    assert (data_version(agency), data_version(other_agency)) == (version + 2, other)


def test_a_department_renamed_on_its_agencys_page_counts_the_agency(admin_user, agency, office, department):
    client = client_for(admin_user)
    url = reverse("admin:accounts_agency_change", args=[agency.pk])
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "code": agency.code,
        "parent_body": agency.parent_body,
        "place_name": agency.place_name,
        "completion_requires_evidence": "on",
        "parent": agency.parent_id,
        "departments-TOTAL_FORMS": "2",
        "departments-INITIAL_FORMS": "2",
        "departments-MIN_NUM_FORMS": "0",
        "departments-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate([office, department]):
        data |= {
            f"departments-{index}-id": row.pk,
            f"departments-{index}-agency": agency.pk,
            f"departments-{index}-position": row.position,
            f"departments-{index}-code": row.code,
            f"departments-{index}-name": row.name,
        }
    data["departments-1-name"] = "Phòng Đăng ký doanh nghiệp"
    version = data_version(agency)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Department.objects.get(pk=department.pk).name == "Phòng Đăng ký doanh nghiệp"
    assert data_version(agency) > version


# A saved department or area shows on the cached pages at once ----------------------------------------


def admin_rename_department(admin_user, department, name):
    response = client_for(admin_user).post(
        reverse("admin:accounts_department_change", args=[department.pk]),
        {
            "agency": department.agency_id,
            "name": name,
            "code": department.code,
            "position": department.position,
        },
    )
    assert response.status_code == 302


def admin_rename_area(admin_user, area, name):
    response = client_for(admin_user).post(
        reverse("admin:plans_reformarea_change", args=[area.pk]),
        {"area_set": area.area_set_id, "position": area.position, "name": name},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("page", ["table", "dashboard"])
@pytest.mark.parametrize("edit", ["department", "area"])
def test_a_name_saved_in_the_admin_shows_on_the_cached_pages_at_once(context, admin_user, page, edit):  # noqa: F811
    if page == "table":
        client = client_for(context["clerk"])
        url = reverse("tasks:plan_tasks", args=[context["plan"].pk])
        part = table_part
    else:
        client = client_for(context["leader"])
        url = reverse("dashboards:plan", args=[context["plan"].pk])
        part = figures_part
    name = (
        "Phòng Đăng ký doanh nghiệp và Hỗ trợ đầu tư"
        if edit == "department"
        else "Cải cách thể chế, pháp chế"
    )
    # The clock stands still: only the saved name may tell the pages apart.
    with time_machine.travel(timezone.now(), tick=False):
        before = part(client, url)
        assert part(client, url) == before  # now served from the cache
        assert name not in before
        if edit == "department":
            admin_rename_department(admin_user, context["department"], name)
        else:
            area = Task.objects.get(pk=context["tasks"][1].pk).area
            admin_rename_area(admin_user, area, name)
        after = part(client, url)
        assert name in after
        cache.clear()
        assert after == part(client, url)
