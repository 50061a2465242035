"""The reminders of a day as notices in the app: what tasks.reminders.notices_on says, each written
once (its key holds the recipient, task, kind, offset and day), so that the job running every 15
minutes, or once more after downtime, tells nobody twice."""

import datetime

from notifications.models import AgencySettings
from notifications.services import Notice, notify
from tasks import reminders
from tasks.deadlines import Deadline
from tasks.models import Task

# The line each reminder shows: plain sentences, filled in by str.format.
TEXTS = {
    reminders.UPCOMING: "Nhiệm vụ {number} còn {offset} ngày làm việc đến hạn {due}: {content}",
    reminders.DUE_TODAY: "Nhiệm vụ {number} đến hạn hôm nay ({due}): {content}",
    reminders.OVERDUE: "Nhiệm vụ {number} đã quá hạn {late} ngày làm việc (hạn {due}): {content}",
    reminders.ESCALATION: "Nhiệm vụ {number} của {department} quá hạn {late} ngày làm việc (hạn {due}): {content}",
    reminders.UPDATE_DUE: "Còn {offset} ngày làm việc đến kỳ báo cáo: nhiệm vụ {number} chưa có báo cáo tiến độ "
    "trong kỳ: {content}",
}
# A periodic task (thường xuyên, hằng quý…) is reminded of its next report date, not of a due date.
REPORT_TEXTS = {
    reminders.UPCOMING: "Nhiệm vụ {number} còn {offset} ngày làm việc đến kỳ báo cáo {due}: {content}",
    reminders.DUE_TODAY: "Nhiệm vụ {number} đến kỳ báo cáo hôm nay ({due}): {content}",
}
INFO = "Để biết – "  # the coordinating departments' copy
SHORT_CONTENT = 160  # characters of the task's content in a reminder


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_CONTENT else f"{text[: SHORT_CONTENT - 1].rstrip()}…"


def agency_rules() -> dict:
    """The reminder rules of each agency whose administrator has set them, by agency id."""
    return {settings.agency_id: settings.rules() for settings in AgencySettings.objects.all()}


def reminders_on(day: datetime.date, **scan) -> int:
    """Write the reminders of `day` (in a few queries whatever their number); how many were new.
    `scan` goes to tasks.reminders.notices_on (agency_ids; rules, by default each agency's own)."""
    scan.setdefault("rules", agency_rules())
    found = reminders.notices_on(day, **scan)
    tasks = {
        row["pk"]: row
        for row in Task.objects.filter(pk__in={notice.task_id for notice in found}).values(
            "pk", "number", "content", "deadline_text", "deadline_kind", "due_date", "lead_department__name"
        )
    }
    notices = []
    for notice in found:
        task = tasks[notice.task_id]
        deadline = Deadline(task["deadline_text"], task["due_date"], task["deadline_kind"])
        due = deadline.next_report_date(day) if notice.kind != reminders.OVERDUE else task["due_date"]
        report = deadline.is_periodic and due != task["due_date"] and notice.kind in REPORT_TEXTS
        text = (REPORT_TEXTS if report else TEXTS)[notice.kind].format(
            number=task["number"],
            offset=notice.offset,
            late=-notice.offset,
            due=f"{due:%d/%m/%Y}" if due else "",
            content=short(task["content"]),
            department=task["lead_department__name"],
        )
        notices.append(
            Notice(
                recipient_id=notice.recipient_id,
                kind=notice.kind,
                text=(INFO + text) if notice.audience == reminders.INFO else text,
                key=f"{notice.kind}:{notice.recipient_id}:{notice.task_id}:{notice.offset}:{day.isoformat()}",
                task_id=notice.task_id,
                info=notice.audience == reminders.INFO,
            )
        )
    return notify(notices)
