"""Forms of the task lists: the plan table's filters, the clerk's bulk actions and the rollover."""

from django import forms
from django.http import QueryDict

from cchc.fields import LoadedChoiceField
from cchc.formatting import roman
from cchc.forms import compact_style
from plans.forms import DATE_WIDGET_ATTRS, VietnameseDateField
from plans.models import Plan, ReformArea
from tasks.deadlines import DeadlineError, parse_deadline
from tasks.selectors import STATUS_GROUPS, TaskFilter
from tasks.status import Status


def _area_label(area: ReformArea) -> str:
    return f"{roman(area.position + 1)}. {area.name}"


class TaskFilterForm(forms.Form):
    """The plan table's filters, sent by GET so that every filtered page has its own address."""

    q = forms.CharField(
        label="Tìm trong nội dung",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Ví dụ: cai cach thu tuc"}),
    )
    don_vi = LoadedChoiceField(label="Đơn vị chủ trì", required=False, empty_label="Tất cả đơn vị")
    tinh_trang = forms.ChoiceField(
        label="Tình trạng", required=False, choices=[("", "Mọi tình trạng"), *Status.choices, *STATUS_GROUPS]
    )
    linh_vuc = LoadedChoiceField(
        label="Lĩnh vực", required=False, empty_label="Mọi lĩnh vực", label_from=_area_label
    )
    han_trong = forms.IntegerField(
        label="Đến hạn trong (ngày)",
        required=False,
        min_value=0,
        max_value=366,
        widget=forms.NumberInput(attrs={"placeholder": "ví dụ 30"}),
        error_messages={
            "invalid": "Nhập số ngày, ví dụ 30.",
            "min_value": "Số ngày không được âm.",
            "max_value": "Nhập tối đa 366 ngày.",
        },
    )
    ngay = VietnameseDateField(label="Tình trạng tại ngày", required=False)

    def __init__(self, *args, plan: Plan, departments, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].load(departments)
        self.fields["linh_vuc"].load(areas)
        self.fields["don_vi"].error_messages["invalid_choice"] = (
            "Đơn vị này không thuộc cơ quan của kế hoạch."
        )
        self.fields["linh_vuc"].error_messages["invalid_choice"] = "Lĩnh vực này không thuộc kế hoạch."
        self.fields["tinh_trang"].error_messages["invalid_choice"] = "Tình trạng không hợp lệ."
        compact_style(self)

    def criteria(self) -> TaskFilter:
        """The valid filters; a field with an error is left out (its message shows beside it)."""
        self.is_valid()
        data = self.cleaned_data
        department, area = data.get("don_vi"), data.get("linh_vuc")
        return TaskFilter(
            text=data.get("q") or "",
            department_id=department.pk if department else None,
            status=data.get("tinh_trang") or "",
            area_id=area.pk if area else None,
            due_within=data.get("han_trong"),
        )

    def as_of(self):
        """The date the statuses are computed for, when the user gave a valid one."""
        self.is_valid()
        return self.cleaned_data.get("ngay")

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


class BulkActionForm(forms.Form):
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

    def __init__(self, *args, plan: Plan, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["department"].load(departments)
        self.fields["department"].error_messages["invalid_choice"] = (
            "Đơn vị này không thuộc cơ quan của kế hoạch."
        )
        compact_style(self)

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


class RolloverForm(forms.Form):
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
        for row in rows:
            self.fields[f"chon_{row.task.pk}"] = forms.BooleanField(
                label=f"Chuyển nhiệm vụ {row.task.number}", required=False, initial=row.preselected
            )
            self.fields[f"han_{row.task.pk}"] = forms.CharField(
                label=f"Thời hạn mới của nhiệm vụ {row.task.number}",
                required=False,
                max_length=100,
                initial=row.new_deadline,
            )
        compact_style(self)

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
