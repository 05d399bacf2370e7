import random
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connections

from cases.models import Case
from inspections.models import Membership
from tests.factories import add_member, make_case, make_inspection, make_user

HEADER = "case_ref,case_type,ppo,requirements,om_count,assessor\n"


def write(tmp_path, text: str | bytes, name: str = "sample.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("import_cases", *[str(arg) for arg in args], stdout=out)
    return out.getvalue()


def refused(inspection, path) -> str:
    with pytest.raises(CommandError) as caught:
        run(inspection.slug, path)
    assert caught.value.returncode == 2
    assert not Case.objects.filter(inspection=inspection).exclude(case_ref="EXISTING").exists()
    return str(caught.value)


def test_imports_cases_with_typed_attributes_and_allocation(tmp_path, inspection, inspector):
    path = write(
        tmp_path,
        HEADER + "C001,community,true,upw;drr,2,inspector\nC002,licence,FALSE,,,\nC003,,,drr,1,\n",
    )
    assert run(inspection.slug, path) == "testshire-2007: 3 cases imported (1 allocated)\n"
    cases = {case.case_ref: case for case in Case.objects.filter(inspection=inspection)}
    assert cases["C001"].attributes == {
        "case_type": "community",
        "ppo": True,
        "requirements": ["upw", "drr"],
        "om_count": 2,
    }
    assert cases["C001"].assessor == inspector
    # An empty cell is unknown: the attribute is not stored.
    assert cases["C002"].attributes == {"case_type": "licence", "ppo": False}
    assert cases["C002"].assessor is None
    assert cases["C003"].attributes == {"requirements": ["drr"], "om_count": 1}


def test_history_records_the_import(tmp_path, inspection):
    run(inspection.slug, write(tmp_path, "case_ref,ppo\nC001,true\nC002,false\n", name="cumbria sample.csv"))
    history = Case.history.filter(inspection=inspection)
    assert history.count() == 2
    assert {(record.history_type, record.history_change_reason) for record in history} == {
        ("+", "Imported from cumbria sample.csv")
    }


def test_a_subset_of_columns_is_enough(tmp_path, inspection):
    assert (
        run(inspection.slug, write(tmp_path, "case_ref\nC001\nC002\n"))
        == "testshire-2007: 2 cases imported (0 allocated)\n"
    )
    assert list(Case.objects.values_list("attributes", flat=True)) == [{}, {}]


def test_byte_order_mark_crlf_blank_rows_and_quoted_cells(tmp_path, inspection):
    text = '\ufeffcase_ref,requirements\r\n"C-001","upw; drr"\r\n,\r\n\r\n'
    assert (
        run(inspection.slug, write(tmp_path, text.encode("utf-8"))) == "testshire-2007: 1 case imported (0 allocated)\n"
    )
    assert Case.objects.get().attributes == {"requirements": ["upw", "drr"]}


def test_lead_and_local_assessor_may_be_allocated(tmp_path, inspection, lead, local_assessor):
    run(inspection.slug, write(tmp_path, "case_ref,assessor\nC001,lead\nC002,assessor\n"))
    assert dict(Case.objects.values_list("case_ref", "assessor__username")) == {"C001": "lead", "C002": "assessor"}


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "case_ref,colour\nC001,red\n",
            "sample.csv: line 1: column colour: unknown column; expected case_ref, assessor",
        ),
        ("case_ref,ppo,ppo\nC001,true,true\n", "sample.csv: line 1: column ppo: appears more than once in the header"),
        ("ppo\ntrue\n", "sample.csv: line 1: column case_ref: missing"),
        ("case_ref,,ppo\nC001,,true\n", "sample.csv: line 1: column 2: the header cell is empty"),
        ("case_ref,ppo\nC001,true\nC002\n", "sample.csv: line 3: the row has 1 cells but the header has 2"),
        ("case_ref,ppo\nC001,true,x\n", "sample.csv: line 2: the row has 3 cells but the header has 2"),
        ("case_ref,ppo\nC001,maybe\n", "sample.csv: line 2: column ppo: 'maybe' is not one of: true, false"),
        ("case_ref,case_type\nC001,custody\n", "line 2: column case_type: 'custody' is not one of: community, licence"),
        ("case_ref,requirements\nC001,upw;curfew\n", "line 2: column requirements: 'curfew' is not one of: upw, drr"),
        ("case_ref,om_count\nC001,two\n", "sample.csv: line 2: column om_count: 'two' is not a whole number"),
        ("case_ref,ppo\n,true\n", "sample.csv: line 2: column case_ref: empty"),
        (f"case_ref\n{'X' * 61}\n", "sample.csv: line 2: column case_ref: 'XXXXXXXXXXXXXXXXXXXX…' is longer than 60"),
        (
            "case_ref\nC001\nC002\nC001\n",
            "sample.csv: line 4: column case_ref: duplicate case reference 'C001' (first on",
        ),
        ("case_ref\nEXISTING\n", "sample.csv: line 2: column case_ref: case 'EXISTING' is already in the inspection"),
        (
            "case_ref,assessor\nC001,nobody\n",
            "line 2: column assessor: 'nobody' is not an inspector, local assessor or lead",
        ),
        ("case_ref,assessor\nC001,observer\n", "line 2: column assessor: 'observer' is not an inspector"),
        ("case_ref,assessor\nC001,other_inspector\n", "column assessor: 'other_inspector' is not an inspector"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(tmp_path, inspection, other_inspection_member, text, message):
    make_case(inspection, "EXISTING")
    add_member(inspection, make_user("observer"), Membership.Role.OBSERVER)
    assert message in refused(inspection, write(tmp_path, text))


def test_every_problem_is_reported_at_once_in_line_order(tmp_path, inspection):
    text = "case_ref,ppo,om_count,colour\nC001,maybe,1,red\n,true,x,red\nC001,false,2,blue\nC004\n"
    error = refused(inspection, write(tmp_path, text))
    lines = error.splitlines()
    assert lines[0] == "sample.csv: nothing was imported; 6 problems:"
    assert lines[1:] == [
        "sample.csv: line 1: column colour: unknown column; expected case_ref, assessor or a case attribute of "
        "mini-test: case_type, ppo, requirements, om_count",
        "sample.csv: line 2: column ppo: 'maybe' is not one of: true, false",
        "sample.csv: line 3: column case_ref: empty: every case needs a reference",
        "sample.csv: line 3: column om_count: 'x' is not a whole number",
        "sample.csv: line 4: column case_ref: duplicate case reference 'C001' (first on line 2)",
        "sample.csv: line 5: the row has 1 cells but the header has 4",
    ]


def test_line_numbers_count_physical_lines_of_multiline_cells(tmp_path, inspection):
    text = 'case_ref,case_type\n"C\n001",community\nC002,bad\n'
    assert "sample.csv: line 4: column case_type: 'bad'" in refused(inspection, write(tmp_path, text))


def test_file_that_is_not_utf8_is_refused(tmp_path, inspection):
    data = "case_ref,case_type\nC001,community\nCé02,licence\n".encode("latin-1")
    error = refused(inspection, write(tmp_path, data))
    assert "sample.csv: line 3: the file is not UTF-8 text" in error


@pytest.mark.parametrize("text", ["", "\n\n", "  \n"])
def test_empty_file_is_refused(tmp_path, inspection, text):
    assert "sample.csv: line 1: the file is empty" in refused(inspection, write(tmp_path, text))


def test_header_only_imports_nothing(tmp_path, inspection):
    assert run(inspection.slug, write(tmp_path, "case_ref,ppo\n")) == "testshire-2007: 0 cases imported (0 allocated)\n"


def test_unknown_inspection_and_missing_file(tmp_path, inspection):
    with pytest.raises(CommandError) as caught:
        run("nowhere-2000", write(tmp_path, "case_ref\nC001\n"))
    assert caught.value.returncode == 2 and "no inspection with slug 'nowhere-2000'" in str(caught.value)
    with pytest.raises(CommandError) as caught:
        run(inspection.slug, tmp_path / "missing.csv")
    assert caught.value.returncode == 2 and "missing.csv: cannot read the file" in str(caught.value)


def test_command_line_exit_status_and_stderr(tmp_path, inspection, capsys, monkeypatch):
    # run_from_argv closes the database connections when it ends; the test still needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = write(tmp_path, "case_ref,ppo\nC001,maybe\n")
    with pytest.raises(SystemExit) as caught:
        ManagementUtility(["manage.py", "import_cases", inspection.slug, str(path)]).execute()
    assert caught.value.code == 2
    stderr = capsys.readouterr().err
    assert "\nsample.csv: line 2: column ppo: 'maybe' is not one of: true, false\n" in stderr
    assert not Case.objects.exists()


def test_query_count_does_not_grow_with_the_file(tmp_path, inspection, inspector, django_assert_max_num_queries):
    rows = "".join(f"C{number:03},community,true,upw,1,inspector\n" for number in range(200))
    with django_assert_max_num_queries(10):
        run(inspection.slug, write(tmp_path, HEADER + rows))
    assert Case.objects.count() == 200


OMI_COLUMNS = [
    "case_ref",
    "case_type",
    "gender",
    "ethnicity",
    "rosh",
    "mappa_level",
    "tier",
    "ppo",
    "requirements",
    "svc_case",
    "ap_resident",
    "identifiable_victim",
    "offending_factors",
    "om_count",
    "om_grade",
    "assessor",
]


def omi_sample_csv(count: int, seed: int = 2006) -> str:
    """A sample as an area would send it: realistic values, some unknown."""
    rng = random.Random(seed)
    lines = [",".join(OMI_COLUMNS)]
    for number in range(1, count + 1):
        case_type = rng.choice(["community", "community", "licence"])
        requirements = ";".join(rng.sample(["supervision", "upw", "drr", "curfew"], rng.randint(1, 2)))
        lines.append(
            ",".join(
                [
                    f"CU-{number:04}",
                    case_type,
                    rng.choice(["male"] * 7 + ["female"]),
                    rng.choice(["white"] * 8 + ["black", "asian", "mixed", ""]),
                    rng.choice(["low", "medium", "medium", "high", "very_high", ""]),
                    rng.choice(["none", "none", "level_1", "level_2"]),
                    rng.choice(["tier_1", "tier_2", "tier_3", "tier_4"]),
                    rng.choice(["true", "false", "false", "false"]),
                    f'"{requirements}"' if case_type == "community" else "",
                    rng.choice(["true", "false"]),
                    rng.choice(["false", "false", "true"]) if case_type == "licence" else "false",
                    rng.choice(["true", "false"]),
                    "drugs;accommodation",
                    str(rng.randint(1, 3)),
                    rng.choice(["po", "pso"]),
                    rng.choice(["inspector", "", ""]),
                ]
            )
        )
    return "\n".join(lines) + "\n"


def test_realistic_sample_against_the_omi_framework(tmp_path, frameworks):
    inspection = make_inspection(slug="cumbria-2006", framework="omi-2006", area="Cumbria")
    add_member(inspection, make_user("inspector"), Membership.Role.INSPECTOR)
    output = run(inspection.slug, write(tmp_path, omi_sample_csv(100), name="cumbria-sample.csv"))
    allocated = Case.objects.filter(inspection=inspection, assessor__isnull=False).count()
    assert output == f"cumbria-2006: 100 cases imported ({allocated} allocated)\n"
    assert 0 < allocated < 100
    case = Case.objects.get(inspection=inspection, case_ref="CU-0001")
    assert isinstance(case.attributes["ppo"], bool) and isinstance(case.attributes["om_count"], int)
    assert case.attributes["offending_factors"] == ["drugs", "accommodation"]


def test_realistic_sample_with_a_wrong_code_names_the_framework(tmp_path, frameworks):
    inspection = make_inspection(slug="cumbria-2006", framework="omi-2006", area="Cumbria")
    text = "case_ref,case_type,rosh_level\nCU-1,custody,high\n"
    error = refused(inspection, write(tmp_path, text))
    assert (
        "sample.csv: line 1: column rosh_level: unknown column; expected case_ref, assessor or a case attribute of "
        "omi-2006: case_type, gender, ethnicity, rosh," in error
    )
    assert "sample.csv: line 2: column case_type: 'custody' is not one of: community, licence" in error
