"""The one place that decides who reads and writes what.

Every query of agency data goes through `readable_agency_ids`: users read their own agency;
an overseer reads every agency of the province (read-only); nobody else sees another agency,
and a foreign id answers 404, never someone else's page.
"""

from django.db.models import Q
from django.http import Http404

from accounts.models import Agency, Role

MAX_AGENCY_DEPTH = 4  # province → district → commune is three levels; the fourth is a margin


def province_root(agency_id: int) -> Agency:
    """The top of the agency's tree, read in one query."""
    chain = "__".join(["parent"] * MAX_AGENCY_DEPTH)
    node = Agency.objects.select_related(chain).get(pk=agency_id)
    while node.parent_id is not None and node.parent is not None:
        node = node.parent
    return node


def province_agencies(agency_id: int) -> dict[int, Agency]:
    """Every agency of the province that holds the agency, by id: two queries, whatever its size."""
    root = province_root(agency_id)
    members = Q(pk=root.pk)
    for depth in range(1, MAX_AGENCY_DEPTH + 1):
        members |= Q(**{"__".join(["parent"] * depth): root})
    return {agency.pk: agency for agency in Agency.objects.filter(members)}


def works_in_agency(user) -> bool:
    """The user works inside one agency: its tasks are their work ("Việc của tôi") and its plans their
    start page. Overseers read the province from outside; a user without an agency has neither."""
    return user.is_authenticated and user.agency_id is not None and user.role != Role.OVERSEER


def reads_province(user) -> bool:
    """Overseers (Sở Nội vụ) read every agency of their province, read-only, and the province view."""
    return user.is_authenticated and user.agency_id is not None and user.role == Role.OVERSEER


def heads_department(user) -> bool:
    """A department head of a department: the department's page, its part of the plans' dashboards."""
    return user.is_authenticated and user.role == Role.DEPT_HEAD and user.department_id is not None


def _readable(user) -> dict[int, Agency | None]:
    """The agencies `user` may read, cached on the user object for the request.

    Overseers get the loaded agencies of their province; everyone else their own agency's id
    (the object is the user's own, loaded when first used).
    """
    cached = getattr(user, "_readable_agencies", None)
    if cached is not None:
        return cached
    if not user.is_authenticated or user.agency_id is None:
        readable = {}
    elif reads_province(user):
        readable = province_agencies(user.agency_id)
    else:
        readable = {user.agency_id: None}
    user._readable_agencies = readable
    return readable


def readable_agency_ids(user) -> set[int]:
    """The ids of the agencies whose data `user` may read."""
    return set(_readable(user))


def readable_agencies(user):
    return Agency.objects.filter(pk__in=readable_agency_ids(user))


def get_readable_agency(user, agency_id) -> Agency:
    """The agency named in a URL or query string, or 404 when the user may not read it."""
    try:
        agency_id = int(agency_id)
    except (TypeError, ValueError) as error:
        raise Http404("Không tìm thấy cơ quan.") from error
    readable = _readable(user)
    if agency_id not in readable:
        raise Http404("Không tìm thấy cơ quan.")
    return readable[agency_id] or user.agency


def can_write_agency(user, agency_id: int | None, *roles: str) -> bool:
    """Writes happen only inside one's own agency and only with one of `roles`; overseers never write."""
    return (
        user.is_authenticated and agency_id is not None and user.agency_id == agency_id and user.role in roles
    )


def administers_agency(user) -> bool:
    """An agency's administrator: manages the users and departments of their own agency (Quản lý)."""
    return user.is_authenticated and user.role == Role.ADMIN and user.agency_id is not None


def administers_province(user) -> bool:
    """The province's administrator (an administrator of the agency at the top of the tree) or a
    superuser: manages the agencies of the province and their administrators."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return administers_agency(user) and user.agency.parent_id is None


def administered_agencies(user):
    """The agencies whose record and administrators `user` manages as the province's administrator:
    the province of their agency, or every agency for a superuser without one."""
    if not administers_province(user):
        return Agency.objects.none()
    if user.agency_id is None:
        return Agency.objects.all()
    return Agency.objects.filter(pk__in=province_agencies(user.agency_id))
