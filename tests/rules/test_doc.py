"""docs/rules.md is generated from the code and checked in CI."""

import subprocess
import sys
from pathlib import Path

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
