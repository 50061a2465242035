from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator

from accounts.access import administered_agencies
from accounts.models import Agency, Department, Role, User
from administration.services import AGENCY_VALUES, agency_roles
from cchc.limits import BoundedTextForm

FOREIGN_DEPARTMENT = "Phòng, đơn vị được chọn không thuộc cơ quan hoặc đã ngừng hoạt động."
ACTIVE_CHOICES = [("", "Tất cả"), ("1", "Đang hoạt động"), ("0", "Đã khóa")]


def _helper(label: str, *, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("submit", label))
    return helper


def _open_departments(agency_id: int):
    return Department.objects.open().filter(agency_id=agency_id).order_by("position", "name")


class UserFilterForm(forms.Form):
    department = forms.ModelChoiceField(
        label="Phòng, đơn vị", queryset=Department.objects.none(), required=False, empty_label="Tất cả"
    )
    role = forms.ChoiceField(label="Vai trò", choices=[("", "Tất cả"), *Role.choices], required=False)
    active = forms.ChoiceField(label="Tình trạng", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, agency: Agency, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed departments stay in the filter: their former members are found by them.
        self.fields["department"].queryset = Department.objects.filter(agency=agency).order_by(
            "closed_at", "position", "name"
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class UserFieldsForm(BoundedTextForm, forms.Form):
    """What an administrator sets of a user of their agency."""

    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        help_text="Đường dẫn đặt mật khẩu và các thông báo được gửi tới địa chỉ này.",
    )
    position = forms.CharField(label="Chức vụ", max_length=150, required=False)
    department = forms.ModelChoiceField(
        label="Phòng, đơn vị",
        queryset=Department.objects.none(),
        required=False,
        empty_label="— Không thuộc phòng nào —",
        error_messages={"invalid_choice": FOREIGN_DEPARTMENT},
    )
    role = forms.ChoiceField(
        label="Vai trò", error_messages={"invalid_choice": "Bạn không thể giao vai trò này."}
    )

    def __init__(self, *args, agency: Agency, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["department"].queryset = _open_departments(agency.pk)
        self.fields["role"].choices = agency_roles(by)


class UserCreateForm(UserFieldsForm):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Chữ, số và các ký tự @ . + - _; không dấu cách.",
    )

    field_order = ["username", "full_name", "email", "position", "department", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Tạo người dùng và cấp đường dẫn đặt mật khẩu")

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Tên đăng nhập này đã có người dùng.")
        return username


class UserChangeForm(UserFieldsForm):
    reason = forms.CharField(
        label="Lý do thay đổi", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Lưu thay đổi")


class AdministratorCreateForm(UserCreateForm):
    """An administrator of an agency, created by the province's administrator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["role"]  # always an administrator
        self.helper = _helper("Tạo quản trị của cơ quan")


class ReasonForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(
        label="Lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class AddressUnlockForm(ReasonForm):
    address = forms.GenericIPAddressField(label="Địa chỉ mạng")


class DepartmentForm(BoundedTextForm, forms.Form):
    name = forms.CharField(label="Tên phòng, đơn vị", max_length=255)
    code = forms.CharField(label="Ký hiệu viết tắt", max_length=20, help_text="Ví dụ VP, TTr, ĐKKD.")
    position = forms.IntegerField(
        label="Thứ tự", min_value=0, max_value=32767, initial=0, help_text="Thứ tự trong các danh sách."
    )

    def __init__(self, *args, submit: str = "Lưu", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit)


class MergeForm(BoundedTextForm, forms.Form):
    target = forms.ModelChoiceField(
        label="Sáp nhập vào phòng, đơn vị",
        queryset=Department.objects.none(),
        empty_label="— Chọn phòng nhận —",
        error_messages={"invalid_choice": FOREIGN_DEPARTMENT, "required": "Chọn phòng nhận."},
    )
    reason = forms.CharField(
        label="Lý do (căn cứ quyết định sáp nhập)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Nêu lý do sáp nhập."},
    )

    def __init__(self, *args, department: Department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = _open_departments(department.agency_id).exclude(pk=department.pk)
        self.helper = _helper("Sáp nhập")
        self.helper.inputs[0].field_classes = "btn btn-danger"


class AgencyForm(BoundedTextForm, forms.ModelForm):
    class Meta:
        model = Agency
        fields = AGENCY_VALUES

    reason = forms.CharField(
        label="Lý do thay đổi", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )

    def __init__(self, *args, by: User, **kwargs):
        super().__init__(*args, **kwargs)
        parents = administered_agencies(by).filter(is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].error_messages["invalid_choice"] = (
            "Cơ quan cấp trên phải là một cơ quan của tỉnh."
        )
        self.helper = _helper("Lưu")
