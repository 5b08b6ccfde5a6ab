"""The follow-up's part of a person's access export (GDPR art. 15): evaluations, meeting requests and the
reminders sent about the person's deadlines. Registered with piis.core.personal_data (see there)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from piis.cases.models import Exemption, RiDecision
from piis.contracts.models import AmendmentRequest, Clause, Contract, ContractVersion, Objective, Step
from piis.core.personal_data import PersonalDataSection, model_record, register_section
from piis.followup.models import (
    CommitmentReview,
    Evaluation,
    EvaluationComment,
    MeetingRequest,
    ObjectiveProgress,
    Reminder,
)
from piis.followup.selectors import Kind


def _evaluations(person):
    cpas = person.cpas_id
    evaluations = list(
        Evaluation.objects.for_cpas(cpas)
        .filter(contract__beneficiary_id=person.pk)
        .select_related("recorded_by", "contract__beneficiary")
        .order_by("pk")
    )
    progress: dict[int, list] = {}
    for row in ObjectiveProgress.objects.for_cpas(cpas).filter(evaluation__in=evaluations).order_by("pk"):
        progress.setdefault(row.evaluation_id, []).append(row)
    reviews: dict[int, list] = {}
    for row in CommitmentReview.objects.for_cpas(cpas).filter(evaluation__in=evaluations).order_by("pk"):
        reviews.setdefault(row.evaluation_id, []).append(row)
    third_parties: dict[int, list[int]] = {}
    for through in Evaluation.third_parties.through.objects.filter(evaluation__in=evaluations):
        third_parties.setdefault(through.evaluation_id, []).append(through.thirdparty_id)
    for evaluation in evaluations:
        record = model_record(evaluation)
        record.data["third_parties_present"] = sorted(third_parties.get(evaluation.pk, []))
        record.data["progress"] = [
            model_record(r, exclude=("evaluation",)).as_json() for r in progress.get(evaluation.pk, [])
        ]
        record.data["commitments"] = [
            model_record(r, exclude=("evaluation",)).as_json() for r in reviews.get(evaluation.pk, [])
        ]
        yield record


def _meetings(person):
    rows = (
        MeetingRequest.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).select_related("recorded_by")
    )
    for row in rows.order_by("pk"):
        yield model_record(row, exclude=("beneficiary",))


def reminder_filter(person) -> Q | None:
    """The reminders about this person's deadlines: a reminder's key starts with "<kind>:<object id>:" (the agenda
    item's key, followup.selectors.AgendaItem.key), the object being one of the person's records."""
    cpas, pk = person.cpas_id, person.pk
    contracts = Contract.objects.for_cpas(cpas).filter(beneficiary_id=pk)
    objects = {
        Kind.CONCLUSION: RiDecision.objects.for_cpas(cpas).filter(beneficiary_id=pk),
        Kind.REFLECTION: ContractVersion.objects.for_cpas(cpas).filter(contract__beneficiary_id=pk),
        Kind.EVALUATION: contracts,
        Kind.CONTRACT_END: contracts,
        Kind.MEETING: MeetingRequest.objects.for_cpas(cpas).filter(beneficiary_id=pk),
        Kind.EXEMPTION_REVIEW: Exemption.objects.for_cpas(cpas).filter(beneficiary_id=pk),
        Kind.OBJECTIVE_DUE: Objective.objects.for_cpas(cpas).filter(contract__beneficiary_id=pk),
        Kind.STEP_DUE: Step.objects.for_cpas(cpas).filter(objective__contract__beneficiary_id=pk),
        Kind.COMMITMENT_DUE: Clause.objects.for_cpas(cpas).filter(contract__beneficiary_id=pk),
        Kind.AMENDMENT_REQUEST: AmendmentRequest.objects.for_cpas(cpas).filter(beneficiary_id=pk),
    }
    query = Q()
    for kind, queryset in objects.items():
        for object_id in queryset.values_list("pk", flat=True):
            query |= Q(key__startswith=f"{kind}:{object_id}:")
    return query or None


def _evaluation_comments(person):
    rows = EvaluationComment.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk)
    for row in rows.order_by("pk"):
        yield model_record(row, exclude=("beneficiary",))


def _amendment_requests(person):
    rows = AmendmentRequest.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk)
    for row in rows.order_by("pk"):
        yield model_record(row, exclude=("beneficiary",))


def _reminders(person):
    query = reminder_filter(person)
    if query is None:
        return
    for row in Reminder.objects.for_cpas(person.cpas_id).filter(query).select_related("user").order_by("pk"):
        yield model_record(row)


for key, title, order, collect in (
    ("evaluations", _("Evaluations"), 30, _evaluations),
    ("meeting_requests", _("Meeting requests"), 31, _meetings),
    ("reminders", _("Reminders sent to the social workers"), 32, _reminders),
    ("evaluation_comments", _("The person's comments on evaluations"), 33, _evaluation_comments),
    ("amendment_requests", _("Amendments asked for by the person"), 34, _amendment_requests),
):
    register_section(PersonalDataSection(key, title, collect=collect, order=order))
