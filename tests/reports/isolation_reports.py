"""Tenant isolation of the reports (collected by tests/core/test_isolation.py). The app has no table of its own."""

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


BUILDERS: dict = {}
URLS = {
    # The evidence of another CPAS's person answers 404, to the inspector as to the director.
    "cases.beneficiary": [
        (Role.INSPECTOR, "get", _evidence("evidence")),
        (Role.DIRECTOR, "get", _evidence("evidence_bundle")),
    ],
}
