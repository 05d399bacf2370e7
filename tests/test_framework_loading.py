"""Loading framework files: validation of each kind of bad file, idempotence and freezing."""

import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from inspections.models import Framework, Question
from tests.factories import make_inspection

MINI = Path(__file__).parent / "framework_files" / "mini-test.v1.yaml"


def mini() -> dict:
    return yaml.safe_load(MINI.read_text())


def write(tmp_path: Path, definition: dict, name: str = "mini-test.v1.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, sort_keys=False))
    return path


def load(*paths) -> str:
    out = StringIO()
    call_command("load_frameworks", *[str(p) for p in paths], stdout=out)
    return out.getvalue()


def refused(*paths) -> str:
    with pytest.raises(CommandError) as caught:
        load(*paths)
    assert caught.value.returncode == 2
    assert Framework.objects.count() == 0 or "frozen" in str(caught.value)
    return str(caught.value)


def questions(definition: dict) -> list[dict]:
    return definition["sections"][0]["criteria"][0]["questions"]


def test_loads_a_valid_file(db):
    assert load(MINI) == "mini-test 1 loaded\n"
    framework = Framework.objects.get(code="mini-test")
    assert framework.sections.count() == 2
    assert framework.criteria.count() == 2
    question = Question.objects.get(framework=framework, code="1.1.02")
    assert question.applies_when == {"1.1.01": ["yes"]}
    assert list(question.headlines.values_list("code", flat=True)) == ["roh"]
    assert question.scale.options.get(code="yes").sufficient is True


def test_reload_of_unchanged_file_changes_nothing(db):
    load(MINI)
    before = Framework.objects.get().pk, Question.objects.count()
    assert load(MINI) == "mini-test 1 unchanged\n"
    assert (Framework.objects.get().pk, Question.objects.count()) == before


def test_changed_file_for_unused_version_is_reloaded(db, tmp_path):
    load(MINI)
    changed = mini()
    questions(changed)[1]["text"] = "Was the report completed on time?"
    assert load(write(tmp_path, changed)) == "mini-test 1 loaded\n"
    assert Question.objects.get(code="1.1.02").text == "Was the report completed on time?"


def test_changed_file_for_frozen_version_is_refused(db, tmp_path):
    load(MINI)
    make_inspection(framework="mini-test")
    changed = mini()
    questions(changed)[1]["text"] = "Something else"
    message = refused(write(tmp_path, changed))
    assert "mini-test version 1 is used by an inspection and is frozen" in message
    assert Question.objects.get(code="1.1.02").text == "Was the report on time?"


def test_new_version_loads_beside_frozen_one(db, tmp_path):
    load(MINI)
    make_inspection(framework="mini-test")
    changed = mini()
    changed["version"] = "2"
    assert load(write(tmp_path, changed, "mini-test.v2.yaml")) == "mini-test 2 loaded\n"
    assert sorted(Framework.objects.values_list("version", flat=True)) == ["1", "2"]


def _bad(mutate):
    definition = mini()
    mutate(definition)
    return definition


BAD_FILES = {
    "unknown scale": (
        lambda d: questions(d)[0].update(scale="maybe"),
        "questions[0] (1.1.01).scale: unknown scale 'maybe'",
    ),
    "duplicate question code": (
        lambda d: questions(d)[2].update(code="1.1.02"),
        "duplicate question code '1.1.02'",
    ),
    "duplicate criterion code": (
        lambda d: d["sections"][1]["criteria"][0].update(code="1.1"),
        "duplicate criterion code '1.1'",
    ),
    "applies_when names a later question": (
        lambda d: questions(d)[0].update(applies_when={"1.1.03": ["correct"]}),
        "names a later or unknown question '1.1.03'",
    ),
    "applies_when names an unknown question": (
        lambda d: questions(d)[1].update(applies_when={"9.9.99": ["yes"]}),
        "names a later or unknown question '9.9.99'",
    ),
    "applies_when names an option the gate does not have": (
        lambda d: questions(d)[1].update(applies_when={"1.1.01": ["perhaps"]}),
        "'perhaps' is not an option of question 1.1.01",
    ),
    "summary weight above 1": (
        lambda d: d["rules"].update(summary_weight=1.5),
        "rules.summary_weight: must be between 0 and 1, not 1.5",
    ),
    "summary weight below 0": (
        lambda d: d["rules"].update(summary_weight=-0.1),
        "rules.summary_weight: must be between 0 and 1",
    ),
    "scale with no sufficient option": (
        lambda d: [o.update(sufficient=False) for o in d["scales"]["yes_no"]["options"]],
        "scales.yes_no: has no sufficient option",
    ),
    "unknown attribute in applies_to": (
        lambda d: questions(d)[0].update(applies_to={"colour": ["red"]}),
        "unknown case attribute 'colour'",
    ),
    "value not a choice of the attribute": (
        lambda d: questions(d)[0].update(applies_to={"case_type": ["custody"]}),
        "'custody' is not a choice of 'case_type'",
    ),
    "unknown headline": (
        lambda d: questions(d)[0].update(headlines=["lor"]),
        "unknown headline 'lor'",
    ),
    "headline outside its sections": (
        lambda d: d["headlines"][0].update(sections=["2"]),
        "headline 'roh' only takes questions in sections 2",
    ),
    "two summary questions": (
        lambda d: questions(d)[2].update(summary=True),
        "has 2 summary questions; at most one is allowed",
    ),
    "unknown key": (
        lambda d: questions(d)[0].update(colour="red"),
        "unknown key 'colour'",
    ),
    "missing required key": (
        lambda d: d.pop("scales"),
        "missing required key 'scales'",
    ),
    "unquoted yes as an option code": (
        lambda d: d["scales"]["yes_no"]["options"][0].update(code=True),
        "code must be text, not the boolean true (quote yes/no/on/off in YAML)",
    ),
    "leadership criterion with questions": (
        lambda d: d["sections"][1]["criteria"][0].update(
            questions=[{"code": "2.1.01", "text": "Q?", "scale": "yes_no"}]
        ),
        "a leadership criterion is graded, not scored",
    ),
    "unknown section method": (
        lambda d: d["rules"].update(section_score="median"),
        "rules.section_score: must be one of",
    ),
    "priority judgement not in the scale": (
        lambda d: d["rules"].update(priority_judgements={"below": "awful", "at_or_above": "good"}),
        "'awful' is not a criterion judgement",
    ),
    "sample minimum on unknown attribute": (
        lambda d: d["sample"]["minimums"][0].update(where={"bme": [True]}),
        "unknown case attribute with choices 'bme'",
    ),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_file_is_refused_with_file_entry_and_problem(db, tmp_path, name):
    mutate, expected = BAD_FILES[name]
    path = write(tmp_path, _bad(mutate))
    message = refused(path)
    assert f"{path}: " in message
    assert expected in message


def test_yaml_syntax_error_names_line(db, tmp_path):
    path = tmp_path / "broken.v1.yaml"
    path.write_text("code: broken\nversion: '1'\ntitle: [unclosed\n")
    message = refused(path)
    assert f"{path}: line " in message and "YAML syntax error" in message


def test_all_problems_reported_at_once(db, tmp_path):
    definition = mini()
    questions(definition)[0]["scale"] = "maybe"
    definition["rules"]["summary_weight"] = 2
    message = refused(write(tmp_path, definition))
    assert "unknown scale 'maybe'" in message and "summary_weight" in message


def test_one_bad_file_loads_nothing(db, tmp_path):
    good = mini()
    good["code"], good["version"] = "other-test", "1"
    good_path = write(tmp_path, good, "other-test.v1.yaml")
    bad = _bad(lambda d: questions(d)[0].update(scale="maybe"))
    refused(good_path, write(tmp_path, bad))
    assert not Framework.objects.exists()


def test_file_name_must_match_code_and_version(db, tmp_path):
    message = refused(write(tmp_path, mini(), "mini-test.v7.yaml"))
    assert "file name says mini-test version 7" in message


def test_missing_file(db, tmp_path):
    assert "no such file" in refused(tmp_path / "nope.yaml")


def test_yes_no_codes_survive_unquoted(db, tmp_path):
    text = MINI.read_text().replace('{code: "yes"', "{code: yes").replace('{code: "no"', "{code: no")
    path = tmp_path / "mini-test.v1.yaml"
    path.write_text(text)
    load(path)
    assert set(Framework.objects.get().scales.get(code="yes_no").options.values_list("code", flat=True)) == {
        "yes",
        "no",
    }


def test_export_round_trip(db):
    load(MINI)
    out = StringIO()
    call_command("export_framework", "mini-test", stdout=out)
    exported = json.loads(out.getvalue())
    assert list(exported)[:3] == ["code", "version", "title"]
    assert exported["judgement_scales"] == {"criterion": ["good", "priority"], "leadership": ["well_met", "not_met"]}
    assert exported["rules"]["summary_weight"] == 0.2
    question = exported["sections"][0]["criteria"][0]["questions"][0]
    assert question["applies_to"] == {"case_type": ["community"]}
    assert "applies_when" not in question
    assert exported["case_attributes"][1]["choices"] == [True, False]
    assert exported["case_attributes"][3]["type"] == "integer"
    assert exported["scales"]["yes_no"]["options"][0] == {"code": "yes", "label": "Yes", "sufficient": True}


def test_export_unknown_framework(db):
    with pytest.raises(CommandError) as caught:
        call_command("export_framework", "nope", stdout=StringIO())
    assert "no framework 'nope'" in str(caught.value)


# ------------------------------------------------------------------------------ the report block


def with_text_part(definition: dict, path: str = "texts/role.md") -> dict:
    definition["report"]["parts"].append({"part": "text", "id": "role", "title": "Role", "file": path})
    return definition


def test_unknown_report_layout_is_refused_with_file_entry_and_problem(db, tmp_path):
    definition = mini()
    definition["report"]["layout"] = "omi3"
    path = write(tmp_path, definition)
    message = refused(path)
    assert f"{path}: report.layout: unknown report layout 'omi3' (known layouts: iaow, omi, omi2)" in message


def test_a_kind_of_part_the_layout_lacks_is_refused(db, tmp_path):
    definition = mini()
    definition["report"]["parts"].append({"part": "outcomes"})  # an IAOW chapter in an OMI layout
    index = len(definition["report"]["parts"]) - 1
    message = refused(write(tmp_path, definition))
    assert f"report.parts[{index}] (outcomes).part: layout 'omi' has no part 'outcomes'" in message


def test_missing_fixed_text_file_is_refused(db, tmp_path):
    definition = with_text_part(mini())
    path = write(tmp_path, definition)
    message = refused(path)
    index = len(definition["report"]["parts"]) - 1
    assert f"{path}: report.parts[{index}] (role).file: texts/role.md: no such file" in message


def test_fixed_text_outside_the_framework_folder_is_refused(db, tmp_path):
    message = refused(write(tmp_path, with_text_part(mini(), "../role.md")))
    assert "must be a path inside the framework folder" in message


def test_fixed_texts_are_loaded_into_the_definition_and_frozen_with_it(db, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "role.md").write_text("# Role\n\nWe inspect.\n")
    path = write(tmp_path, with_text_part(mini()))
    assert load(path) == "mini-test 1 loaded\n"
    framework = Framework.objects.get()
    assert framework.definition["report"]["parts"][-1]["text"] == "# Role\n\nWe inspect.\n"
    make_inspection(framework="mini-test")
    (tmp_path / "texts" / "role.md").write_text("# Role\n\nWe inspect differently.\n")
    assert "is frozen" in refused(path)


def test_a_glossary_must_be_pairs(db, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "glossary.yaml").write_text("- [ACO, Assistant chief officer]\n- [just a term]\n")
    definition = mini()
    definition["report"]["parts"].append({"part": "glossary", "title": "Glossary", "file": "texts/glossary.yaml"})
    message = refused(write(tmp_path, definition))
    assert "texts/glossary.yaml: entry 2 must be a pair of texts [term, meaning]" in message
