from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

GENERIC_LOGIN_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng."


class LoginForm(AuthenticationForm):
    """One message for an unknown user, a wrong password or a disabled account: nothing to probe."""

    error_messages = {"invalid_login": GENERIC_LOGIN_ERROR, "inactive": GENERIC_LOGIN_ERROR}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Đăng nhập", css_class="w-100"))

    def confirm_login_allowed(self, user):
        if not user.is_active:
            raise forms.ValidationError(GENERIC_LOGIN_ERROR, code="inactive")


class PasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Đổi mật khẩu"))
