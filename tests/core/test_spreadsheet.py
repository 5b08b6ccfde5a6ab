"""CSV exports never carry a live spreadsheet formula (piis.core.spreadsheet)."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from piis.core.spreadsheet import csv_writer, safe_cell

PIIS = Path(__file__).resolve().parents[2] / "piis"
WRITERS = {"writer", "DictWriter"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil.example","open")', '\'=HYPERLINK("http://evil.example","open")'),
        ("+32 470 12 34 56", "'+32 470 12 34 56"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Dupont = Durand", "Dupont = Durand"),  # not at the start: plain text
        ("", ""),
        (None, None),
        (42, 42),
        (-5, -5),  # a number stays a number
        (Decimal("-12.50"), Decimal("-12.50")),
        ({"name": ["=A1", "B"]}, "{'name': ['=A1', 'B']}"),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value, written):
    assert safe_cell(value) == written


def test_the_writer_neutralises_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", "ok"])
    writer.writerows([["@x", 3], ["-y", None]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["'=1+1", "ok"], ["'@x", "3"], ["'-y", ""]]


def test_no_csv_is_written_in_piis_but_through_the_safe_writer():
    """A new export that calls csv.writer directly would let formulas through: use piis.core.spreadsheet."""
    direct = []
    for path in sorted(PIIS.rglob("*.py")):
        if path == PIIS / "core" / "spreadsheet.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            attribute = (
                isinstance(node, ast.Attribute)
                and node.attr in WRITERS
                and isinstance(node.value, ast.Name)
                and node.value.id == "csv"
            )
            imported = isinstance(node, ast.ImportFrom) and node.module == "csv"
            if attribute or (imported and {alias.name for alias in node.names} & WRITERS):
                direct.append(f"{path.relative_to(PIIS)}:{node.lineno}")
    assert direct == []
