"""Compliance of a PIIS with its evaluations, per contract year (R43–R47), as the rules core judges it.

The file page, the contract page, the agenda, the portal and the reports word the same answer from here.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.rules import Evaluation as RulesEvaluation
from piis.rules import EvaluationYear, InvalidInput, evaluation_years, evaluation_years_change_on

# --- compliance per contract year (R43–R47) ------------------------------------------------------------------

STATUS_LABELS = {
    "compliant": _("Compliant"),
    "in_progress": _("In progress"),
    "at_risk": _("At risk"),
    "non_compliant_count": _("Not compliant: too few evaluations"),
    "non_compliant_in_person": _("Not compliant: too few in person"),
}
RULE_LABELS = {"three_two": _("Evaluations per contract year"), "quarterly": _("Former rule: one per quarter")}
COMPLIANCE_STATUSES = frozenset({ContractStatus.IN_FORCE, ContractStatus.ENDED})


@dataclass(frozen=True)
class YearCompliance:
    """One contract year as the rules core judged it, with what the page says about it."""

    number: int
    year: EvaluationYear
    today: date

    @property
    def status(self) -> str:
        return self.year.status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.year.status, self.year.status))

    @property
    def rule_label(self) -> str:
        return str(RULE_LABELS.get(self.year.rule, self.year.rule))

    @property
    def is_current(self) -> bool:
        return self.year.start <= self.today <= self.year.end

    @property
    def days_left(self) -> int:
        return (self.year.end - self.today).days

    @property
    def missing_text(self) -> str:
        """What is still missing ("2 more evaluations, 1 of them in person"), empty when nothing is."""
        return missing_text(self.year.missing, self.year.missing_in_person)


def missing_text(missing: int, missing_in_person: int) -> str:
    """What a contract year still lacks, worded in the active language (the agenda words it when read)."""
    needed = max(missing, missing_in_person)
    if not needed:
        return ""
    if not missing_in_person:
        return ngettext("%(n)s more evaluation", "%(n)s more evaluations", needed) % {"n": needed}
    if needed == missing_in_person:
        return ngettext("%(n)s more evaluation in person", "%(n)s more evaluations in person", needed) % {"n": needed}
    return ngettext(
        "%(n)s more evaluation, %(p)s of them in person", "%(n)s more evaluations, %(p)s of them in person", needed
    ) % {"n": needed, "p": missing_in_person}


def contract_compliance(*, contract: Contract, evaluations, today: date) -> list[YearCompliance]:
    """R43–R47 — one entry per started contract year of a concluded PIIS (empty before signature).

    `evaluations` are the contract's Evaluation rows (any iterable, so callers pass prefetched ones).
    """
    if contract.status not in COMPLIANCE_STATUSES or contract.signed_on is None:
        return []
    held = [RulesEvaluation(held_on=e.held_on, mode=e.mode) for e in evaluations]
    try:
        years = evaluation_years(
            signed_on=contract.signed_on, evaluations=held, ended_on=contract.ended_on, today=today
        )
    except InvalidInput:
        return []
    return [YearCompliance(number, year, today) for number, year in enumerate(years, start=1)]


def compliance_changes_on(*, contract: Contract, evaluations, today: date) -> date | None:
    """The first day after `today` on which contract_compliance, with the same rows, may answer otherwise (None:
    never with time alone): the rules core's conservative bound (evaluation_years_change_on)."""
    if contract.status not in COMPLIANCE_STATUSES or contract.signed_on is None:
        return None
    held = [RulesEvaluation(held_on=e.held_on, mode=e.mode) for e in evaluations]
    try:
        return evaluation_years_change_on(
            signed_on=contract.signed_on, evaluations=held, ended_on=contract.ended_on, today=today
        )
    except InvalidInput:
        return None  # the same error whatever the day


def current_year(years: list[YearCompliance]) -> YearCompliance | None:
    """The contract year containing today, else the last one (a PIIS that has ended)."""
    return next((y for y in years if y.is_current), years[-1] if years else None)
