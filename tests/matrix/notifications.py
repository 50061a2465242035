"""Rows for the notices: everyone signed in has a list and their own settings; a notice opens only for
its recipient (404 for anyone else, whatever their rights); the agency's settings and sent log are its
administrator's."""

from django.urls import reverse

from notifications.services import Notice, notify
from tests.matrix import Form, expect, signed_in
from tests.matrix.forms import filled


def staff_notice(name):
    """The URL `name` of a notice addressed to the staff member."""

    def url(request):
        staff = request.getfixturevalue("staff")
        notify([Notice(recipient_id=staff.pk, kind="assigned", text="Được giao", key=f"matrix:{staff.pk}")])
        return reverse(name, args=[staff.notifications.get().pk])

    return url


def staff_with_failing_address(request):
    """The retry URL of the staff member's address, recorded as refused by the mail server."""
    from notifications.models import Preference

    staff = request.getfixturevalue("staff")
    staff.email = "cv@so.example.vn"
    staff.save(update_fields=["email"])
    Preference.objects.create(user=staff, address_problem="Từ chối", problem_address=staff.email)
    return reverse("notifications:address_retry", args=[staff.pk])


OWN = expect(404, anonymous="login", staff=302)
ADMIN_ONLY = signed_in(403, admin=200)

ROWS = {
    "notifications:list": ("get", None, signed_in(200), "post"),
    "notifications:open": ("get", staff_notice("notifications:open"), OWN, "post"),
    "notifications:read": ("post", staff_notice("notifications:read"), OWN, "get"),
    "notifications:read_all": ("post", None, signed_in(302), "get"),
    "notifications:preferences": ("get", None, signed_in(200), "put"),
    "notifications:agency_settings": ("get", None, ADMIN_ONLY, "put"),
    "notifications:address_retry": ("post", staff_with_failing_address, signed_in(403, admin=302), "get"),
    "notifications:log": ("get", None, ADMIN_ONLY, "post"),
}

FORMS = {
    # each signed-in persona saves their own preferences as the page shows them
    "notifications:preferences": Form(signed_in(302), {}),
    "notifications:agency_settings": Form(signed_in(403, admin=302), filled("admin")),
}
