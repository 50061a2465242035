"""The one place that decides who reads and writes what.

Every query of agency data goes through `readable_agency_ids`: users read their own agency;
an overseer reads every agency of the province (read-only); nobody else sees another agency,
and a foreign id answers 404, never someone else's page.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Agency, Role

MAX_AGENCY_DEPTH = 6  # province → district → commune is three; this is a guard, not a limit in use


def province_root(agency: Agency) -> Agency:
    root, depth = agency, 0
    while root.parent_id is not None and depth < MAX_AGENCY_DEPTH:
        root, depth = root.parent, depth + 1
    return root


def province_agency_ids(agency: Agency) -> set[int]:
    """Ids of every agency in the province that holds `agency`, one query per level of the tree."""
    root = province_root(agency)
    ids, frontier = {root.pk}, {root.pk}
    for _ in range(MAX_AGENCY_DEPTH):
        frontier = set(Agency.objects.filter(parent__in=frontier).values_list("pk", flat=True)) - ids
        if not frontier:
            break
        ids |= frontier
    return ids


def readable_agency_ids(user) -> set[int]:
    """The agencies whose data `user` may read (cached on the user object for the request)."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_readable_agency_ids", None)
    if cached is not None:
        return cached
    if user.agency_id is None:
        ids = set()
    elif user.role == Role.OVERSEER:
        ids = province_agency_ids(user.agency)
    else:
        ids = {user.agency_id}
    user._readable_agency_ids = ids
    return ids


def readable_agencies(user):
    return Agency.objects.filter(pk__in=readable_agency_ids(user))


def get_readable_agency(user, agency_id) -> Agency:
    """The agency named in a URL or query string, or 404 when the user may not read it."""
    try:
        agency_id = int(agency_id)
    except (TypeError, ValueError) as error:
        raise Http404("Không tìm thấy cơ quan.") from error
    if agency_id not in readable_agency_ids(user):
        raise Http404("Không tìm thấy cơ quan.")
    return Agency.objects.get(pk=agency_id)


def can_write_agency(user, agency_id: int, *roles: str) -> bool:
    """Writes happen only inside one's own agency and only with one of `roles`; overseers never write."""
    return user.is_authenticated and user.agency_id == agency_id and user.role in roles


def require_write(user, agency_id: int, *roles: str) -> None:
    if not can_write_agency(user, agency_id, *roles):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
