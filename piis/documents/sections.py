"""The documents' records offered inside the forms where the worker naturally records them (piis.core.sections):
how a hand-over or an evaluation was explained, on the hand-over and evaluation forms; the outcome of the PIIS, on
the form that ends it. Optional: left empty, nothing is recorded (their own pages still correct them later)."""

from __future__ import annotations

from piis.contracts.models import Contract, ContractVersion
from piis.documents import services
from piis.documents.forms import ExplanationForm, OutcomeForm
from piis.documents.models import ContractOutcome, Explanation
from piis.followup.models import Evaluation

EXPLANATION_PREFIX = "explained"
OUTCOME_PREFIX = "outcome"


class _Section:
    template = ""
    prefix = ""
    fields: tuple[str, ...] = ()

    def __init__(self, request, form):
        self.request, self.form = request, form

    def filled(self) -> bool:
        """The worker typed or chose something in the section (an unchecked box sends nothing)."""
        data = self.form.data if self.form.is_bound else {}
        return any(str(data.get(f"{self.prefix}-{name}", "")).strip() for name in self.fields)

    def is_valid(self) -> bool:
        if self.form.instance.pk is None and not self.filled():
            return True
        return self.form.is_valid()


class ExplanationSection(_Section):
    template = "documents/_explanation_section.html"
    prefix = EXPLANATION_PREFIX
    fields = ("orally", "language", "interpreter", "assistant")

    def __init__(self, request, contract: Contract, *, evaluation: Evaluation | None = None,
                 version: ContractVersion | None = None):  # fmt: skip
        mine = Explanation.objects.for_cpas(request.cpas).filter(contract=contract)
        existing = None
        if evaluation is not None and evaluation.pk is not None:
            existing = mine.filter(evaluation=evaluation).first()
        elif version is not None:
            existing = mine.filter(version=version).first()
        form = ExplanationForm(
            request.POST or None,
            prefix=self.prefix,
            instance=existing or Explanation(cpas=request.cpas, contract=contract),
            assistants=contract.beneficiary.assistants.all(),
        )
        super().__init__(request, form)

    def save(self, made) -> None:
        explanation = self.form.instance
        if explanation.pk is None and not self.filled():
            return
        if isinstance(made, ContractVersion):
            explanation.version = made
        else:
            explanation.evaluation = made
        services.explanation_save(membership=self.request.membership, explanation=explanation,
                                  context=self.request.path)  # fmt: skip


class OutcomeSection(_Section):
    template = "documents/_outcome_section.html"
    prefix = OUTCOME_PREFIX
    fields = ("outcome", "destination")

    def __init__(self, request, contract: Contract):
        existing = ContractOutcome.objects.for_cpas(request.cpas).filter(contract=contract).first()
        form = OutcomeForm(request.POST or None, prefix=self.prefix,
                           instance=existing or ContractOutcome(cpas=request.cpas, contract=contract))  # fmt: skip
        # optional in this form: no "required" mark; a destination without an outcome is refused by the service
        form.fields["outcome"].required = existing is None
        super().__init__(request, form)

    def save(self, made: Contract) -> None:
        outcome = self.form.instance
        if outcome.pk is None and not self.filled():
            return
        outcome.contract = made  # the contract as it is now: ended
        services.outcome_save(membership=self.request.membership, outcome=outcome, context=self.request.path)
