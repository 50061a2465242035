import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from cchc import formatting
from cchc.limits import BoundedTextForm
from plans.models import LegalDocument, Plan
from plans.services import EDITABLE_FIELDS

DATE_WIDGET_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
# The dates a person may type: a year outside them is a typing slip ("31/12/9999"), and the calendar
# arithmetic done on a date (the day after, a year before) would leave Python's range at 1 or 9999.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class VietnameseDateField(forms.DateField):
    widget = forms.DateInput(format="%d/%m/%Y", attrs=DATE_WIDGET_ATTRS)
    default_error_messages = {
        "invalid": "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/01/2019.",
        "out_of_range": f"Nhập một ngày từ năm {EARLIEST_DATE.year} đến năm {LATEST_DATE.year}.",
    }

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%d/%m/%Y"], **kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PlanForm(BoundedTextForm, forms.ModelForm):
    issued_on = VietnameseDateField(label="Ngày ban hành")

    class Meta:
        model = Plan
        fields = list(EDITABLE_FIELDS)  # the fields a clerk edits are the ones the service accepts
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "requirements": forms.Textarea(attrs={"rows": 5}),
            "arrangements": forms.Textarea(attrs={"rows": 5}),
            "recipients": forms.Textarea(attrs={"rows": 5, "placeholder": "UBND tỉnh (b/c)\nLưu: VT, VP."}),
            "addressees": forms.Textarea(attrs={"rows": 2, "placeholder": "UBND tỉnh Vĩnh Phúc"}),
        }
        help_texts = {
            "addressees": "Chỉ điền khi kế hoạch gửi cấp trên (UBND tỉnh, Sở Nội vụ…): mỗi dòng một nơi, "
            "in dưới trích yếu sau “Kính gửi:”. Để trống nếu không có.",
        }
        error_messages = {
            "number": {"required": "Nhập số của kế hoạch.", "min_value": "Số văn bản phải từ 1 trở lên."},
            "symbol": {"required": "Nhập ký hiệu, ví dụ KH-SKHĐT."},
            "place_name": {"required": "Nhập địa danh, ví dụ Vĩnh Phúc."},
            "year": {"required": "Nhập năm của kế hoạch."},
            "title": {"required": "Nhập trích yếu của kế hoạch."},
        }

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["implements"].queryset = LegalDocument.objects.filter(agency=agency)
        self.fields["implements"].empty_label = "— Không —"
        self.fields["number"].widget.attrs["min"] = 1
        self.fields["issued_on"].error_messages["required"] = "Nhập ngày ban hành theo dạng dd/mm/yyyy."
        if self.instance.pk and self.instance.is_locked:
            for name in Plan.LOCKED_WHEN_ISSUED:
                self.fields[name].disabled = True
                self.fields[name].help_text = "Đã khóa vì kế hoạch đã ban hành."
        self.helper = _no_tag_helper()

    def clean_symbol(self):
        return self.cleaned_data["symbol"].replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        number, issued_on = cleaned.get("number"), cleaned.get("issued_on")
        if number and issued_on:
            clash = (
                Plan.objects.filter(agency=self.agency, number=number, issued_on__year=issued_on.year)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None:
                self.add_error(
                    "number",
                    f"Số {formatting.document_number(number, clash.symbol)} đã được dùng cho "
                    f"kế hoạch “{clash.title}” năm {issued_on.year}. Chọn số khác.",
                )
        return cleaned


class LegalBasisForm(forms.Form):
    document = forms.ModelChoiceField(
        label="Văn bản căn cứ",
        queryset=LegalDocument.objects.none(),
        required=False,
        empty_label="— Chọn văn bản —",
    )


class BaseLegalBasisFormSet(forms.BaseFormSet):
    def __init__(self, *args, documents, **kwargs):
        self.documents = documents
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The rows show no labels (the table's headers name the columns): each control names itself.
        form.fields["document"].widget.attrs["aria-label"] = "Văn bản căn cứ"
        form.fields["ORDER"].widget.attrs.update({"min": 1, "aria-label": "Thứ tự"})
        form.fields["DELETE"].widget.attrs["aria-label"] = "Bỏ căn cứ này"

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["document"].queryset = self.documents
        return form

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.ordered_forms if self.can_order else self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            document = form.cleaned_data.get("document")
            if document is None:
                continue
            if document.pk in seen:
                raise ValidationError(f"Văn bản {document} được chọn hai lần trong danh sách căn cứ.")
            seen.add(document.pk)

    def chosen_documents(self) -> list[LegalDocument]:
        """The chosen documents in the order the clerk gave (the 'Thứ tự' column, then row order)."""
        forms_in_order = self.ordered_forms if self.can_order else self.forms
        return [
            form.cleaned_data["document"]
            for form in forms_in_order
            if form.cleaned_data.get("document") and not (self.can_delete and self._should_delete_form(form))
        ]


LegalBasisFormSet = forms.formset_factory(
    LegalBasisForm, formset=BaseLegalBasisFormSet, extra=2, can_order=True, can_delete=True, max_num=40
)


class NewLegalDocumentForm(BoundedTextForm, forms.Form):
    """A legal document added from inside the plan form; left empty, it is ignored."""

    USE_AS_BASIS = "basis"
    USE_AS_IMPLEMENTED = "implements"

    kind = forms.ChoiceField(
        label="Loại văn bản", choices=[("", "— Loại văn bản —"), *LegalDocument.Kind.choices], required=False
    )
    number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False, help_text="Ví dụ 30c/NQ-CP.")
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)
    issuer = forms.CharField(label="Cơ quan ban hành", max_length=255, required=False)
    summary = forms.CharField(label="Trích yếu", max_length=500, required=False)
    use_as = forms.ChoiceField(
        label="Dùng làm",
        choices=[
            (USE_AS_BASIS, "Căn cứ (thêm vào cuối danh sách)"),
            (USE_AS_IMPLEMENTED, "Văn bản mà kế hoạch thực hiện"),
        ],
        initial=USE_AS_BASIS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper()

    def is_filled(self) -> bool:
        return any(
            self.data.get(self.add_prefix(name), "").strip()
            for name in ("number", "issued_on", "issuer", "summary")
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_filled():
            return cleaned
        required = {
            "kind": "Chọn loại văn bản.",
            "number": "Nhập số, ký hiệu văn bản, ví dụ 30c/NQ-CP.",
            "issued_on": "Nhập ngày ban hành theo dạng dd/mm/yyyy.",
            "issuer": "Nhập cơ quan ban hành.",
        }
        for name, message in required.items():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        if cleaned.get("number"):
            cleaned["number"] = cleaned["number"].replace(" ", "")
        return cleaned

    def existing_document(self, agency) -> LegalDocument | None:
        """The agency's own document of the same number and date is reused rather than entered twice;
        another agency's never is (its issuer and summary are that agency's)."""
        return LegalDocument.objects.filter(
            agency=agency, number=self.cleaned_data["number"], issued_on=self.cleaned_data["issued_on"]
        ).first()
