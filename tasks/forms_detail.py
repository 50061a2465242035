"""Forms of the task page and the clerk's task editing."""

import datetime

from crispy_forms.bootstrap import FieldWithButtons, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.db.models import Q

from accounts.models import Department, Role, User
from cchc.fields import LoadedChoiceField
from cchc.limits import BoundedTextForm
from plans import reference
from plans.forms import VietnameseDateField
from plans.models import ReformArea
from tasks.deadlines import DeadlineError, parse_deadline
from tasks.forms import section_choice_label
from tasks.models import Task
from tasks.status import Status, days_overdue, status_from_columns


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the form validates each file's type and size in the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ProgressForm(BoundedTextForm, forms.Form):
    percent = forms.IntegerField(
        label="Tiến độ (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Nhập tiến độ từ 0 đến 100.",
            "min_value": "Tiến độ phải từ 0 đến 100%%.",  # %% because Django formats these with the limit
            "max_value": "Tiến độ phải từ 0 đến 100%%.",
            "invalid": "Tiến độ là một số từ 0 đến 100.",
        },
    )
    narrative = forms.CharField(
        label="Nội dung báo cáo",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Nhập nội dung báo cáo."},
    )
    result = forms.CharField(
        label="Kết quả, sản phẩm (bắt buộc khi báo cáo hoàn thành 100%)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    confirm_decrease = forms.BooleanField(label="Tôi xác nhận giảm tiến độ", required=False)
    decrease_reason = forms.CharField(
        label="Lý do giảm tiến độ",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    delay_cause = forms.CharField(
        label="Nguyên nhân chậm",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    files = MultipleFileField(
        label="Tài liệu kiểm chứng",
        required=False,
        help_text="pdf, doc, docx, xls, xlsx, odt, ods, jpg, png; có thể chọn nhiều tệp.",
    )

    def __init__(self, *args, task: Task, today: datetime.date, **kwargs):
        """`task`: the task reported on, whose recorded percent a lower one must be confirmed against
        with a reason; overdue on `today`, the report needs the cause of the delay."""
        kwargs.setdefault("initial", {"percent": task.percent})
        super().__init__(*args, **kwargs)
        self.current = task.percent
        self.due_on = task.due_date
        self.overdue = status_from_columns(task, today) == Status.OPEN_OVERDUE
        self.days_overdue = days_overdue(task.due_date, today) if self.overdue else 0
        self.fields["percent"].widget.attrs["data-current-percent"] = str(self.current)
        layout = ["percent", "narrative", "result"]
        if self.current > 0:
            self.fields[
                "confirm_decrease"
            ].label = f"Tôi xác nhận giảm tiến độ so với lần trước ({self.current}%)"
            self.fields[
                "decrease_reason"
            ].help_text = f"Chỉ cần khi tiến độ báo cáo thấp hơn {self.current}% đã ghi nhận."
            layout.append(
                Div(
                    "confirm_decrease",
                    "decrease_reason",
                    css_class="border-start border-3 border-warning ps-3 mb-3",
                    data_decrease_block=str(self.current),
                )
            )
        else:
            del self.fields["confirm_decrease"], self.fields["decrease_reason"]
        if self.overdue:
            self.fields["delay_cause"].required = True
            self.fields["delay_cause"].error_messages["required"] = (
                "Nhiệm vụ đã quá hạn: nhập nguyên nhân chậm."
            )
            self.fields["delay_cause"].label = "Nguyên nhân chậm (bắt buộc)"
            self.fields["delay_cause"].help_text = (
                f"Nhiệm vụ đã quá hạn {self.days_overdue} ngày (hạn {self.due_on:%d/%m/%Y}): "
                "nêu nguyên nhân chưa hoàn thành đúng hạn."
            )
            layout.append("delay_cause")
        else:
            del self.fields["delay_cause"]
        layout.append("files")
        self.helper = _helper()
        self.helper.layout = Layout(*layout)

    @property
    def lowering(self) -> bool:
        percent = self.cleaned_data.get("percent") if hasattr(self, "cleaned_data") else None
        return percent is not None and percent < self.current

    def clean(self):
        cleaned = super().clean()
        percent = cleaned.get("percent")
        if percent is not None and percent < self.current:
            words = f"Tiến độ giảm từ {self.current}% xuống {percent}%"
            if not (cleaned.get("decrease_reason") or "").strip():
                self.add_error("decrease_reason", f"{words}: nhập lý do giảm tiến độ.")
            if not cleaned.get("confirm_decrease"):
                self.add_error("confirm_decrease", f"{words}: đánh dấu ô xác nhận giảm tiến độ.")
        return cleaned

    def report_fields(self) -> dict:
        """The keyword arguments of tasks.services.progress_report."""
        data = self.cleaned_data
        return {
            "percent": data["percent"],
            "narrative": data["narrative"],
            "result": data.get("result", ""),
            "files": data.get("files", []),
            "decrease_reason": data.get("decrease_reason", "") if self.lowering else "",
            "delay_cause": data.get("delay_cause", ""),
        }


class ContributionForm(BoundedTextForm, forms.Form):
    note = forms.CharField(
        label="Nội dung phối hợp",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Nhập nội dung phối hợp."},
    )
    files = MultipleFileField(label="Tài liệu kèm theo", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DirectionForm(BoundedTextForm, forms.Form):
    text = forms.CharField(
        label="Ý kiến chỉ đạo",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Nhập ý kiến chỉ đạo."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DirectionReplyForm(BoundedTextForm, forms.Form):
    text = forms.CharField(
        label="Kết quả thực hiện ý kiến chỉ đạo",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nhập kết quả thực hiện ý kiến chỉ đạo."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class AssignForm(BoundedTextForm, forms.Form):
    assignees = forms.ModelMultipleChoiceField(
        label="Người thực hiện",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = User.objects.filter(
            department_id=task.lead_department_id, is_active=True, role__in=[Role.STAFF, Role.DEPT_HEAD]
        ).order_by("full_name")
        self.fields["assignees"].error_messages["invalid_choice"] = (
            "Người được chọn không thuộc đơn vị chủ trì."
        )
        self.helper = _helper()


class ReturnForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nhập lý do trả lại để người báo cáo biết cần bổ sung gì."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # On the task page: one line beside its button, the label read out but not shown.
        self.helper = _helper()
        self.helper.label_class = "visually-hidden"
        self.helper.layout = Layout(
            FieldWithButtons(
                Field("reason", rows=1, placeholder="Lý do trả lại (bắt buộc)"),
                StrictButton("Trả lại", type="submit", css_class="btn-outline-danger"),
            )
        )


class ReasonForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Nhập lý do thay đổi."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DeadlineForm(ReasonForm):
    deadline_text = forms.CharField(
        label="Thời hạn mới",
        max_length=100,
        help_text="Ghi như trong kế hoạch: Quý III/2019, Tháng 9/2019, Trước 15/9/2019, 30/9/2019, Thường xuyên…",
        error_messages={"required": "Nhập thời hạn mới."},
    )

    field_order = ["deadline_text", "reason"]

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task

    def clean_deadline_text(self):
        text = self.cleaned_data["deadline_text"]
        try:
            deadline = parse_deadline(text, year=self.task.plan.year)
        except DeadlineError as error:
            raise forms.ValidationError(str(error)) from error
        if (deadline.text, deadline.due_date) == (self.task.deadline_text, self.task.due_date):
            raise forms.ValidationError("Thời hạn mới trùng với thời hạn hiện tại.")
        return text


class LeadForm(ReasonForm):
    department = forms.ModelChoiceField(label="Đơn vị chủ trì mới", queryset=Department.objects.none())

    field_order = ["department", "reason"]

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.open()
            .filter(agency_id=task.plan.agency_id)
            .exclude(pk=task.lead_department_id)
        )
        self.fields["department"].error_messages = {
            "required": "Chọn đơn vị chủ trì mới.",
            "invalid_choice": "Đơn vị được chọn không thuộc cơ quan.",
        }


class TaskForm(BoundedTextForm, forms.ModelForm):
    """A task of the plan as the clerk writes it. In a plan whose annex has sections, the task sits in
    one of them (its reform area is then the section's); in one without, it is given its area."""

    start_date = VietnameseDateField(label="Ngày bắt đầu", required=False)
    section = LoadedChoiceField(
        label="Mục",
        empty_label="— Chọn mục của kế hoạch —",
        label_from=section_choice_label,
        error_messages={
            "required": "Chọn mục của kế hoạch chứa nhiệm vụ.",
            "invalid_choice": "Mục này không thuộc kế hoạch.",
        },
    )

    class Meta:
        model = Task
        fields = [
            "section",
            "number",
            "area",
            "content",
            "details",
            "lead_department",
            "lead_name",
            "coordinating_departments",
            "outside_coordinators",
            "start_date",
            "deadline_text",
            "expected_output",
            "notes",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "details": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "coordinating_departments": forms.CheckboxSelectMultiple,
            "outside_coordinators": forms.TextInput(attrs={"placeholder": "Ví dụ: Bộ Công an; Bộ Tài chính"}),
        }
        labels = {
            "lead_name": "Cơ quan chủ trì ngoài cơ quan",
            "outside_coordinators": "Cơ quan phối hợp ngoài cơ quan",
        }
        help_texts = {
            "lead_name": (
                "Như trong kế hoạch, ví dụ Bộ Nội vụ, Các địa phương; khi đó đơn vị chủ trì ở trên là "
                "đơn vị theo dõi, đôn đốc và báo cáo nhiệm vụ."
            ),
            "outside_coordinators": "Như trong kế hoạch, cách nhau bằng dấu chấm phẩy.",
        }
        error_messages = {
            "number": {"required": "Nhập số thứ tự của nhiệm vụ, ví dụ 1 hoặc 2.3."},
            "content": {"required": "Nhập nội dung nhiệm vụ."},
            "area": {"required": "Chọn lĩnh vực."},
            "lead_department": {"required": "Chọn đơn vị chủ trì."},
            "deadline_text": {"required": "Nhập thời hạn, ví dụ Quý II/2019."},
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.sections = reference.plan_sections(plan)
        if self.sections:  # the area is the section's
            self.fields["section"].load(self.sections)
            del self.fields["area"]
        else:
            del self.fields["section"]
            self.fields["area"].queryset = ReformArea.objects.filter(area_set_id=plan.area_set_id)
            self.fields["area"].required = True
        departments = Department.objects.filter(agency_id=plan.agency_id)
        self.fields["lead_department"].queryset = departments
        # A closed department is offered no more, but stays where an existing task already names it.
        kept = Q(pk__in=self.instance.coordinating_departments.all()) if self.instance.pk else Q(pk=None)
        self.fields["coordinating_departments"].queryset = departments.filter(
            Q(closed_at__isnull=True) | kept
        )
        if not self.instance.pk:
            self.fields["lead_department"].queryset = departments.open()
        self.fields["coordinating_departments"].required = False
        if self.instance.pk:
            # Deadline and lead department change with a reason, through their own forms.
            for name in ("deadline_text", "lead_department"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Thay đổi bằng nút riêng trên trang nhiệm vụ (cần nêu lý do)."
        else:
            self.fields["deadline_text"].required = True  # a task created by hand has a readable deadline
            self.fields["deadline_text"].help_text = (
                "Ghi như trong kế hoạch: Quý II/2019, Tháng 6/2019, Trước ngày 15/3/2019, Năm 2025-2030, "
                "Trước ngày 15/11 hằng năm, Thường xuyên…"
            )
        self.helper = _helper()

    def clean_number(self):
        return self.cleaned_data["number"].strip()

    def _check_number(self, number: str, section) -> None:
        """A number once in each section of the plan (in a plan without sections, once in the plan): the
        constraints task_number_unique_in_section and task_number_unique_in_plan, said beside the field."""
        others = Task.objects.filter(plan=self.plan, number=number).exclude(pk=self.instance.pk)
        if section is not None:
            if others.filter(section=section).exists():
                self.add_error("number", "Mục này đã có nhiệm vụ mang số thứ tự này.")
        elif others.filter(section__isnull=True).exists():
            self.add_error("number", f"Kế hoạch đã có nhiệm vụ số {number}.")

    def clean_deadline_text(self):
        text = self.cleaned_data["deadline_text"]
        if self.instance.pk:
            return text
        try:
            parse_deadline(text, year=self.plan.year)
        except DeadlineError as error:
            raise forms.ValidationError(str(error)) from error
        return text

    def clean(self):
        cleaned = super().clean()
        lead, coordinating = cleaned.get("lead_department"), cleaned.get("coordinating_departments")
        if lead is not None and coordinating and lead in coordinating:
            self.add_error("coordinating_departments", "Đơn vị chủ trì không đồng thời là đơn vị phối hợp.")
        number = cleaned.get("number")
        if number and (cleaned.get("section") or not self.sections):
            self._check_number(number, cleaned.get("section"))
        return cleaned

    def validate_unique(self):
        """Uniqueness of the number is checked in clean, with the plan the form does not show."""
