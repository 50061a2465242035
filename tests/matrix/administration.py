"""Rows for the agency administration (Quản lý) and the password reset by e-mail.

The admin persona is an administrator of the demo agency and a superuser, so it manages the agency's
users and departments and the province's agencies; every other persona is refused with 403.
"""

from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix import expect, signed_in


def _confirm_url(request):
    """A set-password link of the staff member with a token that is not theirs: the page says so."""
    staff = request.getfixturevalue("staff")
    return reverse(
        "password_reset_confirm", args=[urlsafe_base64_encode(force_bytes(staff.pk)), "cu-het-han"]
    )


ADMIN_ONLY = signed_in(403, admin=200)
ADMIN_WRITES = signed_in(403, admin=302)

ROWS = {
    "administration:users": ("get", None, ADMIN_ONLY, "post"),
    "administration:user_create": ("get", None, ADMIN_ONLY, "put"),
    "administration:user_update": ("get", "staff", ADMIN_ONLY, "put"),
    "administration:user_deactivate": ("post", "staff", ADMIN_WRITES, "get"),
    "administration:user_reactivate": ("post", "staff", ADMIN_WRITES, "get"),
    "administration:user_password_link": ("post", "staff", ADMIN_ONLY, "get"),
    "administration:departments": ("get", None, ADMIN_ONLY, "post"),
    "administration:department_create": ("get", None, ADMIN_ONLY, "put"),
    "administration:department_rename": ("get", "department", ADMIN_ONLY, "put"),
    "administration:department_merge": ("get", "department", ADMIN_ONLY, "put"),
    "administration:department_close": ("post", "department", ADMIN_WRITES, "get"),
    "administration:agencies": ("get", None, ADMIN_ONLY, "post"),
    "administration:agency_create": ("get", None, ADMIN_ONLY, "put"),
    "administration:agency_update": ("get", "other_agency", ADMIN_ONLY, "put"),
    "administration:agency_deactivate": ("post", "other_agency", ADMIN_WRITES, "get"),
    "administration:agency_reactivate": ("post", "other_agency", ADMIN_WRITES, "get"),
    "administration:agency_admins": ("get", "other_agency", ADMIN_ONLY, "put"),
    "password_reset": ("get", None, expect(200), "put"),
    "password_reset_done": ("get", None, expect(200), "post"),
    "password_reset_confirm": ("get", _confirm_url, expect(200), "put"),
    "password_reset_complete": ("get", None, expect(200), "post"),
}
