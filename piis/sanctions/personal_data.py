"""The sanctions' part of a person's access export (GDPR art. 15): each non-compliance dossier with what it holds
(the breach, the evidence extracts, the formal notice, the person's answer, the check of the CPAS's commitments,
the social worker's opinion, the hearing), the matters put before the council about the person, the council's
decisions with their appeals and letters, and the payment lines that executed them. Registered with
piis.core.personal_data; every query reads this person's rows of their CPAS only."""

from __future__ import annotations

import os

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from piis.core.personal_data import ExportFile, ExportRecord, PersonalDataSection, model_record, register_section
from piis.sanctions.models import (
    Appeal,
    CommitmentCheckLine,
    Decision,
    EvidenceExtract,
    PaymentLine,
    SanctionDossier,
    SittingItem,
)

# The records a dossier holds one of (OneToOne), with the people named in them, read in the dossier's query.
_ONE_OF = ("breach", "notice", "answer", "commitment_check", "opinion", "hearing")
_PEOPLE = (
    "breach__reported_by", "breach__clause", "notice__sent_by", "answer__recorded_by",
    "commitment_check__checked_by", "commitment_check__override_by", "opinion__given_by", "hearing__recorded_by",
)  # fmt: skip


def _letter(prefix: str, row) -> ExportFile | None:
    if not row.letter:
        return None
    name = f"{prefix}-{row.pk}-{os.path.basename(row.letter.name or '')}"
    try:
        with row.letter.open("rb") as letter:
            return ExportFile(name, data=letter.read())
    except OSError:
        return ExportFile(name, data=None)


def _ids(row, *names: str) -> dict:
    """The ids of relations to rows without a readable name (an agenda item, a decision, an export): in the JSON
    only, where they link the records of this export to one another."""
    return {f"{name}_id": getattr(row, f"{name}_id") for name in names}


def _nested(record: ExportRecord, row, *, exclude: tuple[str, ...]) -> dict:
    """`row` as a part of `record`: its fields in the JSON (returned), its labelled values in the summary, each label
    prefixed with what the row is (its model's name)."""
    part = model_record(row, exclude=exclude)
    what = str(row._meta.verbose_name)
    record.shown += [(f"{what} — {label}", text) for label, text in part.shown]
    return part.as_json()


def _dossiers(person) -> list[ExportRecord]:
    cpas = person.cpas_id
    dossiers = (
        SanctionDossier.objects.for_cpas(cpas)
        .filter(beneficiary_id=person.pk)
        .select_related("contract", "opened_by", "recent_piis_reviewed_by", *_ONE_OF, *_PEOPLE)
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=EvidenceExtract.objects.for_cpas(cpas)
                .select_related("extracted_by", "evaluation")
                .order_by("pk"),
            ),
            Prefetch(
                "commitment_check__lines",
                queryset=CommitmentCheckLine.objects.for_cpas(cpas).select_related("clause").order_by("pk"),
            ),
        )
        .order_by("pk")
    )
    records = []
    for dossier in dossiers:
        record = model_record(dossier, exclude=("beneficiary",))
        for name in _ONE_OF:
            part = getattr(dossier, name, None)
            if part is None:
                record.data[name] = None
                continue
            record.data[name] = _nested(record, part, exclude=("dossier", "item"))
            if name == "commitment_check":
                record.data[name]["lines"] = [
                    _nested(record, line, exclude=("commitment_check",)) for line in part.lines.all()
                ]
            if name == "notice":
                letter = _letter("formal-notice", part)
                if letter is not None:
                    record.files.append(letter)
        record.data["evidence"] = [_nested(record, row, exclude=("dossier",)) for row in dossier.evidence.all()]
        records.append(record)
    return records


def _council(person) -> list[ExportRecord]:
    cpas = person.cpas_id
    records = []
    items = (
        SittingItem.objects.for_cpas(cpas)
        .filter(beneficiary_id=person.pk)
        .select_related("sitting", "contract", "exemption", "added_by", "hearing", "hearing__recorded_by")
        .order_by("pk")
    )
    for item in items:
        record = model_record(item, exclude=("beneficiary", "dossier"), extra=_ids(item, "dossier"))
        hearing = getattr(item, "hearing", None)  # a matter's hearing (a dossier's is in the dossier's record)
        record.data["hearing"] = _nested(record, hearing, exclude=("dossier", "item")) if hearing else None
        records.append(record)
    decisions = (
        Decision.objects.for_cpas(cpas)
        .filter(beneficiary_id=person.pk)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("appeals", queryset=Appeal.objects.for_cpas(cpas).select_related("recorded_by").order_by("pk"))
        )
        .order_by("pk")
    )
    for decision in decisions:
        pointers = ("item", "dossier", "executes_deferral_of")
        record = model_record(decision, exclude=("beneficiary", *pointers), extra=_ids(decision, *pointers))
        record.data["appeals"] = [_nested(record, a, exclude=("decision",)) for a in decision.appeals.all()]
        letter = _letter("decision", decision)
        if letter is not None:
            record.files.append(letter)
        records.append(record)
    lines = PaymentLine.objects.for_cpas(cpas).filter(beneficiary_id=person.pk).order_by("pk")
    pointers = ("export", "decision", "reverses")
    records += [model_record(line, exclude=("beneficiary", *pointers), extra=_ids(line, *pointers)) for line in lines]
    return records


def _sanctions(person):
    yield from _dossiers(person)
    yield from _council(person)


register_section(PersonalDataSection("sanctions", _("Sanction procedures"), collect=_sanctions, order=40))
