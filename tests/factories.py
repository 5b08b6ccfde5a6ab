"""Small builders for tests (plain functions: the objects are simple and few)."""

import datetime
import itertools

from piis.accounts.enums import Region, Role, SignatoryFunction
from piis.accounts.models import ClosureDay, Cpas, Membership, Signatory, SignatoryDelegation, Team, User
from piis.cases.models import Beneficiary
from piis.cases.validators import nrn_with_check

_seq = itertools.count(1)


def make_cpas(**kwargs) -> Cpas:
    n = next(_seq)
    defaults = {"name": f"CPAS {n}", "nis_code": f"{10000 + n:05d}", "region": Region.WALLONIA}
    return Cpas.objects.create(**{**defaults, **kwargs})


DEFAULT_TEAM_NAME = "Équipe des tests"
TEAM_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_LEAD)


def default_team(cpas: Cpas) -> Team:
    """Need-to-know (piis.cases.access): by default every social worker and team lead a test makes works in one
    team of the CPAS, and every file a test makes belongs to it, so a test that opens a file with any worker reaches
    it as before. That team is the CPAS's first (the demo's first team when a browser test loads the demo, so that
    its workers reach the files the test adds), made when the CPAS has none. Tests of need-to-know pass `team=`
    (another team, or None) to make_member and make_beneficiary."""
    team = Team.objects.for_cpas(cpas).order_by("id").first()
    return team or Team.objects.create(cpas=cpas, name=DEFAULT_TEAM_NAME)


def make_team(cpas: Cpas, **kwargs) -> Team:
    return Team.objects.create(cpas=cpas, **{"name": f"Équipe {next(_seq)}", **kwargs})


def make_member(cpas: Cpas, role: str = Role.SOCIAL_WORKER, **kwargs) -> Membership:
    n = next(_seq)
    user = User.objects.create_user(username=kwargs.pop("username", f"user{n}"), password="pw-for-tests-123456")
    if "team" not in kwargs and role in TEAM_ROLES:
        kwargs["team"] = default_team(cpas)
    return Membership.objects.create(user=user, cpas=cpas, role=role, **kwargs)


def make_beneficiary(cpas: Cpas, **kwargs) -> Beneficiary:
    n = next(_seq)
    birth = kwargs.pop("birth_date", datetime.date(1990, 1, 1 + n % 28))
    defaults = {
        "first_name": f"Alex{n}",
        "last_name": f"Martin{n}",
        "birth_date": birth,
        "national_number": nrn_with_check(birth, n % 997 + 1),
        "team": default_team(cpas) if "team" not in kwargs else None,
    }
    return Beneficiary.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_closure_day(cpas: Cpas, **kwargs) -> ClosureDay:
    day = datetime.date(2026, 12, 1) + datetime.timedelta(days=next(_seq) % 300)
    return ClosureDay.objects.create(cpas=cpas, **{"day": day, **kwargs})


def make_signatory(cpas: Cpas, **kwargs) -> Signatory:
    used = set(Signatory.objects.filter(cpas=cpas).values_list("function", flat=True))
    function = next(f for f in SignatoryFunction if f not in used)
    return Signatory.objects.create(cpas=cpas, **{"function": function, "holder_name": "Camille Test", **kwargs})


def make_delegation(cpas: Cpas, **kwargs) -> SignatoryDelegation:
    signatory = kwargs.pop("signatory", None) or make_signatory(cpas)
    return SignatoryDelegation.objects.create(
        cpas=cpas,
        signatory=signatory,
        **{"delegate_name": "Sam Delegate", "valid_from": datetime.date(2026, 1, 1), **kwargs},
    )


# --- issue 5: RI decisions, exemptions, needs assessments, contracts -------------------------------------------


def make_ri_decision(cpas: Cpas, **kwargs):
    from decimal import Decimal

    from piis.cases.models import RiDecision

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    decided = kwargs.pop("decided_on", datetime.date(2026, 1, 10))
    defaults = {
        "category": 2,
        "requested_on": decided,
        "decided_on": decided,
        "start_on": decided,
        "monthly_amount": Decimal("1314.20"),
    }
    return RiDecision.objects.create(cpas=cpas, beneficiary=beneficiary, **{**defaults, **kwargs})


def make_income_period(cpas: Cpas, **kwargs):
    from piis.cases.models import IncomePeriod

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    defaults = {"kind": "ri", "start_on": datetime.date(2024, 1, 1), "end_on": datetime.date(2024, 6, 30)}
    return IncomePeriod.objects.create(cpas=cpas, beneficiary=beneficiary, **{**defaults, **kwargs})


def make_exemption(cpas: Cpas, **kwargs):
    from piis.cases.models import Exemption

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    defaults = {
        "ground": "health",
        "motivation": "Surgery planned, several months of recovery.",
        "decided_on": datetime.date(2026, 2, 1),
        "decided_by": "Comité spécial du service social",
        "start_on": datetime.date(2026, 2, 1),
        "review_on": datetime.date(2026, 5, 1),
        "end_on": datetime.date(2026, 5, 31),
    }
    return Exemption.objects.create(cpas=cpas, beneficiary=beneficiary, **{**defaults, **kwargs})


