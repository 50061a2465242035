from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc import health


@require_GET
def home(request):
    """The login page is the front door; a signed-in user starts at the plans."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect("plans:list")


@never_cache
@require_GET
def healthz(request):
    healthy, details = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": details}, status=200 if healthy else 503
    )
