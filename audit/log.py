"""The agency's change log: every source of audit.sources, filtered in the database, merged by time.

Each source gives (source, id, time) of its matching rows; the database merges them with UNION ALL,
orders them newest first and slices the page (or the export), so a page costs the same few queries
whatever the size of the histories: the count, the page's keys, and one query per source that has
rows on the page to read them as entries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, F, Value
from django.utils import timezone

from audit.sources import SOURCES, SOURCES_BY_KEY, Entry, Subject


@dataclass(frozen=True)
class Criteria:
    """What the log is narrowed to; every part is optional."""

    since: datetime.date | None = None
    until: datetime.date | None = None
    actor_id: int | None = None
    subject: str = ""
    department_id: int | None = None
    text: str = ""


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the agency's time (settings.TIME_ZONE)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def keys(agency_id: int, criteria: Criteria):
    """The (source, id, time) of every matching change of the agency, newest first: one query, with the
    sources' rows merged by UNION ALL; slice it for a page."""
    parts = []
    for source in SOURCES:
        if criteria.subject and source.subject != criteria.subject:
            continue
        if criteria.department_id and not source.departments:
            continue  # an agency-wide change (a plan, a report) concerns no one department
        rows = source.model.objects.filter(source.agency(agency_id))
        if criteria.since:
            rows = rows.filter(**{f"{source.at}__gte": _start_of(criteria.since)})
        if criteria.until:
            rows = rows.filter(**{f"{source.at}__lt": _start_of(criteria.until + datetime.timedelta(days=1))})
        if criteria.actor_id:
            rows = rows.filter(**{f"{source.actor}_id": criteria.actor_id})
        if criteria.department_id:
            rows = rows.filter(source.of_department(criteria.department_id))
        if criteria.text:
            rows = rows.filter(source.text_matches(criteria.text))
        parts.append(
            rows.order_by()
            .annotate(log_source=Value(source.key, output_field=CharField()), log_at=F(source.at))
            .values_list("log_source", "pk", "log_at")
        )
    if not parts:
        return SOURCES[0].model.objects.none().values_list("pk")
    first, *others = parts
    merged = first.union(*others, all=True) if others else first
    return merged.order_by("-log_at", "-pk", "log_source")


def entries(rows, *, administers: bool = False) -> list[Entry]:
    """The log entries of `rows` ((source, id, time), in order): one query per source present. The
    links to people and departments are left out unless the reader `administers` the agency."""
    rows = list(rows)
    wanted = defaultdict(list)
    for source_key, pk, _at in rows:
        wanted[source_key].append(pk)
    read = {}
    for source_key, pks in wanted.items():
        source = SOURCES_BY_KEY[source_key]
        for obj in source.model.objects.filter(pk__in=pks).select_related(*source.related):
            entry = read[source_key, obj.pk] = source.entry(obj)
            if source.subject == Subject.ACCOUNT and not administers:
                entry.url = ""
    return [read[source_key, pk] for source_key, pk, _at in rows if (source_key, pk) in read]
