"""Text maxima: a text longer than a real document needs is refused with a Vietnamese message on the
form, which keeps what the user typed; nothing is written; the annex import refuses overlong cells."""

import datetime
import html
import importlib
import inspect
import zoneinfo

import pytest
import time_machine
from django import forms
from django.urls import reverse

from cchc.limits import LINE_TEXT_MAX, LONG_TEXT_MAX, BoundedTextForm
from reports.models import PeriodicReport
from reports.services import report_create
from tasks.models import ImportBatch, ProgressUpdate, Task
from tests.annexes import build_xlsx, group, upload
from tests.conftest import client_for
from tests.test_form_rendering import by_id, error_of, text

IN_TIME = datetime.datetime(2019, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
# The form modules of every app a person writes through.
FORM_MODULES = (
    "plans.forms",
    "tasks.forms",
    "tasks.forms_detail",
    "reports.forms",
    "evaluations.forms",
    "ratings.forms",
    "ratings.emulation_forms",
    "notifications.forms",
    "administration.forms",
    "audit.forms",
    "dashboards.forms",
    "tasks.importing.choices",
    "tasks.views.imports",
)


@pytest.fixture(autouse=True)
def _within_the_plan_year():
    with time_machine.travel(IN_TIME, tick=True):
        yield


def narrative_of(length: int) -> str:
    """A text of exactly `length` characters, with nothing at its ends a form would strip."""
    return ("Đã rà soát 12 thủ tục hành chính. " * (length // 30 + 1))[: length - 1] + "."


def report_progress(staff, task, narrative, **headers):
    return client_for(staff).post(
        reverse("tasks:progress", args=[task.pk]), {"percent": 40, "narrative": narrative}, **headers
    )


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}], ids=["without-javascript", "htmx"])
def test_a_narrative_over_the_maximum_is_refused_and_the_form_keeps_it(staff, task, headers):
    typed = narrative_of(LONG_TEXT_MAX + 1)
    response = report_progress(staff, task, typed, **headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Nội dung dài 20.001 ký tự, vượt mức tối đa 20.000 ký tự. Hãy rút gọn rồi lưu lại."
        in html.unescape(error_of(page, "id_narrative"))
    )
    assert html.unescape(text(by_id(page, "id_narrative"))).strip() == typed.strip()
    assert not ProgressUpdate.objects.exists()
    assert Task.objects.get(pk=task.pk).percent == 0


def test_a_narrative_of_the_maximum_is_accepted(staff, task):
    response = report_progress(staff, task, narrative_of(LONG_TEXT_MAX))
    assert response.status_code == 302
    assert len(ProgressUpdate.objects.get().narrative) == LONG_TEXT_MAX


def test_a_9_5_mb_narrative_is_refused_and_not_stored(staff, task):
    # Under DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB): the form refuses it, with its message.
    response = report_progress(staff, task, "x" * 9_500_000)
    assert response.status_code == 200
    assert "Nội dung dài 9.500.000 ký tự, vượt mức tối đa 20.000 ký tự" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_request_over_the_upload_limit_gets_a_vietnamese_page(staff, task, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = report_progress(staff, task, "x" * 20_000)
    assert response.status_code == 400
    page = response.content.decode()
    assert "nội dung gửi lên quá lớn" in page and "Chưa có gì được lưu." in page
    assert not ProgressUpdate.objects.exists()


def test_a_report_text_over_the_maximum_is_refused_and_kept(plan, clerk):
    report = report_create(plan=plan, by=clerk, period="half_year", year=2019)
    client = client_for(clerk)
    url = reverse("reports:update", args=[report.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    area_id = report.area_texts[0]["area_id"]
    typed = narrative_of(LONG_TEXT_MAX + 500)
    data[f"ket_qua_{area_id}"] = typed
    data["introduction"] = "Mở đầu đã sửa"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"ket_qua_{area_id}"] == [
        "Nội dung dài 20.500 ký tự, vượt mức tối đa 20.000 ký tự. Hãy rút gọn rồi lưu lại."
    ]
    page = html.unescape(response.content.decode())
    assert typed.strip() in page and "Mở đầu đã sửa" in page
    saved = PeriodicReport.objects.get(pk=report.pk)
    assert saved.area_texts == report.area_texts and saved.introduction == report.introduction


def test_a_reason_over_the_maximum_is_refused_by_a_form_that_adds_no_bound_of_its_own(task):
    from tasks.forms_detail import DeadlineForm

    form = DeadlineForm(data={"deadline_text": "Quý III/2019", "reason": "x" * 22_500}, task=task)
    assert not form.is_valid()
    assert form.errors["reason"] == [
        "Nội dung dài 22.500 ký tự, vượt mức tối đa 20.000 ký tự. Hãy rút gọn rồi lưu lại."
    ]


def _form_classes():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                yield cls


def test_every_form_with_an_unbounded_text_field_is_bounded():
    unbounded = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _form_classes()
        if not issubclass(cls, BoundedTextForm)
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []


def test_the_bounds_follow_the_widget():
    class Sample(BoundedTextForm, forms.Form):
        story = forms.CharField(widget=forms.Textarea)
        phrase = forms.CharField()
        code = forms.CharField(max_length=20)

    form = Sample()
    assert form.fields["story"].max_length == LONG_TEXT_MAX
    assert "maxlength" not in form.fields["story"].widget.attrs, "a long paste is refused, never cut"
    assert form.fields["phrase"].max_length == LINE_TEXT_MAX
    assert form.fields["code"].max_length == 20
    bound = Sample(data={"story": "a", "phrase": "b", "code": "c" * 21})
    assert bound.errors["code"] == [
        "Nội dung dài 21 ký tự, vượt mức tối đa 20 ký tự. Hãy rút gọn rồi lưu lại."
    ]


# The annex import ---------------------------------------------------------------------------------


def test_an_annex_cell_over_the_maximum_is_refused_on_its_row(plan, clerk, office):
    rows = [
        group("I", "Cải cách thể chế"),
        ("1", narrative_of(LONG_TEXT_MAX + 10), "Văn phòng Sở", "", "Quý II/2019", ""),
        ("2", "Rà soát văn bản", "Văn phòng Sở", "", "Quý III/2019", ""),
    ]
    client = client_for(clerk)
    response = client.post(
        reverse("tasks:import", args=[plan.pk]), {"file": upload("dai.xlsx", build_xlsx(rows))}
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    first = next(row for row in batch.rows if row["kind"] == "task" and row["number"] == "1")
    assert len(first["content"]) == LONG_TEXT_MAX, "the batch keeps no more than a task may hold"
    preview = client.get(reverse("tasks:import_preview", args=[plan.pk, batch.pk]))
    assert (
        "Ô Nội dung nhiệm vụ dài 20.010 ký tự, vượt mức tối đa 20.000 ký tự: rút gọn ô này trong tệp rồi tải "
        "lên lại." in preview.content.decode()
    )
    client.post(reverse("tasks:import_preview", args=[plan.pk, batch.pk]), {"action": "confirm"})
    assert not Task.objects.filter(plan=plan).exists()
