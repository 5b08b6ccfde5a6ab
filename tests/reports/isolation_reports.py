"""Tenant isolation of the reports (collected by tests/core/test_isolation.py): the evidence of another CPAS's
person, and the stored claims (reports.claims), whose lines are reached through the evidence of their person."""

import datetime

from django.urls import reverse

from piis.accounts.enums import Role
from tests.factories import make_ri_decision


def _evidence(name: str):
    """The URL of the person's line of March 2026: the person is given an RI that month (a line needs one)."""

    def url(person) -> str:
        if not person.ri_decisions.exists():
            make_ri_decision(person.cpas, beneficiary=person, decided_on=datetime.date(2026, 3, 2))
        return reverse(f"reports:{name}", args=[2026, 3, person.pk])

    return url


def make_claim_run(cpas):
    """A stored claim of March 2026 with one line (a person given an RI that month)."""
    from piis.reports.claims import compute_claim
    from tests.reports.builders import file_with_ri

    file_with_ri(cpas, granted=datetime.date(2026, 3, 2))
    return compute_claim(cpas, datetime.date(2026, 3, 1))


def make_claim_line(cpas):
    return make_claim_run(cpas).claim_lines.first()


def _run_evidence(run) -> str:
    return reverse("reports:evidence", args=[2026, 3, run.claim_lines.first().beneficiary_id])


def _line_evidence(line) -> str:
    return reverse("reports:evidence", args=[2026, 3, line.beneficiary_id])


BUILDERS: dict = {"reports.claimrun": make_claim_run, "reports.claimline": make_claim_line}
URLS = {
    # The evidence of another CPAS's person answers 404, to the inspector as to the director.
    "cases.beneficiary": [
        (Role.INSPECTOR, "get", _evidence("evidence")),
        (Role.DIRECTOR, "get", _evidence("evidence_bundle")),
    ],
    "reports.claimrun": [(Role.INSPECTOR, "get", _run_evidence)],
    "reports.claimline": [(Role.DIRECTOR, "get", _line_evidence)],
}
