"""Demo follow-up: evaluations on the demo's PIIS in force (some compliant, some at risk, some not) and a few
meeting requests. Reproducible (seeded by the CPAS) and idempotent (a contract that has evaluations is left
alone; a file that has meeting requests too). Dates are spread inside each contract year; the figures come from
the rules core when the pages judge them, never from here."""

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from piis.accounts.selectors import closure_days
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract
from piis.followup.enums import MeetingStatus, RequestedBy
from piis.followup.models import Evaluation, MeetingRequest
from piis.rules import add_years, meeting_deadline
from piis.rules.params import param_int

# Profiles: (modes of the evaluations held in each contract year so far). The first meets the minimums; the others
# fall short on the number, or on the face-to-face ones.
PROFILES = {
    "compliant": ("office", "phone", "home_visit"),
    "short": ("phone",),
    "remote": ("office", "phone", "video"),
}
# What the staff writes, in the CPAS's language (a Flemish OCMW's notes are in Dutch).
TEXTS = {
    "fr": {
        "difficulties": (
            "",
            "Garde des enfants difficile à organiser les jours de formation.",
            "Problèmes de transport pour se rendre au centre.",
            "",
        ),
        "adjustment": "Reporter l'échéance de la formation d'un mois.",
        "comments": ("", "Je suis content de la formation.", "J'aimerais changer d'orientation.", ""),
        "subjects": ("Question sur la formation", "Changement d'adresse", "Difficultés financières", ""),
    },
    "nl": {
        "difficulties": (
            "",
            "Kinderopvang moeilijk te regelen op de opleidingsdagen.",
            "Vervoersproblemen om naar het centrum te gaan.",
            "",
        ),
        "adjustment": "De einddatum van de opleiding een maand uitstellen.",
        "comments": ("", "Ik ben tevreden over de opleiding.", "Ik zou graag van richting veranderen.", ""),
        "subjects": ("Vraag over de opleiding", "Adreswijziging", "Financiële moeilijkheden", ""),
    },
}


def _dates_in(start: date, end: date, count: int, rng: random.Random) -> list[date]:
    """`count` distinct days spread over [start, end] (fewer if the span is shorter)."""
    span = (end - start).days
    if span <= 0:
        return []
    days = sorted(rng.sample(range(1, span + 1), min(count, span)))
    return [date.fromordinal(start.toordinal() + d) for d in days]


def _evaluations_for(
    contract: Contract, profile: str, today: date, rng: random.Random, texts: dict
) -> list[Evaluation]:
    modes = PROFILES[profile]
    rows, k = [], 0
    assert contract.signed_on is not None  # the demo evaluates contracts in force or ended only
    while (start := add_years(contract.signed_on, k)) <= today:
        year_end = date.fromordinal(add_years(contract.signed_on, k + 1).toordinal() - 1)
        end = min(year_end, today)
        # A compliant file keeps ahead: its evaluations are held in the first half of the year.
        if profile == "compliant":
            end = min(end, date.fromordinal(start.toordinal() + max(1, (year_end - start).days // 2)))
        for held_on, mode in zip(_dates_in(start, end, len(modes), rng), modes, strict=False):
            rows.append(
                Evaluation(
                    cpas_id=contract.cpas_id,
                    contract=contract,
                    held_on=held_on,
                    mode=mode,
                    beneficiary_present=True,
                    difficulties=rng.choice(texts["difficulties"]),
                    adjustments=texts["adjustment"] if rng.random() < 0.2 else "",
                    beneficiary_comment=rng.choice(texts["comments"]),
                    recorded_by_id=contract.social_worker_id,
                )
            )
        k += 1
    return rows


@transaction.atomic
def load_followup_demo(cpas, *, language: str = "fr", today: date | None = None, seed: int = 2026) -> dict[str, int]:
    """Add evaluations to the CPAS's PIIS in force (profiles in rotation) and meeting requests to some of them."""
    today = today or timezone.localdate()
    texts = TEXTS["nl" if language == "nl" else "fr"]
    rng = random.Random(f"{seed}-{cpas.pk}-followup")
    contracts = list(
        Contract.objects.for_cpas(cpas)
        .filter(status=ContractStatus.IN_FORCE, signed_on__isnull=False)
        .select_related("beneficiary")
        .order_by("pk")
    )
    # Idempotent as a whole: a CPAS that already has evaluations or meeting requests had this demo loaded (the demo
    # files loaded after it — the observatory's — bring their own, and must not get these on a second load).
    if Evaluation.objects.for_cpas(cpas).exists() or MeetingRequest.objects.for_cpas(cpas).exists():
        return {"evaluations": 0, "meeting_requests": 0}
    done: set[int] = set()
    asked: set[int] = set()
    closures = closure_days(cpas=cpas)
    profiles = list(PROFILES)
    evaluations, requests = [], []
    for index, contract in enumerate(contracts):
        if contract.pk not in done:
            evaluations += _evaluations_for(contract, profiles[index % len(profiles)], today, rng, texts)
        if index % 3 == 0 and contract.beneficiary_id not in asked:
            requests += _meeting_requests(contract, today, closures, rng, texts["subjects"], held=index % 2 == 0)
    Evaluation.objects.bulk_create(evaluations)
    MeetingRequest.objects.bulk_create(requests)
    return {"evaluations": len(evaluations), "meeting_requests": len(requests)}


def _meeting_requests(contract, today, closures, rng, subjects, *, held: bool) -> list[MeetingRequest]:
    """One open request from a few days ago, and (every other file) one already held."""
    working_days = param_int("meeting_working_days", on=today)
    recent = date.fromordinal(today.toordinal() - rng.randint(0, working_days))
    rows = [
        MeetingRequest(
            cpas_id=contract.cpas_id,
            beneficiary_id=contract.beneficiary_id,
            requested_on=recent,
            requested_by=rng.choice(RequestedBy.values),
            subject=rng.choice(subjects),
            deadline=meeting_deadline(recent, closures=closures),
            recorded_by_id=contract.social_worker_id,
        )
    ]
    if held and contract.signed_on < recent:
        # Within the last year: an older request would be past its retention period (privacy's demo keeps one such
        # request per CPAS on purpose, and the observatory's files have PIIS signed two years ago).
        earlier = max(contract.signed_on, date.fromordinal(recent.toordinal() - 300))
        rows.append(
            MeetingRequest(
                cpas_id=contract.cpas_id,
                beneficiary_id=contract.beneficiary_id,
                requested_on=earlier,
                requested_by=RequestedBy.BENEFICIARY,
                subject=rng.choice(subjects),
                deadline=meeting_deadline(earlier, closures=closures),
                status=MeetingStatus.HELD,
                held_on=meeting_deadline(earlier, closures=closures),
                recorded_by_id=contract.social_worker_id,
            )
        )
    return rows
