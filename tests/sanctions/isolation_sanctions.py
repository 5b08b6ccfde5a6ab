"""Tenancy registry of the sanction models (collected by tests/core/test_isolation.py).

The pre-council pages (sanct1) and the council's pages (sanct2) add their URLs here as they land; a model whose page
does not exist yet has an empty list (its RLS and unscoped-query checks run already)."""

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
