"""Every write of notices goes through these functions; they keep each person's unread count
(User.unread_notifications, which the bell shows at no query) equal to their unread rows."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification, Preference


@dataclass(frozen=True)
class Notice:
    """A notice to write: who is told, of what, on which task, by whom, and its exactly-once key."""

    recipient_id: int
    kind: str
    text: str
    key: str
    task_id: int | None = None
    actor_id: int | None = None
    info: bool = False  # told "để biết" (a coordinating department), not the one who must act


def notify(notices: Iterable[Notice]) -> int:
    """Write the notices whose key is new and count them unread for their recipients, in a few queries
    whatever their number: the keys already written, the insert (batched by the database's limit on
    parameters), one UPDATE per group of recipients told the same number of times (one group,
    usually). Returns how many were new."""
    wanted = {notice.key: notice for notice in notices}  # a key twice in one call is one notice
    if not wanted:
        return 0  # no query, no savepoint: most writes tell nobody
    with transaction.atomic():
        return _write(list(wanted.values()))


def _write(wanted: list[Notice]) -> int:
    muted = dict(
        Preference.objects.filter(user_id__in={notice.recipient_id for notice in wanted})
        .exclude(muted=[])
        .values_list("user_id", "muted")
    )
    if muted:  # kinds a person chose not to be told of at all
        wanted = [notice for notice in wanted if notice.kind not in muted.get(notice.recipient_id, ())]
    keys = [notice.key for notice in wanted]
    taken = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [notice for notice in wanted if notice.key not in taken]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=notice.recipient_id,
                kind=notice.kind,
                task_id=notice.task_id,
                text=notice.text,
                actor_id=notice.actor_id,
                key=notice.key,
                info=notice.info,
            )
            for notice in new
        ],
        ignore_conflicts=True,  # a notice written at the same moment by another transaction
    )
    per_recipient = Counter(notice.recipient_id for notice in new)
    groups: dict[int, list[int]] = {}
    for recipient_id, count in per_recipient.items():
        groups.setdefault(count, []).append(recipient_id)
    for count, recipient_ids in groups.items():
        User.objects.filter(pk__in=recipient_ids).update(
            unread_notifications=F("unread_notifications") + count
        )
    return len(new)


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> bool:
    """Mark one of `by`'s notices read; True when it was unread (read twice counts once)."""
    marked = Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if marked:
        User.objects.filter(pk=by.pk, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )
    return bool(marked)


@transaction.atomic
def notifications_mark_all_read(*, by: User) -> int:
    """Mark every unread notice of `by` read; returns how many."""
    marked = Notification.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())
    User.objects.filter(pk=by.pk).update(unread_notifications=0)
    return marked


def unread_counts_repair(*user_ids: int) -> int:
    """Set the unread count of the users (all when none named) to their unread rows, in one UPDATE:
    the one place that recounts, should a count ever drift. Returns how many users it looked at."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    users = User.objects.filter(pk__in=user_ids) if user_ids else User.objects.all()
    return users.update(
        unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
    )
