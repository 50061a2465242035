from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

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
        if not may_sign_in(user):
            raise forms.ValidationError(GENERIC_LOGIN_ERROR, code="inactive")


def may_sign_in(user) -> bool:
    """An active account of an agency still working here (or of no agency: a superuser)."""
    return user.is_active and (user.agency_id is None or user.agency.is_active)


class PasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Đổi mật khẩu"))


class ResetRequestForm(PasswordResetForm):
    """The address of the account; the same answer follows whether or not it is known."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Địa chỉ thư điện tử"
        self.fields["email"].help_text = "Địa chỉ đã đăng ký với tài khoản của bạn."
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Gửi đường dẫn đặt lại mật khẩu", css_class="w-100"))

    def get_users(self, email):
        """Active accounts with this address, of an agency still working here, including an account
        whose password was never set (Django's default leaves those out: here they wait for the link
        an administrator issued)."""
        email_field = get_user_model().get_email_field_name()
        users = (
            get_user_model()
            ._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
            .select_related("agency")
        )
        return (
            user
            for user in users
            if may_sign_in(user) and getattr(user, email_field).lower() == email.lower()
        )


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Đặt mật khẩu"))
