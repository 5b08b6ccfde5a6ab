"""A known data set for the observatory: every figure of it is computed by hand in test_figures.py."""

import datetime

from piis.accounts.enums import Role
from tests.factories import (
    make_assessment_item,
    make_beneficiary,
    make_clause,
    make_clause_template,
    make_contract,
    make_member,
    make_objective,
    make_signature,
    make_team,
    make_version,
)

D = datetime.date
TODAY = D(2026, 6, 15)
SIGNED = D(2026, 2, 10)
HANDED_OVER = D(2026, 2, 1)
WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliett",
    "kilo",
    "lima",
    "mike",
    "november",
    "oscar",
    "papa",
]


def unique_text(i: int) -> str:
    """A clause text sharing no word 3-shingle with the others (each word carries the contract's number)."""
    return " ".join(f"{w}{i}" for w in WORDS)


HEALTH_TEXT = "Suivre un traitement médical régulier."


def known_contract(cpas, *, worker, team, i: int, template, text_index: int | None = None):
    """One concluded PIIS: the person's own training clause (proposed by them), the CPAS's library clause
    unmodified, one objective answering the person's aspiration."""
    person = make_beneficiary(cpas, team=team)
    contract = make_contract(cpas, beneficiary=person, social_worker=worker, status="in_force", signed_on=SIGNED)
    aspiration = make_assessment_item(cpas, assessment=contract.assessment, kind="aspiration")
    objective = make_objective(cpas, contract=contract)
    objective.assessment_items.add(aspiration)
    own = make_clause(
        cpas,
        contract=contract,
        party="beneficiary",
        kind="training",
        proposed_by="beneficiary",
        text=unique_text(i if text_index is None else text_index),
        due_on=D(2026, 3, 15),
    )
    cpas_clause = make_clause(
        cpas,
        contract=contract,
        party="cpas",
        kind="cost_coverage",
        proposed_by="cpas",
        template=template,
        template_text=template.text,
        text=template.text,
        due_on=D(2026, 3, 1),
    )
    version = make_version(
        cpas, contract=contract, handed_over_on=HANDED_OVER, concluded_on=SIGNED, assistance="declined"
    )
    make_signature(cpas, version=version, party="beneficiary", signed_on=SIGNED)
    return contract, own, cpas_clause, version


def known_world(cpas):
    """Team T: worker W1 with six PIIS, worker W2 with two; a director; a team lead of T."""
    team = make_team(cpas)
    w1 = make_member(cpas, Role.SOCIAL_WORKER, team=team)
    w2 = make_member(cpas, Role.SOCIAL_WORKER, team=team)
    lead = make_member(cpas, Role.TEAM_LEAD, team=team)
    team.lead = lead.user
    team.save()
    director = make_member(cpas, Role.DIRECTOR)
    template = make_clause_template(cpas, text="Le CPAS paie les frais d'inscription et de transport.")
    rows = []
    for i in range(8):
        worker = w1 if i < 6 else w2
        rows.append(known_contract(cpas, worker=worker.user, team=team, i=i, template=template,
                                   text_index=0 if i == 1 else None))  # fmt: skip
    return {"team": team, "w1": w1, "w2": w2, "lead": lead, "director": director, "template": template, "rows": rows}