def make_household_member(cpas: Cpas, **kwargs):
    from piis.cases.models import HouseholdMember

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    return HouseholdMember.objects.create(
        cpas=cpas, beneficiary=beneficiary, **{"name": "Noa Test", "relation": "child", **kwargs}
    )


def make_assistant(cpas: Cpas, **kwargs):
    from piis.cases.models import Assistant

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    return Assistant.objects.create(cpas=cpas, beneficiary=beneficiary, **{"name": "Ines Helper", **kwargs})


def make_assessment(cpas: Cpas, **kwargs):
    from piis.cases.models import NeedsAssessment

    beneficiary = kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    author = kwargs.pop("author", None) or make_member(cpas).user
    defaults = {"assessed_on": datetime.date(2026, 1, 20), "own_words": "Je voudrais travailler dans la vente."}
    return NeedsAssessment.objects.create(cpas=cpas, beneficiary=beneficiary, author=author, **{**defaults, **kwargs})


def make_assessment_item(cpas: Cpas, **kwargs):
    from piis.cases.models import AssessmentItem

    assessment = kwargs.pop("assessment", None) or make_assessment(cpas)
    defaults = {"domain": "employment", "kind": "aspiration", "text": "Work in retail"}
    return AssessmentItem.objects.create(cpas=cpas, assessment=assessment, **{**defaults, **kwargs})


def make_contract(cpas: Cpas, **kwargs):
    from piis.contracts.models import Contract

    ri_decision = kwargs.pop("ri_decision", None) or make_ri_decision(
        cpas, beneficiary=kwargs.pop("beneficiary", None) or make_beneficiary(cpas)
    )
    worker = kwargs.pop("social_worker", None) or make_member(cpas).user
    assessment = kwargs.pop("assessment", None)
    if assessment is None and kwargs.pop("with_assessment", True):
        assessment = make_assessment(cpas, beneficiary=ri_decision.beneficiary, author=worker)
    defaults = {"orientations": ["professional"], "status": "draft"}
    return Contract.objects.create(
        cpas=cpas,
        beneficiary=ri_decision.beneficiary,
        ri_decision=ri_decision,
        assessment=assessment,
        social_worker=worker,
        **{**defaults, **kwargs},
    )


def make_third_party(cpas: Cpas, **kwargs):
    from piis.contracts.models import ThirdParty

    contract = kwargs.pop("contract", None) or make_contract(cpas)
    defaults = {"name": "Centre de formation Horizon", "kind": "training_centre", "requested_by": "beneficiary"}
    return ThirdParty.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})


def make_objective(cpas: Cpas, **kwargs):
    from piis.contracts.models import Objective

    contract = kwargs.pop("contract", None) or make_contract(cpas)
    defaults = {
        "title": "Trouver une formation en vente",
        "observable_result": "Inscription à une formation",
        "due_on": datetime.date(2026, 6, 30),
    }
    return Objective.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})


def make_step(cpas: Cpas, **kwargs):
    from piis.contracts.models import Step

    objective = kwargs.pop("objective", None) or make_objective(cpas)
    return Step.objects.create(
        cpas=cpas, objective=objective, **{"description": "Visiter deux centres", "owner": "beneficiary", **kwargs}
    )


def make_clause_template(cpas: Cpas, **kwargs):
    from piis.contracts.models import ClauseTemplate

    defaults = {
        "title": "Frais d'inscription",
        "kind": "cost_coverage",
        "party": "cpas",
        "text": "Le CPAS paie les frais.",
    }
    return ClauseTemplate.objects.create(cpas=cpas, **{**defaults, **kwargs})


def make_clause(cpas: Cpas, **kwargs):
    from piis.contracts.models import Clause

    contract = kwargs.pop("contract", None) or make_contract(cpas)
    defaults = {
        "party": "beneficiary",
        "kind": "training",
        "text": "Suivre la formation.",
        "proposed_by": "beneficiary",
    }
    return Clause.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})


def make_version(cpas: Cpas, **kwargs):
    from piis.contracts.models import ContractVersion

    contract = kwargs.pop("contract", None) or make_contract(cpas)
    defaults = {
        "number": contract.versions.count() + 1,
        "kind": "initial",
        "language": "fr",
        "handed_over_on": datetime.date(2026, 3, 2),
        "handed_over_by": contract.social_worker,
    }
    return ContractVersion.objects.create(cpas=cpas, contract=contract, **{**defaults, **kwargs})


def make_signature(cpas: Cpas, **kwargs):
    from piis.contracts.models import Signature

    version = kwargs.pop("version", None) or make_version(cpas)
    defaults = {
        "party": "beneficiary",
        "signer_name": "Alex Martin",
        "signed_on": datetime.date(2026, 3, 9),
        "method": "paper",
        "recorded_by": version.contract.social_worker,
    }
    return Signature.objects.create(cpas=cpas, version=version, **{**defaults, **kwargs})
