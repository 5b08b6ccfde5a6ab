"""Federal figures: the statistical flow of R76 and the exchange export of agreements and evaluations of R77.

R76: the PIIS type and measures of each beneficiary are part of what the SPP IS sends to the Crossroads Bank
(variable CBENIDVTYP), twice a year; the exact code list was not found, so the layout below uses the application's
controlled vocabularies (the orientations of R16–R17, the clause kinds of the rules core), each value documented in
docs/federal-exports.md so that a mapping table can be added when the list is known. R77: agreements and evaluations
are exchanged in a JSON document whose schema is docs/federal-exports/exchange-v1.schema.json.

Both read a half-year: every PIIS concluded on or before its last day and not ended before its first. A fixed number
of queries whatever the number of files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from piis.contracts.enums import Orientation, Party
from piis.contracts.models import Clause, Contract, ContractVersion
from piis.contracts.snapshot import version_snapshot
from piis.followup.models import CommitmentReview, Evaluation, ObjectiveProgress

STATISTICS_COLUMNS = (
    "cpas_nis",
    "period",
    "national_number",
    "piis_id",
    "piis_type",
    "studies",
    "signed_on",
    "start_on",
    "end_on",
    "ended_on",
    "end_reason",
    "person_measures",
    "cpas_measures",
    "third_party_measures",
)
# The order piis_type lists the orientations in (a PIIS may combine several, R16).
ORIENTATION_ORDER = [o.value for o in Orientation]


def _contracts(cpas, start: date, end: date):
    return (
        Contract.objects.for_cpas(cpas)
        .filter(signed_on__isnull=False, signed_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .order_by("signed_on", "id")
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


@dataclass(frozen=True)
class StatisticsRow:
    cpas_nis: str
    period: str
    national_number: str
    beneficiary_id: int
    piis_id: int
    orientations: tuple[str, ...]
    signed_on: date
    start_on: date | None
    end_on: date | None
    ended_on: date | None
    end_reason: str
    measures: dict[str, tuple[str, ...]]

    def cells(self) -> list[Any]:
        return [
            self.cpas_nis,
            self.period,
            self.national_number,
            self.piis_id,
            "+".join(self.orientations),
            1 if Orientation.STUDIES in self.orientations else 0,
            _iso(self.signed_on),
            _iso(self.start_on),
            _iso(self.end_on),
            _iso(self.ended_on),
            self.end_reason,
            "|".join(self.measures.get(Party.BENEFICIARY, ())),
            "|".join(self.measures.get(Party.CPAS, ())),
            "|".join(self.measures.get(Party.THIRD_PARTY, ())),
        ]


def _period_code(start: date) -> str:
    return f"{start.year}-S{1 if start.month <= 6 else 2}"


def statistics_rows(cpas, *, start: date, end: date) -> list[StatisticsRow]:
    """One row per PIIS in force during the half-year `start`…`end`, in two queries."""
    contracts = list(
        _contracts(cpas, start, end).values_list(
            "id",
            "beneficiary_id",
            "beneficiary__national_number",
            "orientations",
            "signed_on",
            "start_on",
            "end_on",
            "ended_on",
            "end_reason",
        )
    )
    kinds: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for contract_id, party, kind in (
        Clause.objects.for_cpas(cpas)
        .filter(contract_id__in=[row[0] for row in contracts])
        .order_by()
        .values_list("contract_id", "party", "kind")
        .distinct()
    ):
        kinds[contract_id][party].add(kind)
    period = _period_code(start)
    rows = []
    for pk, person, nrn, orientations, signed_on, start_on, end_on, ended_on, end_reason in contracts:
        ordered = tuple(o for o in ORIENTATION_ORDER if o in (orientations or []))
        rows.append(
            StatisticsRow(
                cpas.nis_code,
                period,
                nrn,
                person,
                pk,
                ordered,
                signed_on,
                start_on,
                end_on,
                ended_on,
                end_reason,
                {party: tuple(sorted(values)) for party, values in kinds[pk].items()},
            )
        )
    return rows


EXCHANGE_FORMAT = "piis-exchange"
EXCHANGE_VERSION = 1


def exchange_document(cpas, *, start: date, end: date, generated_on: date) -> tuple[dict, list[int]]:
    """The agreements (every version, with its frozen content) and evaluations of the PIIS in force during the
    half-year, and the ids of the people it names. Six queries."""
    contracts = list(_contracts(cpas, start, end).select_related("beneficiary"))
    ids = [c.pk for c in contracts]
    versions: dict[int, list[ContractVersion]] = defaultdict(list)
    for version in (
        ContractVersion.objects.for_cpas(cpas).filter(contract_id__in=ids).order_by("contract_id", "number")
    ):
        versions[version.contract_id].append(version)
    evaluations: dict[int, list[Evaluation]] = defaultdict(list)
    evaluation_ids = []
    for evaluation in Evaluation.objects.for_cpas(cpas).filter(contract_id__in=ids).order_by("held_on", "id"):
        evaluations[evaluation.contract_id].append(evaluation)
        evaluation_ids.append(evaluation.pk)
    progress: dict[int, list[dict]] = defaultdict(list)
    for evaluation_id, objective_id, value in (
        ObjectiveProgress.objects.for_cpas(cpas)
        .filter(evaluation_id__in=evaluation_ids)
        .order_by("objective_id")
        .values_list("evaluation_id", "objective_id", "progress")
    ):
        progress[evaluation_id].append({"objective": f"o{objective_id}", "progress": value})
    reviews: dict[int, list[dict]] = defaultdict(list)
    for evaluation_id, clause_id, delivery in (
        CommitmentReview.objects.for_cpas(cpas)
        .filter(evaluation_id__in=evaluation_ids)
        .order_by("clause_id")
        .values_list("evaluation_id", "clause_id", "delivery")
    ):
        reviews[evaluation_id].append({"commitment": f"c{clause_id}", "delivery": delivery})

    agreements = []
    for contract in contracts:
        person = contract.beneficiary
        agreements.append(
            {
                "id": contract.pk,
                "person": {
                    "national_number": person.national_number,
                    "last_name": person.last_name,
                    "first_name": person.first_name,
                    "birth_date": person.birth_date.isoformat(),
                    "language": person.language,
                },
                "orientations": [o for o in ORIENTATION_ORDER if o in (contract.orientations or [])],
                "signed_on": _iso(contract.signed_on),
                "start_on": _iso(contract.start_on) or None,
                "end_on": _iso(contract.end_on) or None,
                "ended_on": _iso(contract.ended_on) or None,
                "end_reason": contract.end_reason or None,
                "versions": [
                    {
                        "number": v.number,
                        "kind": v.kind,
                        "language": v.language,
                        "handed_over_on": v.handed_over_on.isoformat(),
                        "concluded_on": _iso(v.concluded_on) or None,
                        "superseded": v.superseded,
                        "content": _content(v),
                    }
                    for v in versions[contract.pk]
                ],
                "evaluations": [
                    {
                        "held_on": e.held_on.isoformat(),
                        "mode": e.mode,
                        "person_present": e.beneficiary_present,
                        "assisted": bool(e.assistant_present),
                        "progress": progress[e.pk],
                        "commitments": reviews[e.pk],
                    }
                    for e in evaluations[contract.pk]
                ],
            }
        )
    document = {
        "format": EXCHANGE_FORMAT,
        "version": EXCHANGE_VERSION,
        "generated_on": generated_on.isoformat(),
        "cpas": {"name": cpas.name, "nis_code": cpas.nis_code},
        "period": {"code": _period_code(start), "start": start.isoformat(), "end": end.isoformat()},
        "agreements": agreements,
    }
    return document, sorted({c.beneficiary_id for c in contracts})


def _content(version: ContractVersion) -> dict:
    """The frozen content of a version as the contract page reads it (a need in a sensitive domain keeps only its
    domain), without the person's contact details (address, phone, e-mail: not needed for the exchange)."""
    data = version_snapshot(version).to_json()
    data.pop("beneficiary", None)
    return data
