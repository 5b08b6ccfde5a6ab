"""Tenancy fence for the drafting models: another CPAS's contract, objective, step, clause, third party or clause
template answers 404 on every drafting URL (tests/core/test_isolation.py collects this module)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.factories import (
    make_clause,
    make_clause_template,
    make_contract,
    make_objective,
    make_step,
    make_third_party,
)

SW = Role.SOCIAL_WORKER

BUILDERS = {
    "contracts.contract": make_contract,
    "contracts.thirdparty": make_third_party,
    "contracts.objective": make_objective,
    "contracts.step": make_step,
    "contracts.clausetemplate": make_clause_template,
    "contracts.clause": make_clause,
}

URLS = {
    "contracts.contract": [
        (SW, "get", lambda o: reverse("contracts:detail", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:edit", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:objective_add", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:objective_add", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:clause_add", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:clause_add", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:third_party_add", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:third_party_add", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:create", args=[o.beneficiary_id])),
    ],
    "contracts.thirdparty": [
        (SW, "get", lambda o: reverse("contracts:third_party_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:third_party_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:third_party_delete", args=[o.pk])),
    ],
    "contracts.objective": [
        (SW, "get", lambda o: reverse("contracts:objective_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:objective_edit", args=[o.pk])),
        (SW, "get", lambda o: reverse("contracts:step_add", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:objective_delete", args=[o.pk])),
    ],
    "contracts.step": [
        (SW, "get", lambda o: reverse("contracts:step_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:step_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:step_delete", args=[o.pk])),
    ],
    "contracts.clausetemplate": [
        (SW, "get", lambda o: reverse("contracts:library_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:library_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:library_toggle", args=[o.pk])),
    ],
    "contracts.clause": [
        (SW, "get", lambda o: reverse("contracts:clause_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:clause_edit", args=[o.pk])),
        (SW, "post", lambda o: reverse("contracts:clause_delete", args=[o.pk])),
    ],
}
