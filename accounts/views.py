from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_safe

from accounts.forms import LoginForm, NewPasswordForm, PasswordForm, ResetRequestForm, may_sign_in


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    http_method_names = ["get", "post", "head", "options"]


def login_locked_out(request, response, credentials):
    """The page of a refused login (django-axes' AXES_LOCKOUT_CALLABLE), on the site's login and on
    the Django admin's: too many wrong passwords for this username or from this address."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(
        request,
        "accounts/login_locked.html",
        {"minutes": minutes, "admin_login": request.path.startswith(reverse("admin:index"))},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordForm
    template_name = "accounts/password_change.html"
    http_method_names = ["get", "post", "head", "options"]


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def _valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


class PasswordResetView(auth_views.PasswordResetView):
    """ "Quên mật khẩu?": a link by mail to the account's address, valid PASSWORD_RESET_TIMEOUT. The page
    that follows says the same whether or not the address is known."""

    form_class = ResetRequestForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "registration/password_reset-subject.txt"
    email_template_name = "registration/password_reset-body.txt"
    html_email_template_name = "registration/password_reset-body.html"
    success_url = reverse_lazy("password_reset_done")
    http_method_names = ["get", "post", "head", "options"]

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL, "valid_days": _valid_days()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(valid_days=_valid_days(), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page of the one-time link, whether mailed after "Quên mật khẩu?" or issued by an
    administrator: a locked account (or one of an agency no longer working here) cannot use it."""

    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        # Django's view answers a stale link before it looks at the method.
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and may_sign_in(user) else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_safe
def profile(request):
    return render(request, "accounts/profile.html", {"profile_user": request.user})
