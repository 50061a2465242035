"""Rows for the agency administration (Quản lý) and the password reset by e-mail.

The admin persona is an administrator of the demo agency and a superuser, so it manages the agency's
users and departments and the province's agencies; every other persona is refused with 403.
"""

from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix import Form, expect, signed_in
from tests.matrix.forms import filled


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
    "administration:user_login_unlock": ("post", "staff", ADMIN_WRITES, "get"),
    "administration:lockouts": ("get", None, ADMIN_ONLY, "post"),
    "administration:address_login_unlock": ("post", None, ADMIN_WRITES, "get"),
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


def _pk(fixture):
    return lambda request: str(request.getfixturevalue(fixture).pk)


# The forms' POSTs, filled in as the administrator would: refused, the same body writes nothing.
FORMS = {
    # the new user is created and the page gives their set-password link
    "administration:user_create": Form(
        ADMIN_ONLY,
        filled(
            "admin",
            username="chuyenvien2",
            full_name="Trần Thị Mai",
            email="mai@so.example.vn",
            role="staff",
            department=_pk("department"),
        ),
    ),
    "administration:user_update": Form(
        ADMIN_WRITES, filled("admin", full_name="Tên đã sửa", reason="Sửa tên")
    ),
    "administration:department_create": Form(
        ADMIN_WRITES, filled("admin", name="Phòng Tổ chức cán bộ", code="TCCB", position="5")
    ),
    "administration:department_rename": Form(
        ADMIN_WRITES, filled("admin", name="Phòng Đăng ký doanh nghiệp")
    ),
    "administration:department_merge": Form(
        ADMIN_WRITES, filled("admin", target=_pk("office"), reason="Quyết định số 12/QĐ-SKHĐT")
    ),
    "administration:agency_create": Form(
        ADMIN_WRITES,
        filled(
            "admin",
            name="Sở Xây dựng tỉnh Vĩnh Phúc",
            short_name="Sở Xây dựng",
            code="SXD",
            parent_body="UBND tỉnh Vĩnh Phúc",
            place_name="Vĩnh Phúc",
        ),
    ),
    "administration:agency_update": Form(ADMIN_WRITES, filled("admin", short_name="Sở Tài chính (sửa)")),
    # a new administrator of the agency: the page with their set-password link
    "administration:agency_admins": Form(
        ADMIN_ONLY, filled("admin", username="quantristc", full_name="Lê Văn Quản", email="qt@stc.example.vn")
    ),
    # the same answer whether or not the address exists
    "password_reset": Form(expect(302), {"email": "khong-co@so.example.vn"}),
    "password_reset_confirm": Form(expect(200), {"new_password1": "x", "new_password2": "x"}),
}
