"""Forms of the task lists: the clerk's bulk actions and the rollover (the lists' filters are
tasks.filters)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.http import QueryDict

from cchc.fields import LoadedChoiceField
from cchc.limits import BoundedTextForm
from plans.forms import DATE_WIDGET_ATTRS, VietnameseDateField
from plans.models import Plan
from tasks.deadlines import DeadlineError, parse_deadline


def _helper(*columns: Column) -> FormHelper:
    """Crispy's layout of a form whose <form> tag and buttons the page's template writes: `columns`
    in one grid row."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Row(*columns, css_class="g-2"))
    return helper


def small_fields(form: forms.Form, layout: dict[str, str]) -> list[tuple[forms.BoundField, str]]:
    """The fields `layout` names, each with its grid column's classes, for a row of small controls
    (templates/tasks/_form_columns.html): Bootstrap's classes on each control, and its mark of an
    error on those with one."""
    shown = []
    for name, column in layout.items():
        field = form[name]
        kind = "form-select" if isinstance(field.field.widget, forms.Select) else "form-control"
        invalid = " is-invalid" if field.errors else ""
        field.field.widget.attrs["class"] = f"{kind} {kind}-sm{invalid}"
        shown.append((field, column))
    return shown


SECTION_INDENT = "\u00a0" * 4  # a sub-section's indent, per level, in a list of the plan's sections


def section_choice_label(section) -> str:
    """A section of the plan as a list of them shows it: its heading, indented under its parent's."""
    return f"{SECTION_INDENT * section.depth}{section.heading}"


