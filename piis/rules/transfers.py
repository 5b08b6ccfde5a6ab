"""Transfer of a PIIS when the person moves, and territorial incompetence (R21, R51–R54)."""

from __future__ import annotations

from datetime import date, timedelta

from piis.rules.params import param_int

__all__ = [
    "forward_request_deadline",
    "transfer_applies",
    "transfer_content_allowed",
]


def transfer_applies(*, study_piis: bool, studies_uninterrupted: bool) -> bool:
    """R51, R21 — a move to another competent CPAS transfers the PIIS, except a study PIIS during uninterrupted
    studies, for which the first CPAS stays competent.

    A change of orientation or institution, or secondary to higher education, is no interruption (the caller decides
    `studies_uninterrupted`).
    Legal basis: AR art. 14/1 inserted by AR-2016 (text not retrieved); competence during studies (DQ-etud1/2).
    Convention: none (no dates).
    Open questions: none.
    Sources: SEED-4, VLEX-AR2016, SMALS, DQ-etud1, DQ-etud2, INFORJ-studies.
    Scenarios: T28, T30.
    """
    return not (study_piis and studies_uninterrupted)


def transfer_content_allowed(*, refusal_recorded: bool) -> bool:
    """R52 — the new CPAS receives the PIIS content only if the person did not explicitly refuse the transfer.

    Legal basis: AR art. 14/1 as presented by SEED-4 (text not retrieved).
    Convention: none (no dates).
    Open questions: O4 — after a refusal the new CPAS gets nothing but the refusal record.
    Sources: SEED-4.
    Scenarios: T29.
    """
    # O4: a refusal leaves only the refusal record at the new CPAS.
    return not refusal_recorded


def forward_request_deadline(received_on: date) -> date:
    """R54 — a CPAS that considers itself incompetent forwards the request within P22 calendar days of receipt.

    Legal basis: general RI procedure on territorial competence (SPP IS).
    Convention: §15.1 (calendar days counted from the day after receipt, no roll-forward).
    Open questions: none.
    Sources: MIIS-FAQ-bevoegd.
    Scenarios: T28.
    """
    return received_on + timedelta(days=param_int("forward_request_days", on=received_on))
