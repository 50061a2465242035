from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.forms import LoginForm, PasswordForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    http_method_names = ["get", "post", "head", "options"]


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordForm
    template_name = "accounts/password_change.html"
    http_method_names = ["get", "post", "head", "options"]


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
@require_GET
def profile(request):
    return render(request, "accounts/profile.html", {"profile_user": request.user})
