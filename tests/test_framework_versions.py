"""previous_version and replaces: validation in the file, checks against the loaded previous
version, and the correspondence of codes across versions (never by guess)."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from inspections.framework_versions import correspondence
from inspections.models import Framework

FILES = Path(__file__).parent / "framework_files"
V1 = FILES / "mini-test.v1.yaml"
V2 = FILES / "mini-test.v2.yaml"


def v2() -> dict:
    return yaml.safe_load(V2.read_text())


def write(tmp_path: Path, definition: dict, name: str = "mini-test.v2.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(definition, sort_keys=False))
    return path


def load(*paths) -> str:
    out = StringIO()
    call_command("load_frameworks", *[str(path) for path in paths], stdout=out)
    return out.getvalue()


def refused(*paths) -> str:
    with pytest.raises(CommandError) as caught:
        load(*paths)
    assert caught.value.returncode == 2
    return str(caught.value)


def first_criterion(definition: dict) -> dict:
    return definition["sections"][0]["criteria"][0]


def test_a_version_loads_after_or_with_its_previous_version(db):
    assert load(V1, V2) == "mini-test 1 loaded\nmini-test 2 loaded\n"
    definition = Framework.objects.get(code="mini-test", version="2").definition
    assert definition["previous_version"] == "1"
    assert first_criterion(definition)["replaces"] == "1.1"
    assert first_criterion(definition)["questions"][2]["replaces"] == "1.1.03"
    assert load(V2) == "mini-test 2 unchanged\n"


def test_the_previous_version_must_be_loaded(db):
    message = refused(V2)
    assert "mini-test.v2.yaml: previous_version: mini-test version 1 is not loaded" in message
    assert not Framework.objects.exists()


def test_replaces_must_name_something_of_the_previous_version(db, tmp_path):
    load(V1)
    definition = v2()
    first_criterion(definition)["questions"][2]["replaces"] = "1.1.09"
    first_criterion(definition)["replaces"] = "9.9"
    message = refused(write(tmp_path, definition))
    assert "question 1.1.04.replaces: version 1 has no question '1.1.09'" in message
    assert "criterion 1.1.replaces: version 1 has no criterion '9.9'" in message
    assert not Framework.objects.filter(version="2").exists()


def test_replaces_needs_a_previous_version(db, tmp_path):
    definition = v2()
    del definition["previous_version"]
    message = refused(write(tmp_path, definition))
    assert "previous_version: is required where a criterion or question says what it replaces" in message


def test_previous_version_cannot_be_itself(db, tmp_path):
    definition = v2()
    definition["previous_version"] = "2"
    assert "previous_version: names this file's own version" in refused(write(tmp_path, definition))


def test_nothing_is_replaced_twice(db, tmp_path):
    definition = v2()
    first_criterion(definition)["questions"][1]["replaces"] = "1.1.03"
    assert "question 1.1.04.replaces: question 1.1.02 already replaces '1.1.03'" in refused(write(tmp_path, definition))


@pytest.mark.parametrize("value", [["1.1.03"], {"code": "1.1.03"}, True, "1.1 03"])
def test_replaces_must_be_a_code(db, tmp_path, value):
    definition = v2()
    first_criterion(definition)["questions"][2]["replaces"] = value
    assert "question 1.1.04.replaces:" in refused(write(tmp_path, definition))


def test_correspondence_follows_declarations_only(db):
    load(V1, V2)
    definitions = dict(Framework.objects.filter(code="mini-test").values_list("version", "definition"))
    mapping = correspondence(definitions["2"], "1", definitions)
    assert mapping.criteria == {"1.1": "1.1", "2.1": "2.1"}  # 1.2 is new
    # 1.1.02 exists in both versions but is not declared: not comparable. 1.1.04 continues 1.1.03.
    assert mapping.questions == {"1.1.01": "1.1.01", "1.1.04": "1.1.03", "1.1.S": "1.1.S"}
    same = correspondence(definitions["1"], "1", definitions)
    assert same.questions["1.1.02"] == "1.1.02"
    assert correspondence(definitions["1"], "2", definitions) is None  # not an ancestor


def test_correspondence_chains_through_versions_and_stops_at_a_gap():
    def version(number, previous, questions):
        return {
            "code": "x",
            "version": number,
            **({"previous_version": previous} if previous else {}),
            "sections": [{"criteria": [{"code": "1", "questions": questions}]}],
        }

    v1 = version("1", None, [{"code": "a"}, {"code": "b"}])
    v2_ = version("2", "1", [{"code": "a2", "replaces": "a"}, {"code": "b2", "replaces": "b"}])
    v3 = version("3", "2", [{"code": "a3", "replaces": "a2"}, {"code": "b3"}])
    definitions = {"1": v1, "2": v2_, "3": v3}
    assert correspondence(v3, "1", definitions).questions == {"a3": "a"}
    cyclic = {"1": {**v1, "previous_version": "3"}, "2": v2_, "3": v3}
    assert correspondence(v3, "9", cyclic) is None
