"""The file's part of a person's access export (GDPR art. 15): identity and every record of the file.
Registered with piis.core.personal_data (see there); collected by piis.privacy."""

from django.utils.translation import gettext_lazy as _

from piis.cases.models import (
    AssessmentItem,
    Assistant,
    Exemption,
    GlassBreak,
    HouseholdMember,
    IncomePeriod,
    NeedsAssessment,
    RiDecision,
)
from piis.core.personal_data import PersonalDataSection, model_record, register_section


def _identity(person):
    yield model_record(person)


def _records(model):
    def collect(person):
        for row in model.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).order_by("pk"):
            yield model_record(row, exclude=("beneficiary",))

    return collect


def _assessments(person):
    assessments = list(
        NeedsAssessment.objects.for_cpas(person.cpas_id)
        .filter(beneficiary_id=person.pk)
        .select_related("author")
        .order_by("pk")
    )
    items: dict[int, list] = {}
    for item in AssessmentItem.objects.for_cpas(person.cpas_id).filter(assessment__in=assessments).order_by("pk"):
        items.setdefault(item.assessment_id, []).append(item)
    for assessment in assessments:
        record = model_record(assessment, exclude=("beneficiary",))
        for item in items.get(assessment.pk, []):
            entry = model_record(item, exclude=("assessment",))
            record.data.setdefault("items", []).append(entry.as_json())
            record.shown.append((str(entry.shown[0][1]), " — ".join(text for _label, text in entry.shown[1:])))
        yield record


def _glass_breaks(person):
    """Who opened the file beyond their need-to-know, when and why (the reason they gave)."""
    rows = GlassBreak.objects.for_cpas(person.cpas_id).filter(beneficiary_id=person.pk).select_related("user")
    for row in rows.order_by("pk"):
        yield model_record(row, exclude=("beneficiary",))


for key, title, order, collect in (
    ("identity", _("Identity"), 10, _identity),
    ("household", _("Household"), 11, _records(HouseholdMember)),
    ("assistants", _("Assistants of the person's choice"), 12, _records(Assistant)),
    ("ri_decisions", _("RI decisions"), 13, _records(RiDecision)),
    ("earlier_periods", _("Earlier periods"), 14, _records(IncomePeriod)),
    ("exemptions", _("Exemptions"), 15, _records(Exemption)),
    ("needs_assessments", _("Needs assessments"), 16, _assessments),
    ("glass_breaks", _("Openings of the file beyond need-to-know, with their reason"), 89, _glass_breaks),
):
    register_section(PersonalDataSection(key, title, collect=collect, order=order))
