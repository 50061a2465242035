"""Who is told of what happens to a task (tasks.signals.task_happened), and in which words.

Recipients: a report waiting for approval → whoever may approve it (tasks.access.can_review_report):
the heads of the lead department, and for a head's own report the agency's leaders too; a report approved or returned → its reporter; an assignment → the newly
assigned; a report on carrying out a direction → the leader who gave it; a direction, a deadline or lead department changed → the task's assignees, or the heads of
its lead department when nobody is assigned; a contribution asked → the heads of the coordinating
department. Never the one who acted, nobody inactive, no overseer. Each notice has its key (kind,
recipient, task, source): the same event never tells a person twice.
"""

from django.db.models import QuerySet
from django.utils.text import Truncator

from accounts.models import Role, User
from notifications.models import Notification
from notifications.services import Notice, notify
from tasks.models import Task, TaskEvent

Kind = Notification.Kind

# The line each notice shows: plain sentences (no markup), filled in by str.format.
TEXTS = {
    Kind.REPORT_PENDING: "{actor} báo cáo hoàn thành nhiệm vụ {number}, chờ anh/chị duyệt.",
    Kind.REPORT_APPROVED: "{actor} đã duyệt báo cáo hoàn thành nhiệm vụ {number}.",
    Kind.REPORT_RETURNED: "{actor} trả lại báo cáo nhiệm vụ {number}. Lý do: {reason}",
    Kind.ASSIGNED: "{actor} giao anh/chị thực hiện nhiệm vụ {number}.",
    Kind.DIRECTION: "{actor} cho ý kiến chỉ đạo nhiệm vụ {number}: {text}",
    Kind.DIRECTION_REPLIED: "{actor} báo cáo thực hiện ý kiến chỉ đạo nhiệm vụ {number}: {text}",
    Kind.DEADLINE_CHANGED: "Thời hạn nhiệm vụ {number} đổi thành {deadline}. Lý do: {reason}",
    Kind.LEAD_CHANGED: "Nhiệm vụ {number} chuyển cho {department} chủ trì. Lý do: {reason}",
    Kind.CONTRIBUTION_ASKED: "{department} được đề nghị phối hợp thực hiện nhiệm vụ {number}.",
}
LONGEST_QUOTE = 300  # characters of a reason or a direction quoted in a notice


