"""The headline cards of the plan dashboard and of the province view (dashboards/_headline_cards.html):
the two rates, each with the numerator and denominator it is computed from, then the counts, each with
the number of tasks it is a part of.

Colour carries meaning only where there is one: red for what is overdue, green for what was completed
on time; every other count is neutral."""

from cchc.formatting import vn_number
from tasks.models import Task
from tasks.selectors import ACTIVE_GROUP, DUE_GROUP
from tasks.status import STYLE, Status

# The statuses of the count cards, after the plan's tasks and those come due, in the taxonomy's order.
CARD_STATUSES = (
    Status.DONE_ON_TIME,
    Status.DONE_LATE,
    Status.OPEN_OVERDUE,
    Status.OPEN_ON_TIME,
    Status.NOT_STARTED,
    Status.CANCELLED,
)
# The colour of a count, when it is not 0; the other counts are neutral.
TONES = {Status.DONE_ON_TIME.value: "success", Status.OPEN_OVERDUE.value: "danger"}
NO_DEADLINE = "no_deadline"


def percent(rate) -> str:
    return "—" if rate is None else f"{vn_number(rate, 2)} %"


def rates(figures) -> list[dict]:
    """The completion and overdue rates (figures.Figures.completion_rate, overdue_rate), each with what
    it divides: the tasks completed (or open and overdue) out of figures.come_due."""
    return [
        {
            "id": "ty-le-hoan-thanh",
            "code": "completion",
            "label": "Tỷ lệ hoàn thành",
            "icon": "bi-check-circle",
            "shown": percent(figures.completion_rate),
            "numerator": figures.done,
            "numerator_label": "đã hoàn thành",
            "denominator": figures.come_due,
            "tone": "",
        },
        {
            "id": "ty-le-qua-han",
            "code": "overdue",
            "label": "Tỷ lệ quá hạn",
            "icon": "bi-exclamation-triangle",
            "shown": percent(figures.overdue_rate),
            "numerator": figures.open_overdue,
            "numerator_label": "chưa hoàn thành, quá hạn",
            "denominator": figures.come_due,
            "tone": "danger" if figures.open_overdue else "",
        },
    ]


def headline(
    figures, link=None, no_deadline_url: str = "", total_label: str = "Nhiệm vụ của kế hoạch"
) -> list[dict]:
    """The count cards: code, label, count, the tasks it is a part of (`of`, None for the plan's tasks
    and the cancelled ones, which are outside them), link (`link(status=…)`, to the task table
    filtered to exactly those tasks; none without `link`), colour and icon. The open tasks without a
    deadline come last; their link is `no_deadline_url` (the list of them on the page)."""
    cards = [
        ("total", total_label, figures.total, None, ACTIVE_GROUP, "bi-list-check"),
        ("due", "Đã đến hạn", figures.due, figures.total, DUE_GROUP, "bi-calendar-check"),
    ]
    for status in CARD_STATUSES:
        part_of = None if status == Status.CANCELLED else figures.total
        cards.append(
            (status.value, status.label, figures.count(status.value), part_of, status.value, STYLE[status][1])
        )
    shown = []
    for code, label, count, part_of, group, icon in cards:
        shown.append(
            {
                "code": code,
                "label": label,
                "count": count,
                "of": part_of,
                "url": link(status=group) if link else "",
                "counted": link is not None,  # a link to the task table, of exactly `count` tasks
                "tone": TONES.get(code, "") if count else "",
                "icon": icon,
            }
        )
    shown.append(
        {
            "code": NO_DEADLINE,
            "label": Task.Kind.UNSET.label,
            "count": figures.no_deadline,
            "of": figures.total,
            "url": no_deadline_url if figures.no_deadline else "",
            "counted": False,
            "tone": "",
            "icon": "bi-calendar-x",
        }
    )
    return shown
