from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Role
from cchc import health


@require_GET
def home(request):
    """The login page is the front door; a signed-in user starts at their work ("Việc của tôi"),
    an overseer (who has none) at the agencies' plans."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.agency_id is None or user.role == Role.OVERSEER:
        return redirect("plans:list")
    return redirect("tasks:mine")


@never_cache
@require_GET
def healthz(request):
    healthy, details = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": details}, status=200 if healthy else 503
    )
