"""Tenancy registry of the sanction models (collected by tests/core/test_isolation.py).

The pre-council pages (sanct1) and the council's pages (sanct2) add their URLs here as they land; a model whose page
does not exist yet has an empty list (its RLS and unscoped-query checks run already)."""

from django.urls import reverse

from piis.accounts.enums import Role
from tests.sanctions.builders import (
    make_answer,
    make_appeal,
    make_breach,
    make_commitment_check,
    make_commitment_check_line,
    make_decision,
    make_dossier,
    make_evidence,
    make_hearing,
    make_item,
    make_notice,
    make_opinion,
    make_payment_export,
    make_payment_line,
    make_sitting,
)

BUILDERS = {
    "sanctions.sanctiondossier": make_dossier,
    "sanctions.breachreport": make_breach,
    "sanctions.evidenceextract": make_evidence,
    "sanctions.formalnotice": make_notice,
    "sanctions.personanswer": make_answer,
    "sanctions.commitmentcheck": make_commitment_check,
    "sanctions.commitmentcheckline": make_commitment_check_line,
    "sanctions.workeropinion": make_opinion,
    "sanctions.hearing": make_hearing,
    "sanctions.councilsitting": make_sitting,
    "sanctions.sittingitem": make_item,
    "sanctions.decision": make_decision,
    "sanctions.appeal": make_appeal,
    "sanctions.paymentexport": make_payment_export,
    "sanctions.paymentline": make_payment_line,
}
URLS: dict[str, list] = {label: [] for label in BUILDERS}


def _step(step):
    return lambda o: reverse("sanctions:step", args=[getattr(o, "dossier_id", None) or o.pk, step])


# The pre-council pages (a team lead may prepare any dossier of the CPAS; a fresh social worker is not the file's).
URLS["sanctions.sanctiondossier"] = [
    (Role.TEAM_LEAD, "get", lambda o: reverse("sanctions:detail", args=[o.pk])),
    (Role.COUNCIL_SECRETARY, "get", lambda o: reverse("sanctions:detail", args=[o.pk])),
    (Role.TEAM_LEAD, "get", _step("notice")),
    (Role.TEAM_LEAD, "post", _step("close")),
]
URLS["sanctions.breachreport"] = [(Role.TEAM_LEAD, "get", _step("breach")), (Role.TEAM_LEAD, "post", _step("breach"))]
URLS["sanctions.evidenceextract"] = [(Role.TEAM_LEAD, "get", _step("evidence"))]
URLS["sanctions.formalnotice"] = [
    (Role.TEAM_LEAD, "get", lambda o: reverse("sanctions:notice_pdf", args=[o.dossier_id])),
    (Role.TEAM_LEAD, "get", lambda o: reverse("sanctions:notice_sent", args=[o.dossier_id])),
]
URLS["sanctions.personanswer"] = [(Role.TEAM_LEAD, "get", _step("answer")), (Role.TEAM_LEAD, "post", _step("reason"))]
URLS["sanctions.commitmentcheck"] = [(Role.TEAM_LEAD, "get", _step("commitments"))]
URLS["sanctions.commitmentcheckline"] = [
    (Role.TEAM_LEAD, "get", lambda o: reverse("sanctions:step", args=[o.commitment_check.dossier_id, "commitments"]))
]
URLS["sanctions.workeropinion"] = [(Role.TEAM_LEAD, "get", _step("opinion"))]
URLS["sanctions.hearing"] = [(Role.TEAM_LEAD, "get", _step("hearing-right"))]