class BulkActionForm(BoundedTextForm, forms.Form):
    """The clerk's change to the tasks ticked in the plan table; every change needs a reason."""

    CHANGE_LEAD = "chu-tri"
    MOVE_DEADLINE = "thoi-han"

    action = forms.ChoiceField(
        label="Thao tác",
        choices=[
            ("", "— Chọn thao tác —"),
            (CHANGE_LEAD, "Đổi đơn vị chủ trì"),
            (MOVE_DEADLINE, "Dời thời hạn"),
        ],
        error_messages={"required": "Chọn thao tác: đổi đơn vị chủ trì hoặc dời thời hạn."},
    )
    department = LoadedChoiceField(label="Đơn vị chủ trì mới", required=False, empty_label="— Chọn đơn vị —")
    deadline_text = forms.CharField(
        label="Thời hạn mới",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Quý III/2019"}),
    )
    reason = forms.CharField(
        label="Lý do",
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": "Bắt buộc, ví dụ: theo chỉ đạo của Giám đốc Sở"}),
        error_messages={"required": "Nhập lý do thay đổi."},
    )
    filters = forms.CharField(required=False, widget=forms.HiddenInput)

    # The fields shown (the page writes the hidden filters), each with its grid column's classes.
    layout = {
        "action": "col-12 col-sm-6 col-lg-2",
        "department": "col-12 col-sm-6 col-lg-3",
        "deadline_text": "col-12 col-sm-6 col-lg-3",
        "reason": "col-12 col-lg-4",
    }

    def __init__(self, *args, plan: Plan, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["department"].load(departments)
        self.fields["department"].error_messages["invalid_choice"] = (
            "Đơn vị này không thuộc cơ quan của kế hoạch."
        )

    def columns(self) -> list[tuple[forms.BoundField, str]]:
        return small_fields(self, self.layout)

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == self.CHANGE_LEAD and not cleaned.get("department"):
            self.add_error("department", "Chọn đơn vị chủ trì mới.")
        if action == self.MOVE_DEADLINE:
            text = (cleaned.get("deadline_text") or "").strip()
            if not text:
                self.add_error("deadline_text", "Nhập thời hạn mới, ví dụ Quý III/2019.")
            else:
                try:
                    parse_deadline(text, year=self.plan.year)
                except DeadlineError as error:
                    self.add_error("deadline_text", str(error))
        return cleaned

    def filter_query(self) -> str:
        """The table's filters the clerk came from, re-encoded so that only a query string goes back."""
        return QueryDict(self.data.get("filters", "")).urlencode()


class RolloverForm(BoundedTextForm, forms.Form):
    """Next year's draft plan: its number and date, and for each task whether to carry it and its new deadline."""

    number = forms.IntegerField(
        label="Số kế hoạch mới",
        min_value=1,
        error_messages={
            "required": "Nhập số của kế hoạch mới.",
            "min_value": "Số văn bản phải từ 1 trở lên.",
        },
    )
    issued_on = VietnameseDateField(label="Ngày ban hành (dự kiến)")
    title = forms.CharField(
        label="Trích yếu",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nhập trích yếu của kế hoạch mới."},
    )

    def __init__(self, *args, plan: Plan, rows, **kwargs):
        """`rows` are tasks.rollover.Candidate: each task with its proposed deadline and preselection."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.new_year = plan.year + 1
        self.rows = rows
        self.fields["number"].widget.attrs["min"] = 1
        self.fields["issued_on"].error_messages["required"] = "Nhập ngày ban hành theo dạng dd/mm/yyyy."
        self.fields["issued_on"].widget.attrs.update(DATE_WIDGET_ATTRS)
        self.fields["number"].help_text = f"Ký hiệu: {plan.symbol}"
        self.fields["issued_on"].help_text = f"dd/mm/yyyy · năm kế hoạch {self.new_year}"
        self.helper = _helper(
            Column("number", css_class="col-6 col-md-2"),
            Column("issued_on", css_class="col-6 col-md-3"),
            Column("title", css_class="col-12 col-md-7"),
        )
        # The task fields sit in the cells of the table of tasks, each a bare widget.
        for row in rows:
            self.fields[f"chon_{row.task.pk}"] = forms.BooleanField(
                label=f"Chuyển nhiệm vụ {row.task.number}",
                required=False,
                initial=row.preselected,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.fields[f"han_{row.task.pk}"] = forms.CharField(
                label=f"Thời hạn mới của nhiệm vụ {row.task.number}",
                required=False,
                max_length=100,
                initial=row.new_deadline,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def task_fields(self):
        """(candidate, checkbox, deadline input) per task, in the plan's order, for the template."""
        return [(row, self[f"chon_{row.task.pk}"], self[f"han_{row.task.pk}"]) for row in self.rows]

    def clean(self):
        cleaned = super().clean()
        number, issued_on = cleaned.get("number"), cleaned.get("issued_on")
        if issued_on and abs(issued_on.year - self.new_year) > 1:
            self.add_error(
                "issued_on",
                f"Kế hoạch năm {self.new_year} phải ban hành trong khoảng năm {self.new_year - 1}–{self.new_year}.",
            )
        if number and issued_on:
            # The same rule as plans.forms.PlanForm.clean: a number once per agency and issuing year.
            clash = Plan.objects.filter(
                agency_id=self.plan.agency_id, number=number, issued_on__year=issued_on.year
            ).first()
            if clash is not None:
                self.add_error(
                    "number",
                    f"Số {clash.number_symbol} đã được dùng cho kế hoạch “{clash.title}” năm {issued_on.year}. Chọn số khác.",
                )
        for row in self.rows:
            if not cleaned.get(f"chon_{row.task.pk}"):
                continue
            name = f"han_{row.task.pk}"
            text = (cleaned.get(name) or "").strip()
            if not text:
                self.add_error(name, "Nhập thời hạn mới cho nhiệm vụ này.")
                continue
            try:
                parse_deadline(text, year=self.new_year)
            except DeadlineError as error:
                self.add_error(name, str(error))
        return cleaned

    def chosen(self) -> list[tuple]:
        """(task, new deadline text) for every ticked task, in the plan's order."""
        return [
            (row.task, self.cleaned_data[f"han_{row.task.pk}"].strip())
            for row in self.rows
            if self.cleaned_data.get(f"chon_{row.task.pk}")
        ]
