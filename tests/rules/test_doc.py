"""docs/rules.md is generated from the code and checked in CI."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from piis.rules import doc
from piis.rules.params import PARAMETERS

REPO = Path(__file__).resolve().parents[2]


def test_generation_is_deterministic_and_lists_rules_params_and_sources():
    text = doc.generate()
    assert text == doc.generate()
    assert "### R39" in text and "earliest_signature_date" in text
    assert "### P5 `reflection_days`" in text
    assert "Source keys:" in text and "WS-CC2" in text
    for name in PARAMETERS:
        assert f"`{name}`" in text


def test_rule_ids_parsing():
    assert doc.rule_ids("R9–R11, R15 — text") == ("R9", "R10", "R11", "R15")
    assert doc.rule_ids("S-Time-21 — text") == ("S-Time-21",)
    assert doc.rule_ids("no ids here") == ()
    assert doc.rule_ids("Not an ID — text") == ()
    assert doc.rule_ids(None) == ()


def test_main_prints_and_checks(tmp_path, capsys):
    assert doc.main([]) == 0
    printed = capsys.readouterr().out
    assert printed == doc.generate()
    target = tmp_path / "rules.md"
    assert doc.main(["--check", str(target)]) == 1
    assert "out of date" in capsys.readouterr().err
    target.write_text(printed, encoding="utf-8")
    assert doc.main(["--check", str(target)]) == 0
    target.write_text(printed + "edited by hand\n", encoding="utf-8")
    assert doc.main(["--check", str(target)]) == 1


def test_committed_document_is_up_to_date():
    committed = REPO / "docs" / "rules.md"
    assert committed.read_text(encoding="utf-8") == doc.generate(), "run `make rules-doc`"


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "piis.rules.doc", "--check", str(REPO / "docs" / "rules.md")],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _write(root, relative, text):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def _fake_spec(tmp_path):
    spec = tmp_path / "piis-rules.md"
    heading = "**R{n} — Rule number {n}.** `LEGAL` Text of the rule."
    spec.write_text("# Rules\n\n" + "\n\n".join(heading.format(n=n) for n in range(1, 80)) + "\n", encoding="utf-8")
    return spec


APP_MODULE = """\
    import piis.rules
    import piis.rules.signature as sig
    from other.place import check_signature as unrelated
    from piis import rules
    from piis.rules import Period, meeting_deadline
    from piis.rules import earliest_signature_date as esd
    from piis.rules.obligation import *

    FIRST = esd(None)


    class ContractPage:
        def get(self):
            unrelated()
            Period(None, None)
            return sig.check_signature(), esd(None), esd(None)

        class Inner:
            def deadline(self):
                return rules.meeting_deadline(None)


    async def agenda():
        def line():
            return piis.rules.signature.earliest_signature_date(None)

        return meeting_deadline(None), conclusion_deadline(None), line
    """


def _fake_tree(tmp_path):
    root = tmp_path / "repo"
    _write(root, "piis/contracts/views.py", APP_MODULE)
    _write(root, "piis/www/__init__.py", 'PATTERN = "\\d+"  # an invalid escape warns, and does not stop the scan\n')
    _write(
        root, "piis/rules/helpers.py", "from piis.rules import earliest_signature_date\nearliest_signature_date(1)\n"
    )
    _write(root, "piis/contracts/migrations/0001_initial.py", "from piis.rules import add_months\nadd_months(1, 2)\n")
    _write(
        root,
        "tests/contracts/test_sign.py",
        """\
        import pytest


        @pytest.mark.scenario("T15", rules=("R39",))
        def test_t15_signature_after_reflection():
            assert "pytest.mark.scenario('T99', rules=('R1',))"


        class TestAgenda:
            @pytest.mark.scenario("T20", ("R41", "R39"))
            def test_t20_meeting(self):
                pass

            @pytest.mark.scenario("T2")
            def test_t2_without_rules(self):
                pass


        @pytest.mark.parametrize("n", [1])
        @pytest.mark.scenario("T9", rules="R4")
        def test_t9_top_up(n):
            pass


        TID = "T10"


        @pytest.mark.scenario(TID, rules=("R1",), reason="a T-ID not written out is not read")
        def test_t10_by_name():
            pass
        """,
    )
    return root


def test_call_sites_are_found_by_parsing_the_app(tmp_path):
    root = _fake_tree(tmp_path)
    sites = doc.call_sites(root)
    assert [(s.path, s.scope, s.function) for s in sites] == [
        ("piis/contracts/views.py", "<module>", "earliest_signature_date"),
        ("piis/contracts/views.py", "ContractPage.Inner.deadline", "meeting_deadline"),
        ("piis/contracts/views.py", "ContractPage.get", "check_signature"),
        ("piis/contracts/views.py", "ContractPage.get", "earliest_signature_date"),
        ("piis/contracts/views.py", "agenda", "conclusion_deadline"),
        ("piis/contracts/views.py", "agenda", "meeting_deadline"),
        ("piis/contracts/views.py", "agenda.line", "earliest_signature_date"),
    ]  # piis/rules, migrations, classes (Period) and look-alikes from other packages are not call sites
    assert doc.call_sites(root) == sites


def test_scenario_tests_are_found_by_parsing_the_tests(tmp_path):
    root = _fake_tree(tmp_path)
    assert [(t.tid, t.rules, t.node_id) for t in doc.scenario_tests(root)] == [
        ("T2", (), "tests/contracts/test_sign.py::TestAgenda::test_t2_without_rules"),
        ("T9", ("R4",), "tests/contracts/test_sign.py::test_t9_top_up"),
        ("T15", ("R39",), "tests/contracts/test_sign.py::test_t15_signature_after_reflection"),
        ("T20", ("R41", "R39"), "tests/contracts/test_sign.py::TestAgenda::test_t20_meeting"),
    ]


def _section(text, rule):
    return text.split(f"\n### {rule} ", 1)[1].split("\n### ", 1)[0]


def test_each_rule_lists_title_functions_scenarios_and_call_sites(tmp_path):
    text = doc.generate(root=_fake_tree(tmp_path), spec=_fake_spec(tmp_path))
    r39 = _section(text, "R39")
    assert r39.startswith("— Rule number 39\n")
    assert "Functions: `piis.rules.signature.check_signature`, `piis.rules.signature.earliest_signature_date`" in r39
    assert "- T15 `tests/contracts/test_sign.py::test_t15_signature_after_reflection`" in r39
    assert "- T20 `tests/contracts/test_sign.py::TestAgenda::test_t20_meeting`" in r39
    assert (
        "- `piis/contracts/views.py:<module>` (`earliest_signature_date`)\n"
        "- `piis/contracts/views.py:ContractPage.get` (`check_signature`, `earliest_signature_date`)\n"
        "- `piis/contracts/views.py:agenda.line` (`earliest_signature_date`)\n"
    ) in r39
    r41 = _section(text, "R41")
    assert "`piis/contracts/views.py:agenda` (`meeting_deadline`)" in r41
    assert "piis/rules/helpers.py" not in text and "0001_initial" not in text
    r13 = _section(text, "R13")  # add_months is only called from a migration
    assert "Scenario tests: none." in r13
    assert "`piis/contracts/views.py:agenda` (`conclusion_deadline`)" in r13
    r49 = _section(text, "R49")
    assert "Call sites in the app: not called by the app yet." in r49
    r48 = _section(text, "R48")
    assert "Functions: none in the rules core.\nData classes: `piis.rules.evaluation.Evaluation`." in r48
    r6 = _section(text, "R6")
    assert r6.startswith("— Rule number 6\n")
    assert "Functions: none in the rules core." in r6 and "Call sites in the app: none (no function)." in r6
    assert "- T9 `tests/contracts/test_sign.py::test_t9_top_up`" in _section(text, "R4")


def test_check_mode_fails_when_a_call_site_or_a_scenario_is_added(tmp_path, capsys):
    root = _fake_tree(tmp_path)
    spec = _fake_spec(tmp_path)
    target = tmp_path / "rules.md"
    target.write_text(doc.generate(root=root, spec=spec), encoding="utf-8")
    options = ["--check", str(target), "--root", str(root), "--spec", str(spec)]
    assert doc.main(options) == 0
    _write(
        root, "piis/www/home.py", "from piis.rules import evaluation_years\n\ndef home():\n    evaluation_years()\n"
    )
    assert doc.main(options) == 1
    assert "out of date" in capsys.readouterr().err
    target.write_text(doc.generate(root=root, spec=spec), encoding="utf-8")
    assert doc.main(options) == 0
    _write(
        root,
        "tests/test_more.py",
        'import pytest\n\n@pytest.mark.scenario("T21", rules=("R43",))\ndef test_t21():\n    pass\n',
    )
    assert doc.main(options) == 1


def test_missing_spec_or_tree_fails_with_a_clear_message(tmp_path, capsys):
    root = _fake_tree(tmp_path)
    missing = tmp_path / "nowhere" / "piis-rules.md"
    assert doc.main(["--root", str(root), "--spec", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "piis-rules.md not found" in err and str(missing) in err
    assert doc.main(["--root", str(tmp_path / "empty"), "--spec", str(_fake_spec(tmp_path))]) == 2
    assert "no piis/ folder" in capsys.readouterr().err
    (tmp_path / "app" / "piis").mkdir(parents=True)
    assert doc.main(["--root", str(tmp_path / "app"), "--spec", str(_fake_spec(tmp_path))]) == 2
    assert "no tests/ folder" in capsys.readouterr().err
    incomplete = tmp_path / "incomplete.md"
    incomplete.write_text("**R1 — Under-25 obligation.** text\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no heading for R2"):
        doc.rule_titles(incomplete)


def test_titles_come_from_the_spec_headings(tmp_path):
    titles = doc.rule_titles(_fake_spec(tmp_path))
    assert titles["R1"] == "Rule number 1" and len(titles) == 79
    if doc.SPEC_PATH.is_file():  # the real file, beside the repository
        real = doc.rule_titles(doc.SPEC_PATH)
        assert real["R39"] == "Reflection period: 5 CALENDAR days"
        assert real["R2"] == '"New beneficiary" obligation (since 1 Nov 2016)'
