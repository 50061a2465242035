"""Login throttling on django-axes: which failures lock a login out, from which address, and who is locked.

Axes records each failed login (username, address, browser) in AccessAttempt. A username is locked
after AXES_FAILURE_LIMIT failures within AXES_COOLOFF_TIME, an address after LOGIN_ADDRESS_FAILURE_LIMIT
(all the staff of an office often reach the site from one address, so its limit is higher). Both the
site's login page and the Django admin's go through `authenticate`, so both are covered.
"""

import datetime
import ipaddress
from dataclasses import dataclass

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def _valid_address(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address the login came from: behind TRUSTED_PROXY_COUNT proxies that each append the
    address they were reached from to X-Forwarded-For, the entry the outermost one wrote (a client
    cannot forge it: whatever it sends stands to the left); otherwise the connection's own address."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops and (address := _valid_address(forwarded[-hops])):
            return address
    return _valid_address(request.META.get("REMOTE_ADDR"))


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for an address."""

    def get_failures(self, request, credentials=None) -> int:
        """The failures counted against AXES_FAILURE_LIMIT: the username's, or the limit itself once
        the address has reached LOGIN_ADDRESS_FAILURE_LIMIT."""
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        by_username = _failures(recent.filter(username=get_client_username(request, credentials)))
        address = request.axes_ip_address
        if address and _failures(recent.filter(ip_address=address)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(by_username, settings.AXES_FAILURE_LIMIT)
        return by_username


@dataclass(frozen=True)
class Lockout:
    """A username or an address refused until `until`."""

    key: str
    failures: int
    until: datetime.datetime


def _lockouts(field: str, limit: int, values=None) -> list[Lockout]:
    cool_off = get_cool_off()
    rows = AccessAttempt.objects.filter(
        attempt_time__gte=timezone.now() - cool_off, **{f"{field}__isnull": False}
    )
    if values is not None:
        rows = rows.filter(**{f"{field}__in": list(values)})
    grouped = (
        rows.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by(field)
    )
    return [
        Lockout(key=row[field], failures=row["failures"], until=row["last"] + cool_off) for row in grouped
    ]


def locked_usernames(usernames=None) -> dict[str, Lockout]:
    """The usernames refused now (among `usernames` when given), by username."""
    return {lockout.key: lockout for lockout in _lockouts("username", settings.AXES_FAILURE_LIMIT, usernames)}


def locked_addresses() -> list[Lockout]:
    """The addresses refused now, whatever username they try."""
    return _lockouts("ip_address", settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def username_unlock(username: str) -> int:
    """Forget the username's failures, from every address; the number of records removed."""
    count, _ = AccessAttempt.objects.filter(username=username).delete()
    return count


def address_unlock(address: str) -> int:
    """Forget the address's failures, for every username; the number of records removed."""
    count, _ = AccessAttempt.objects.filter(ip_address=address).delete()
    return count