def _quote(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(LONGEST_QUOTE)


def _told(people: QuerySet, actor: User | None) -> list[int]:
    """The ids of those among `people` who are told: active, not an overseer, not the actor."""
    people = people.filter(is_active=True).exclude(role=Role.OVERSEER)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    return list(people.values_list("pk", flat=True))


def _heads(department_id: int) -> QuerySet:
    return User.objects.filter(department_id=department_id, role=Role.DEPT_HEAD)


def _notices(kind, task: Task, actor: User | None, recipient_ids, source, **words) -> list[Notice]:
    text = TEXTS[kind].format(actor=actor, number=task.number, **words)
    return [
        Notice(
            recipient_id=recipient_id,
            kind=kind,
            text=text,
            key=f"{kind}:{recipient_id}:{task.pk}:{source}",
            task_id=task.pk,
            actor_id=actor.pk if actor else None,
        )
        for recipient_id in recipient_ids
    ]


def _recorded(task: Task, kind: str) -> TaskEvent:
    """The task's latest event of `kind`: the source of a change's notice, and its reason."""
    return TaskEvent.objects.filter(task=task, kind=kind).order_by("-pk").first()


def _owners(tasks: list[Task], actor: User | None) -> dict[int, list[int]]:
    """Who is told of a change to each task: its assignees, or the heads of its lead department when
    nobody is assigned; two queries for any number of tasks."""
    assigned: dict[int, list[int]] = {}
    links = (
        Task.assignees.through.objects.filter(task__in=tasks, user__is_active=True)
        .exclude(user__role=Role.OVERSEER)
        .values_list("task_id", "user_id")
    )
    for task_id, user_id in links:
        assigned.setdefault(task_id, []).append(user_id)
    heads: dict[int, list[int]] = {}
    people = User.objects.filter(
        department_id__in={task.lead_department_id for task in tasks}, role=Role.DEPT_HEAD, is_active=True
    )
    for user_id, department_id in people.values_list("pk", "department_id"):
        heads.setdefault(department_id, []).append(user_id)
    actor_id = actor.pk if actor is not None else None
    return {
        task.pk: [
            user_id
            for user_id in assigned.get(task.pk) or heads.get(task.lead_department_id, [])
            if user_id != actor_id
        ]
        for task in tasks
    }


def _deadline_words(task: Task) -> str:
    if task.due_date is None:
        return f"{task.deadline_text or '—'} (chưa xác định thời hạn)"
    return f"{task.deadline_text} ({task.due_date:%d/%m/%Y})"


def report_pending(*, task, actor, target, **_) -> list[Notice]:
    """Nobody reviews their own report: a head's goes to the agency's leaders as well as to any other
    head of the department."""
    reviewers = _heads(task.lead_department_id)
    if actor is not None and actor.role == Role.DEPT_HEAD:
        agency = Task.objects.filter(pk=task.pk).values("plan__agency_id")
        reviewers = reviewers | User.objects.filter(agency_id__in=agency, role=Role.LEADER)
    return _notices(Kind.REPORT_PENDING, task, actor, _told(reviewers, actor), target.pk)


def report_reviewed(kind):
    def notices(*, task, actor, target, **_) -> list[Notice]:
        reporter = _told(User.objects.filter(pk=target.reported_by_id), actor)
        return _notices(kind, task, actor, reporter, target.pk, reason=_quote(target.return_reason))

    return notices


def assigned(*, task, actor, target, **_) -> list[Notice]:
    if not target:
        return []
    people = _told(User.objects.filter(pk__in=[user.pk for user in target]), actor)
    return _notices(Kind.ASSIGNED, task, actor, people, _recorded(task, TaskEvent.Kind.ASSIGNED).pk)


def direction(*, task, actor, target, **_) -> list[Notice]:
    people = _owners([task], actor)[task.pk]
    return _notices(Kind.DIRECTION, task, actor, people, target.pk, text=_quote(target.text))


def direction_replied(*, task, actor, target, **_) -> list[Notice]:
    leader = _told(User.objects.filter(pk=target.direction.author_id), actor)
    return _notices(Kind.DIRECTION_REPLIED, task, actor, leader, target.pk, text=_quote(target.text))


def changed(kind, event_kind, words):
    """The notices of a change recorded as a TaskEvent (a deadline, the lead department), for one task
    or a batch of (task, event) from a re-import."""

    def notices(*, task, actor, batch=None, **_) -> list[Notice]:
        pairs = batch if batch is not None else [(task, _recorded(task, event_kind))]
        owners = _owners([changed_task for changed_task, _event in pairs], actor)
        found = []
        for changed_task, event in pairs:
            found += _notices(
                kind,
                changed_task,
                actor,
                owners[changed_task.pk],
                event.pk,
                reason=_quote(event.reason),
                **words(changed_task),
            )
        return found

    return notices


def contribution_asked(*, task, actor, target, batch=None, **_) -> list[Notice]:
    """One query for the heads of every department asked, however many tasks (an import)."""
    pairs = batch if batch is not None else [(task, target or [])]
    department_ids = {department.pk for _task, departments in pairs for department in departments}
    if not department_ids:
        return []
    heads: dict[int, list[int]] = {}
    people = User.objects.filter(department_id__in=department_ids, role=Role.DEPT_HEAD, is_active=True)
    if actor is not None:
        people = people.exclude(pk=actor.pk)
    for user_id, department_id in people.values_list("pk", "department_id"):
        heads.setdefault(department_id, []).append(user_id)
    notices = []
    for asked_task, departments in pairs:
        for department in departments:
            notices += _notices(
                Kind.CONTRIBUTION_ASKED,
                asked_task,
                actor,
                heads.get(department.pk, []),
                department.pk,
                department=department,
            )
    return notices


BUILDERS = {
    Kind.REPORT_PENDING: report_pending,
    Kind.REPORT_APPROVED: report_reviewed(Kind.REPORT_APPROVED),
    Kind.REPORT_RETURNED: report_reviewed(Kind.REPORT_RETURNED),
    Kind.ASSIGNED: assigned,
    Kind.DIRECTION: direction,
    Kind.DIRECTION_REPLIED: direction_replied,
    Kind.DEADLINE_CHANGED: changed(
        Kind.DEADLINE_CHANGED, TaskEvent.Kind.DEADLINE, lambda task: {"deadline": _deadline_words(task)}
    ),
    Kind.LEAD_CHANGED: changed(
        Kind.LEAD_CHANGED, TaskEvent.Kind.LEAD, lambda task: {"department": task.lead_department}
    ),
    Kind.CONTRIBUTION_ASKED: contribution_asked,
}


def on_task_happened(sender, *, kind, task, actor, target=None, batch=None, **kwargs):
    """Tell whoever should know, inside the sender's transaction (a rollback tells nobody)."""
    build = BUILDERS.get(kind)
    if build is not None:
        notify(build(task=task, actor=actor, target=target, batch=batch))
