from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.access import works_in_agency
from cchc import health


@require_safe
def home(request):
    """The login page is the front door; a signed-in user starts at their work ("Việc của tôi"),
    an overseer (who has none) at the agencies' plans."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if works_in_agency(user):
        return redirect("tasks:mine")
    return redirect("plans:list")


@never_cache
@require_safe
def healthz(request):
    """Liveness for anyone: the process answers, touching nothing else. The state of each part (kept a
    few seconds, cchc.health) only for a caller on this machine or one that shows HEALTHZ_TOKEN."""
    if not health.may_see_details(request):
        return JsonResponse({"status": "ok"})
    healthy, details = health.cached_report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": details}, status=200 if healthy else 503
    )
