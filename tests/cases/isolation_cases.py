"""Tenancy registry of the file's records (collected by tests/core/test_isolation.py)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.factories import (
    make_assessment,
    make_assessment_item,
    make_assistant,
    make_exemption,
    make_household_member,
    make_income_period,
    make_ri_decision,
)


def _record_urls(kind: str, *, removable: bool):
    def edit(o):
        return reverse("cases:record_edit", args=[o.beneficiary_id, kind, o.pk])

    urls = [(Role.SOCIAL_WORKER, "get", edit), (Role.SOCIAL_WORKER, "post", edit)]
    if removable:
        urls.append(
            (Role.SOCIAL_WORKER, "post", lambda o: reverse("cases:record_remove", args=[o.beneficiary_id, kind, o.pk]))
        )
    return urls


BUILDERS = {
    "cases.householdmember": make_household_member,
    "cases.assistant": make_assistant,
    "cases.ridecision": make_ri_decision,
    "cases.incomeperiod": make_income_period,
    "cases.exemption": make_exemption,
    "cases.needsassessment": make_assessment,
    "cases.assessmentitem": make_assessment_item,
}

URLS = {
    "cases.householdmember": _record_urls("household", removable=True),
    "cases.assistant": _record_urls("assistant", removable=True),
    "cases.ridecision": _record_urls("ri", removable=False),
    "cases.incomeperiod": _record_urls("period", removable=True),
    "cases.exemption": _record_urls("exemption", removable=False),
    "cases.needsassessment": [
        (Role.SOCIAL_WORKER, "get", lambda o: reverse("cases:assessment_edit", args=[o.beneficiary_id, o.pk])),
        (Role.SOCIAL_WORKER, "post", lambda o: reverse("cases:assessment_edit", args=[o.beneficiary_id, o.pk])),
    ],
    "cases.assessmentitem": [
        (
            Role.SOCIAL_WORKER,
            "get",
            lambda o: reverse("cases:assessment_edit", args=[o.assessment.beneficiary_id, o.assessment_id]),
        ),
    ],
}
