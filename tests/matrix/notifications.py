"""Rows for the notices: everyone signed in has a list; a notice opens only for its recipient (404 for
anyone else, whatever their rights)."""

from django.urls import reverse

from notifications.services import Notice, notify
from tests.matrix import expect, signed_in


def staff_notice(name):
    """The URL `name` of a notice addressed to the staff member."""

    def url(request):
        staff = request.getfixturevalue("staff")
        notify([Notice(recipient_id=staff.pk, kind="assigned", text="Được giao", key=f"matrix:{staff.pk}")])
        return reverse(name, args=[staff.notifications.get().pk])

    return url


OWN = expect(404, anonymous="login", staff=302)

ROWS = {
    "notifications:list": ("get", None, signed_in(200), "post"),
    "notifications:open": ("get", staff_notice("notifications:open"), OWN, "post"),
    "notifications:read": ("post", staff_notice("notifications:read"), OWN, "get"),
    "notifications:read_all": ("post", None, signed_in(302), "get"),
}
