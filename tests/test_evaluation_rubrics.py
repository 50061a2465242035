"""The default rubrics shipped as data: they add up, every scored criterion says how it is scored, the
department rubric reads the task record, and the migration loads each of them once."""

import importlib
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from evaluations.defaults import RUBRICS_DIR, load_default_rubrics, read_rubric_file, rubric_files
from evaluations.models import Measure, Method, Rubric, RubricCriterion, Scope
from evaluations.scoring import check_tree, shown
from evaluations.services import rubric_tree

DEPARTMENT = RUBRICS_DIR / "department.json"
AGENCY = RUBRICS_DIR / "agency.json"
AREAS_NQ76 = [
    "Công tác chỉ đạo, điều hành cải cách hành chính",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def walk(nodes, depth=0):
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


def scored(nodes):
    return [node for node, _ in walk(nodes) if node.method != Method.GROUP]


def test_both_files_are_shipped():
    assert rubric_files() == sorted([AGENCY, DEPARTMENT])


@pytest.mark.parametrize(
    ("path", "name", "scope"),
    [
        (DEPARTMENT, "Bộ tiêu chí chấm điểm CCHC các phòng, đơn vị thuộc Sở (mặc định)", Scope.DEPARTMENTS),
        (AGENCY, "Bộ tiêu chí chỉ số CCHC các sở, ban, ngành (mặc định)", Scope.AGENCIES),
    ],
)
def test_each_file_reads_as_a_tree_that_adds_up_to_exactly_100(path, name, scope):
    fields, nodes = read_rubric_file(path)
    assert fields["name"] == name
    assert fields["scope"] == scope
    assert fields["total_points"] == Decimal(100)
    assert "không phải văn bản quy phạm pháp luật" in fields["note"]
    check_tree(nodes, Decimal(100))
    assert sum(area.max_points for area in nodes) == Decimal(100)


@pytest.mark.parametrize("path", [DEPARTMENT, AGENCY])
def test_the_seven_areas_stand_in_order_and_each_adds_up(path):
    _, nodes = read_rubric_file(path)
    assert [area.label for area in nodes] == ROMAN
    assert [area.title for area in nodes] == AREAS_NQ76
    for area in nodes:
        assert area.method == Method.GROUP
        leaves = sum(node.max_points for node in scored(area.children))
        assert leaves == area.max_points, area.label
        for node, _ in walk(area.children):
            if node.children:
                assert sum(child.max_points for child in node.children) == node.max_points, node.label


@pytest.mark.parametrize("path", [DEPARTMENT, AGENCY])
def test_every_scored_criterion_says_how_it_is_scored_and_what_proves_it(path):
    _, nodes = read_rubric_file(path)
    for node in scored(nodes):
        assert len(node.rule) > 20, node.label
        assert node.evidence, node.label
        assert node.max_points > 0, node.label
    assert any(node.evidence_required for node in scored(nodes))


@pytest.mark.parametrize("path", [DEPARTMENT, AGENCY])
def test_a_threshold_rule_text_states_the_points_of_each_threshold(path):
    """The wording a unit reads and the thresholds the software applies must say the same thing."""
    _, nodes = read_rubric_file(path)
    with_thresholds = [node for node in scored(nodes) if node.thresholds]
    assert with_thresholds
    for node in with_thresholds:
        for start, share in node.thresholds:
            points = node.max_points * Decimal(str(share))
            assert f"{shown(points)} điểm" in node.rule, (node.label, points)
            if start:
                assert f"{shown(Decimal(str(start)))}%" in node.rule, (node.label, start)


@pytest.mark.parametrize("path", [DEPARTMENT, AGENCY])
def test_labels_are_unique_and_written_as_in_a_grid(path):
    _, nodes = read_rubric_file(path)
    labels = [node.label for node, _ in walk(nodes)]
    assert len(labels) == len(set(labels))
    for node, depth in walk(nodes):
        pattern = [r"[IVX]+", r"\d+", r"\d+\.\d+"][depth]
        assert re.fullmatch(pattern, node.label), node.label


@pytest.mark.parametrize("path", [DEPARTMENT, AGENCY])
def test_the_methods_are_mixed(path):
    _, nodes = read_rubric_file(path)
    methods = {node.method for node in scored(nodes)}
    assert methods == {Method.MANUAL, Method.YES_NO, Method.THRESHOLDS, Method.COMPUTED}


def test_the_agency_rubric_has_about_thirty_criteria_with_components():
    _, nodes = read_rubric_file(AGENCY)
    criteria = [node for node, depth in walk(nodes) if depth == 1]
    components = [node for node, depth in walk(nodes) if depth == 2]
    assert 25 <= len(criteria) <= 35
    assert len(components) >= 10


def computed(path):
    _, nodes = read_rubric_file(path)
    area_1 = nodes[0]
    return {node.measure: node for node in scored([area_1]) if node.method == Method.COMPUTED}


def test_the_department_rubric_reads_the_four_measures_from_the_task_record():
    found = computed(DEPARTMENT)
    assert set(found) == {Measure.COMPLETED, Measure.ON_TIME, Measure.UPDATES, Measure.FIRST_TIME}
    assert found[Measure.COMPLETED].title == "Tỷ lệ nhiệm vụ CCHC được giao hoàn thành"
    assert found[Measure.UPDATES].title == "Báo cáo tiến độ đầy đủ các kỳ"
    assert found[Measure.FIRST_TIME].title == "Báo cáo hoàn thành được duyệt, không bị trả lại"
    assert found[Measure.COMPLETED].thresholds == [[100, 1], [80, 0.75], [50, 0.5], [0, 0]]
    assert any(node.thresholds == [] for node in found.values()), "one is scored in proportion"
    assert not any(node.evidence_required for node in found.values())


def test_the_agency_rubric_reads_completion_and_timeliness_from_the_task_record():
    assert set(computed(AGENCY)) == {Measure.COMPLETED, Measure.ON_TIME}


def test_a_file_that_does_not_add_up_is_refused_by_the_check(tmp_path):
    data = json.loads(DEPARTMENT.read_text(encoding="utf-8"))
    data["criteria"][0]["children"][0]["children"][0]["max_points"] = 5
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fields, nodes = read_rubric_file(broken)
    with pytest.raises(ValidationError) as caught:
        check_tree(nodes, fields["total_points"])
    assert "Tiêu chí 1: điểm tối đa 8 nhưng các tiêu chí con cộng lại 9." in caught.value.messages


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_points": "1,5"}, "is not a number"),
        ({"max_points": "1.555"}, "at most two decimals"),
        ({"method": "yesno"}, "unknown method"),
        ({"titel": "x"}, "unknown keys ['titel']"),
    ],
)
def test_a_malformed_criterion_is_refused_with_its_place(tmp_path, change, message):
    data = json.loads(AGENCY.read_text(encoding="utf-8"))
    data["criteria"][1]["children"][0]["children"][0].update(change)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        read_rubric_file(broken)
    assert "area 2 (II) › criterion 1 (6) › criterion 1 (6.1)" in str(caught.value)


