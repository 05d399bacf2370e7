from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inspections.models import Area, Inspection


def run(*args) -> str:
    out = StringIO()
    call_command("create_inspection", *args, stdout=out)
    return out.getvalue()


def test_creates_area_and_inspection(mini_framework):
    output = run(
        "--framework", "mini-test", "--area", "Cumbria", "--slug", "cumbria-2006", "--fieldwork-start", "2006-10-02"
    )
    assert output.startswith("cumbria-2006 created")
    inspection = Inspection.objects.get(slug="cumbria-2006")
    assert inspection.area.name == "Cumbria"
    assert inspection.framework.code == "mini-test"
    assert str(inspection.fieldwork_start) == "2006-10-02"
    assert inspection.title == "Miniature test framework of Cumbria 2006"
    assert inspection.framework.is_frozen


def test_reuses_an_existing_area(mini_framework):
    run("--framework", "mini-test", "--area", "Cumbria", "--slug", "cumbria-2006")
    run("--framework", "mini-test", "--area", "cumbria", "--slug", "cumbria-2009", "--title", "Second look")
    assert Area.objects.count() == 1
    assert Inspection.objects.get(slug="cumbria-2009").title == "Second look"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--framework", "nope", "--area", "A", "--slug", "a-1"], "unknown framework 'nope'"),
        (["--framework", "mini-test", "--area", "A", "--slug", "Not A Slug"], "is not a valid slug"),
        (["--framework", "mini-test", "--area", "A", "--slug", "a-1", "--fieldwork-start", "2006-13-01"], "not a date"),
        (["--framework", "mini-test", "--area", " ", "--slug", "a-1"], "the area needs a name"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(mini_framework, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value)
    assert caught.value.returncode == 2
    assert not Inspection.objects.exists() and not Area.objects.exists()


def test_existing_slug_is_refused(mini_framework):
    run("--framework", "mini-test", "--area", "Cumbria", "--slug", "cumbria-2006")
    with pytest.raises(CommandError) as caught:
        run("--framework", "mini-test", "--area", "Elsewhere", "--slug", "cumbria-2006")
    assert "already exists" in str(caught.value)
    assert not Area.objects.filter(name="Elsewhere").exists()
