"""The rubrics shipped with the software (evaluations/rubrics/*.json): editable defaults, not law.

A rubric file is one JSON object:

    {
      "name": "Bộ tiêu chí …",           the rubric's name (a default is loaded once per name)
      "scope": "departments",           a Scope value: "departments" or "agencies"
      "total_points": 100,              what the areas add up to
      "note": "…",                      optional, shown with the rubric
      "criteria": [ criterion, … ]      the areas (lĩnh vực), in order
    }

and a criterion, at any depth:

    {
      "label": "1.2",                   STT as written in the grid: I, 1, 1.1, a)…
      "title": "…",                     tiêu chí, tiêu chí thành phần
      "max_points": 2.5 or "2.5",       điểm tối đa, at most two decimals
      "method": "yes_no",               a Method value; "group" for a node with children (its points
                                        are the sum of theirs), which is also the default when there are
                                        children, "manual" otherwise
      "rule": "…",                      cách tính điểm, as written
      "thresholds": [[80, 1], …],       thresholds and computed: [rate % from, share of max], highest
                                        first; empty for a computed criterion = points in proportion
      "measure": "completed",           computed: a Measure value
      "evidence_required": true,        no submission without an evidence file or an explanation
      "evidence": "…",                  tài liệu kiểm chứng
      "children": [ criterion, … ]      tiêu chí thành phần
    }

Only "label", "title" and "max_points" are required of a criterion; the tree is checked whole by
scoring.check_tree when the rubric is created.
"""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from evaluations.models import Measure, Method, Rubric, RubricCriterion, Scope
from evaluations.scoring import Node, check_tree
from evaluations.services import rubric_create, store_tree

RUBRICS_DIR = Path(__file__).resolve().parent / "rubrics"

RUBRIC_KEYS = {"name", "scope", "total_points", "note", "criteria"}
CRITERION_KEYS = {
    "label",
    "title",
    "max_points",
    "method",
    "rule",
    "thresholds",
    "measure",
    "evidence_required",
    "evidence",
    "children",
}


def _check_keys(data: dict, allowed: set, required: set, where: str) -> None:
    problems = []
    if unknown := sorted(set(data) - allowed):
        problems.append(f"unknown keys {unknown}")
    if missing := sorted(required - set(data)):
        problems.append(f"missing keys {missing}")
    if problems:
        raise ValueError(f"{where}: {', '.join(problems)}")


def _points(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{where}: points must be a number or a string such as “2.5”, not {value!r}")
    try:
        points = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValueError(f"{where}: “{value}” is not a number") from error
    if not points.is_finite() or points != points.quantize(Decimal("0.01")):
        raise ValueError(f"{where}: “{value}” must be a number with at most two decimals")
    return points


def _node(data: dict, where: str) -> Node:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a criterion must be an object")
    if "label" in data:
        where = f"{where} ({data['label']})"
    _check_keys(data, CRITERION_KEYS, {"label", "title", "max_points"}, where)
    method = data.get("method") or (Method.GROUP if data.get("children") else Method.MANUAL)
    measure = data.get("measure") or ""
    if method not in Method.values or measure not in [*Measure.values, ""]:
        raise ValueError(f"{where}: unknown method “{method}” or measure “{measure}”")
    children = [
        _node(child, f"{where} › criterion {number}")
        for number, child in enumerate(data.get("children") or [], start=1)
    ]
    return Node(
        label=str(data["label"]).strip(),
        title=str(data["title"]).strip(),
        max_points=_points(data["max_points"], where),
        method=method,
        thresholds=list(data.get("thresholds") or []),
        measure=measure,
        rule=(data.get("rule") or "").strip(),
        evidence_required=bool(data.get("evidence_required", False)),
        evidence=(data.get("evidence") or "").strip(),
        children=children,
    )


def read_rubric_file(path: Path | str) -> tuple[dict, list[Node]]:
    """A rubric file as the fields of its Rubric (name, scope, total_points, note) and its criteria
    tree. Malformed files raise ValueError naming the place; whether the points add up is left to
    check_tree."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: a rubric file holds one object")
    _check_keys(data, RUBRIC_KEYS, RUBRIC_KEYS - {"note"}, path.name)
    if data["scope"] not in Scope.values:
        raise ValueError(f"{path.name}: unknown scope “{data['scope']}”")
    fields = {
        "name": str(data["name"]).strip(),
        "scope": data["scope"],
        "total_points": _points(data["total_points"], path.name),
        "note": (data.get("note") or "").strip(),
    }
    nodes = [
        _node(criterion, f"{path.name} › area {number}")
        for number, criterion in enumerate(data["criteria"], start=1)
    ]
    return fields, nodes


def rubric_files(directory: Path = RUBRICS_DIR) -> list[Path]:
    return sorted(directory.glob("*.json"))


@transaction.atomic
def load_default_rubrics(*, rubric_model=Rubric, criterion_model=RubricCriterion, directory=RUBRICS_DIR):
    """Create each shipped rubric that is not there yet (a default rubric of the same name), marked as a
    default; returns the rubrics created. A data migration passes its historical models, which
    rubric_create cannot take: the same check and the same writer are used then."""
    created = []
    for path in rubric_files(directory):
        fields, nodes = read_rubric_file(path)
        if rubric_model.objects.filter(is_default=True, agency=None, name=fields["name"]).exists():
            continue
        if rubric_model is Rubric and criterion_model is RubricCriterion:
            created.append(rubric_create(**fields, criteria=nodes, is_default=True))
            continue
        check_tree(nodes, fields["total_points"])
        rubric = rubric_model.objects.create(**fields, agency=None, is_default=True)
        store_tree(criterion_model, {"rubric": rubric}, nodes)
        created.append(rubric)
    return created
