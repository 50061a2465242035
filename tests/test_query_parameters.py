"""The query-string parameters of the whole app are of one style, English snake_case, from one short
list: the links the templates write, the parameters the views read and build, and the fields of the
filters and forms sent by GET. A new parameter joins PARAMETERS, in the same style."""

import re
from pathlib import Path

import pytest

from dashboards.forms import ProvinceForm
from notifications.forms import LogFilter
from tasks.filters import DepartmentTaskFilter, MyTaskFilter, PlanTaskFilter

ROOT = Path(__file__).resolve().parent.parent
PARAMETERS = {
    "page",
    "q",
    "department",
    "area",
    "section",
    "status",
    "due_within",
    "as_of",
    "view",
    "assignee",
    "agency",
    "year",
    "order",
    "history",
    "inline",
    "token",  # /healthz?token=…, the detailed health answer for a monitor (HEALTHZ_TOKEN)
    "next",
    "unread",
    "kind",
    "person",
    "task",
    "day",
    "period",
    "measure",
}
SNAKE_CASE = re.compile(r"^[a-z]+(?:_[a-z]+)*$")
HREF = re.compile(r'href="([^"]*)"')
# in a link: ?name=, &amp;name= or, after a template tag, {% … %}name=
IN_LINK = re.compile(r"(?:\?|&amp;|&|%\})([A-Za-z][\w-]*)=")
READ = re.compile(r"\bGET\.get(?:list)?\(\s*[\"']([^\"']+)[\"']")
BUILT = re.compile(r"urlencode\(\s*\{(.*?)\}\s*\)", re.DOTALL)
KEY = re.compile(r"[\"']([^\"']+)[\"']\s*:")
APPS = ("accounts", "cchc", "plans", "tasks", "dashboards", "reports", "notifications", "ratings", "demo")


def in_templates() -> set[str]:
    names = set()
    for path in (ROOT / "templates").rglob("*.html"):
        for link in HREF.findall(path.read_text(encoding="utf-8")):
            names.update(IN_LINK.findall(link))
    return names


def in_python() -> set[str]:
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            names.update(READ.findall(source))
            for literal in BUILT.findall(source):
                names.update(KEY.findall(literal))
    return names


def in_forms() -> set[str]:
    filters = {
        *PlanTaskFilter.base_filters,
        *MyTaskFilter.base_filters,
        *DepartmentTaskFilter.base_filters,
        *LogFilter.base_filters,
    }
    return filters | set(ProvinceForm.base_fields)


@pytest.mark.parametrize("source", [in_templates, in_python, in_forms], ids=["templates", "views", "forms"])
def test_every_query_parameter_is_english_snake_case_from_the_list(source):
    names = source()
    assert names, "the scan found no parameter: its pattern is out of date"
    assert not {name for name in names if not SNAKE_CASE.match(name)}
    assert names <= PARAMETERS, names - PARAMETERS


def test_the_scan_sees_a_parameter_written_after_a_template_tag():
    link = "{% url 'plans:list' %}?{% if other %}agency={{ id }}&amp;{% endif %}year={{ year }}"
    assert IN_LINK.findall(link) == ["agency", "year"]
