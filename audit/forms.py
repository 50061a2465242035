"""The change log's filters, read from the query string: a value it cannot use (a person or a department
of another agency, a malformed date) is left out with a Vietnamese message beside its field, and the
other filters still apply."""

from django import forms

from accounts.models import Agency, Department, User
from audit.log import Criteria
from audit.sources import Subject
from plans.forms import VietnameseDateField
from tasks.forms import small_fields


class LogFilterForm(forms.Form):
    since = VietnameseDateField(label="Từ ngày", required=False)
    until = VietnameseDateField(label="Đến ngày", required=False)
    actor = forms.TypedChoiceField(
        label="Người thực hiện",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Người này không thuộc cơ quan."},
    )
    subject = forms.ChoiceField(
        label="Loại đối tượng",
        required=False,
        choices=[("", "Mọi loại"), *Subject.choices],
        error_messages={"invalid_choice": "Không có loại đối tượng này."},
    )
    department = forms.TypedChoiceField(
        label="Phòng, đơn vị",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Phòng, đơn vị này không thuộc cơ quan."},
    )
    q = forms.CharField(
        label="Tìm",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Nội dung, lý do"}),
        error_messages={"max_length": "Nội dung tìm dài tối đa %(limit_value)d ký tự."},
    )

    layout = {
        "since": "col-6 col-md-3 col-xl-2",
        "until": "col-6 col-md-3 col-xl-2",
        "actor": "col-12 col-md-6 col-xl-2",
        "subject": "col-12 col-md-4 col-xl-2",
        "department": "col-12 col-md-4 col-xl-2",
        "q": "col-12 col-md-4 col-xl-2",
    }

    def __init__(self, data, *, agency: Agency):
        super().__init__(data)
        people = User.objects.filter(agency=agency).order_by("full_name", "username")
        self.fields["actor"].choices = [("", "Mọi người"), *((p.pk, str(p)) for p in people)]
        departments = Department.objects.filter(agency=agency).order_by("position", "name")
        self.fields["department"].choices = [
            ("", "Mọi phòng, đơn vị"),
            *((d.pk, d.name) for d in departments),
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "“Đến ngày” phải trùng hoặc sau “Từ ngày”.")
        return cleaned

    def columns(self):
        return small_fields(self, self.layout)

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def criteria(self) -> Criteria:
        """The valid values: a field with an error is left out, the others apply."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return Criteria(
            since=values.get("since"),
            until=values.get("until"),
            actor_id=values.get("actor"),
            subject=values.get("subject") or "",
            department_id=values.get("department"),
            text=(values.get("q") or "").strip(),
        )

    def described(self) -> str:
        """The filters in words, for the export's title row: "từ ngày 01/03/2026; người thực hiện: …"."""
        criteria = self.criteria()
        parts = []
        if criteria.since:
            parts.append(f"từ ngày {criteria.since:%d/%m/%Y}")
        if criteria.until:
            parts.append(f"đến ngày {criteria.until:%d/%m/%Y}")
        for name, value in (
            ("actor", criteria.actor_id),
            ("subject", criteria.subject),
            ("department", criteria.department_id),
        ):
            if value:
                label = dict(self.fields[name].choices).get(value, value)
                parts.append(f"{self.fields[name].label.lower()}: {label}")
        if criteria.text:
            parts.append(f"tìm “{criteria.text}”")
        return "; ".join(parts)