# In the database ------------------------------------------------------------------------------------


def defaults():
    return Rubric.objects.filter(is_default=True, agency=None)


def assert_stored_as_in_the_files():
    for path in (DEPARTMENT, AGENCY):
        fields, nodes = read_rubric_file(path)
        rubric = defaults().get(name=fields["name"])
        assert rubric.scope == fields["scope"]
        assert rubric.total_points == Decimal(100)
        assert rubric.note == fields["note"]
        assert rubric_tree(rubric) == nodes
        areas = rubric.criteria.filter(parent=None)
        assert [area.label for area in areas] == ROMAN
        for area in areas:
            leaves = RubricCriterion.objects.filter(area=area).exclude(method=Method.GROUP)
            assert sum(leaf.max_points for leaf in leaves) == area.max_points


@pytest.mark.django_db
def test_the_migrated_database_has_both_defaults_with_their_criteria():
    assert set(defaults().values_list("name", flat=True)) == {
        "Bộ tiêu chí chấm điểm CCHC các phòng, đơn vị thuộc Sở (mặc định)",
        "Bộ tiêu chí chỉ số CCHC các sở, ban, ngành (mặc định)",
    }
    assert_stored_as_in_the_files()


@pytest.mark.django_db
def test_loading_again_creates_nothing_new():
    before = (Rubric.objects.count(), RubricCriterion.objects.count())
    assert load_default_rubrics() == []
    assert (Rubric.objects.count(), RubricCriterion.objects.count()) == before


@pytest.mark.django_db
def test_an_agencys_rubric_of_the_same_name_does_not_stop_the_default(agency):
    defaults().filter(scope=Scope.AGENCIES).delete()
    Rubric.objects.create(name="Bộ tiêu chí chỉ số CCHC các sở, ban, ngành (mặc định)", agency=agency)
    created = load_default_rubrics()
    assert [rubric.name for rubric in created] == ["Bộ tiêu chí chỉ số CCHC các sở, ban, ngành (mặc định)"]
    assert created[0].is_default and created[0].agency is None
    assert_stored_as_in_the_files()


@pytest.mark.django_db
def test_the_migration_creates_a_missing_default_through_the_historical_models():
    defaults().delete()
    migration = importlib.import_module("evaluations.migrations.0002_default_rubrics")
    state = MigrationLoader(connection).project_state(("evaluations", "0002_default_rubrics"))
    migration.load_default_rubrics(state.apps, None)
    assert defaults().count() == 2
    assert_stored_as_in_the_files()
    migration.load_default_rubrics(state.apps, None)
    assert defaults().count() == 2
