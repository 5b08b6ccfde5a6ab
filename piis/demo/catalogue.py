"""Demo of the catalogue (piis.catalogue) and its use in PIIS (issue 18), in each CPAS: the CPAS's own services and
its partners (training centre, the regional employment service, a school, health and housing services), target
groups of its policy for an optional PIIS with a few files in them, and the demo contracts tied to it — a sequenced
path in stages for the first, integrated for the others, objectives and steps tied to a service, the person's
training commitment of means and a commitment of result, a third party linked to its partner. The latest version
of each contract is frozen again from its live content, so that the contract page and the PDF show all of it.
Idempotent (entries and groups looked up by name, a commitment of result by its text); runs on SQLite."""

import datetime

from piis.accounts.enums import Role
from piis.accounts.models import Membership
from piis.cases.models import Beneficiary
from piis.catalogue.enums import EntryKind, TargetGroupBasis
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.catalogue.services import catalogue_entry_save, target_group_save
from piis.contracts.enums import Obligation, Party, PathKind
from piis.contracts.models import Clause, Contract, ContractVersion, Step
from piis.contracts.snapshot import contract_snapshot

CONTEXT = "demo"

# (kind, name, contact, languages, capacity) per language of the CPAS
ENTRIES: dict[str, list[tuple[str, str, str, list[str], int | None]]] = {
    "fr": [
        (EntryKind.INSERTION, "Service d'insertion socioprofessionnelle", "071 59 12 00", ["fr"], 40),
        (EntryKind.ART60, "Mises à l'emploi article 60 §7", "071 59 12 05", ["fr"], 12),
        (EntryKind.WORKSHOP, "Atelier collectif « Mon CV »", "071 59 12 10", ["fr"], 10),
        (EntryKind.BUDGET, "Guidance budgétaire", "071 59 12 20", ["fr"], 25),
        (EntryKind.DEBT, "Médiation de dettes", "071 59 12 21", ["fr"], 20),
        (EntryKind.PSYCHOLOGICAL, "Soutien psychologique", "071 59 12 30", ["fr", "en"], 8),
        (EntryKind.TRAINING, "Centre de formation Horizon", "071 44 55 66", ["fr"], 15),
        (EntryKind.EMPLOYMENT, "FOREM — Maison de l'emploi", "0800 93 947", ["fr", "de"], None),
        (EntryKind.SCHOOL, "École de promotion sociale", "071 33 22 11", ["fr"], 30),
        (EntryKind.HEALTH, "Maison médicale du Centre", "071 11 22 33", ["fr", "en"], None),
        (EntryKind.HOUSING, "Agence immobilière sociale", "071 66 77 88", ["fr"], 6),
    ],
    "nl": [
        (EntryKind.INSERTION, "Dienst socio-professionele inschakeling", "09 266 10 00", ["nl", "fr"], 40),
        (EntryKind.ART60, "Tewerkstelling artikel 60 §7", "09 266 10 05", ["nl"], 12),
        (EntryKind.WORKSHOP, "Groepsatelier 'Mijn cv'", "09 266 10 10", ["nl"], 10),
        (EntryKind.BUDGET, "Budgetbegeleiding", "09 266 10 20", ["nl"], 25),
        (EntryKind.DEBT, "Schuldbemiddeling", "09 266 10 21", ["nl", "fr"], 20),
        (EntryKind.PSYCHOLOGICAL, "Psychologische ondersteuning", "09 266 10 30", ["nl", "en"], 8),
        (EntryKind.TRAINING, "Opleidingscentrum Horizon", "09 244 55 66", ["nl"], 15),
        (EntryKind.EMPLOYMENT, "VDAB — Werkwinkel", "0800 30 700", ["nl", "fr"], None),
        (EntryKind.SCHOOL, "Centrum voor volwassenenonderwijs", "09 233 22 11", ["nl"], 30),
        (EntryKind.HEALTH, "Wijkgezondheidscentrum", "09 211 22 33", ["nl", "en"], None),
        (EntryKind.HOUSING, "Sociaal verhuurkantoor", "09 266 77 88", ["nl"], 6),
    ],
}

# (name, basis, criteria, policy)
GROUPS: dict[str, list[tuple[str, str, str, str]]] = {
    "fr": [
        ("Plus de 25 ans en recherche d'emploi", TargetGroupBasis.OVER_25,
         "25 ans ou plus, au revenu d'intégration depuis au moins six mois, sans formation qualifiante.",
         "Un PIIS est proposé après un entretien d'orientation, avec le service d'insertion."),
        ("Sans-abri", TargetGroupBasis.HOMELESS,
         "Personnes sans domicile, suivies par le relais social ou hébergées en maison d'accueil.",
         "Un PIIS axé sur le logement est proposé, jamais imposé ; l'agence immobilière sociale est associée."),
        ("Primo-arrivants — cours de langue", TargetGroupBasis.NEWCOMERS,
         "Arrivés en Belgique depuis moins de trois ans, parcours d'intégration en cours.",
         "Un PIIS intégré : cours de français, démarches administratives et orientation vers l'emploi."),
    ],
    "nl": [
        ("Ouder dan 25, werkzoekend", TargetGroupBasis.OVER_25,
         "25 jaar of ouder, minstens zes maanden leefloon, geen kwalificerende opleiding.",
         "Een GPMI wordt voorgesteld na een oriënteringsgesprek met de dienst inschakeling."),
        ("Equivalent leefloon", TargetGroupBasis.EQUIVALENT_RI,
         "Maatschappelijke hulp gelijkwaardig aan het leefloon.",
         "Een vrijwillig GPMI met taalcursus en begeleiding naar werk."),
        ("Versterkte begeleiding", TargetGroupBasis.REINFORCED,
         "Meerdere drempels tegelijk (schulden, huisvesting, gezondheid).",
         "Een geïntegreerd GPMI met schuldbemiddeling en psychologische ondersteuning."),
    ],
}  # fmt: skip

RESULT_TEXT = {
    "fr": "Obtenir l'attestation de fin d'atelier « Mon CV ».",
    "nl": "Het attest van het atelier 'Mijn cv' behalen.",
}


def _admin(cpas) -> Membership | None:
    return Membership.objects.filter(cpas=cpas, role=Role.CPAS_ADMIN).select_related("user", "cpas").first()


def _catalogue(cpas, admin, language: str) -> dict[str, CatalogueEntry]:
    by_kind: dict[str, CatalogueEntry] = {}
    for kind, name, contact, languages, capacity in ENTRIES[language]:
        entry = CatalogueEntry.objects.for_cpas(cpas).filter(name=name).first()
        if entry is None:
            entry = CatalogueEntry(cpas=cpas, kind=kind, name=name, contact=contact, languages=languages,
                                   capacity=capacity)  # fmt: skip
            catalogue_entry_save(membership=admin, entry=entry, context=CONTEXT)
        by_kind[kind] = entry
    return by_kind


def _groups(cpas, admin, language: str) -> list[TargetGroup]:
    groups = []
    for name, basis, criteria, policy in GROUPS[language]:
        group = TargetGroup.objects.for_cpas(cpas).filter(name=name).first()
        if group is None:
            group = TargetGroup(cpas=cpas, name=name, basis=basis, criteria=criteria, policy=policy)
            target_group_save(membership=admin, group=group, context=CONTEXT)
        groups.append(group)
    return groups


def _tie(contract: Contract, number: int, entries: dict[str, CatalogueEntry], language: str) -> None:
    """The demo contract's content tied to the catalogue (live rows; the latest version is frozen again after)."""
    sequenced = number == 0
    Contract.objects.filter(pk=contract.pk).update(path=PathKind.SEQUENCED if sequenced else PathKind.INTEGRATED)
    contract.path = PathKind.SEQUENCED if sequenced else PathKind.INTEGRATED
    workshop, training = entries[EntryKind.WORKSHOP], entries[EntryKind.TRAINING]
    for position, objective in enumerate(contract.objectives.order_by("position", "id"), start=1):
        objective.stage = position if sequenced else None
        objective.catalogue_entry = workshop if position == 1 else entries[EntryKind.EMPLOYMENT]
        objective.save(update_fields=["stage", "catalogue_entry"])
    Step.objects.filter(objective__contract=contract).update(catalogue_entry=workshop)
    clauses = contract.clauses.all()
    clauses.filter(party=Party.BENEFICIARY, kind="training").update(catalogue_entry=training)
    clauses.filter(party=Party.CPAS, kind="cpas_support").update(catalogue_entry=entries[EntryKind.BUDGET])
    first_objective = contract.objectives.order_by("position", "id").first()
    if first_objective is not None and not clauses.filter(text=RESULT_TEXT[language]).exists():
        Clause.objects.create(
            cpas=contract.cpas, contract=contract, objective=first_objective, party=Party.BENEFICIARY, kind="training",
            text=RESULT_TEXT[language], proposed_by=Party.BENEFICIARY, obligation=Obligation.RESULT,
            catalogue_entry=workshop, in_force_from=contract.signed_on, order=clauses.count() + 1,
        )  # fmt: skip
    for third in contract.third_parties.filter(catalogue_entry__isnull=True):
        third.catalogue_entry, third.contact = training, third.contact or training.contact
        third.save(update_fields=["catalogue_entry", "contact"])
    latest = ContractVersion.objects.filter(contract=contract, superseded=False).order_by("-number").first()
    if latest is not None and latest.snapshot.get("path", "") != contract.path:
        frozen = contract_snapshot(contract)
        frozen["cpas_signatories"] = latest.snapshot.get("cpas_signatories", frozen["cpas_signatories"])
        ContractVersion.objects.filter(pk=latest.pk).update(snapshot=frozen)


def load_catalogue_demo(cpas, *, language: str, today: datetime.date) -> dict[str, int]:
    language = language if language in ENTRIES else "fr"
    admin = _admin(cpas)
    if admin is None:
        return {"entries": 0, "groups": 0}
    entries = _catalogue(cpas, admin, language)
    groups = _groups(cpas, admin, language)
    # A few files in the CPAS's groups: the first ones without a group, one per group.
    free = list(Beneficiary.objects.for_cpas(cpas).filter(target_group__isnull=True).order_by("id")[: len(groups)])
    if not Beneficiary.objects.for_cpas(cpas).filter(target_group__isnull=False).exists():
        for person, group in zip(free, groups, strict=False):
            Beneficiary.objects.filter(pk=person.pk).update(target_group=group)
    # Once: on a second load the CPAS also holds the files loaded after this demo (the observatory's), left alone.
    if not Clause.objects.for_cpas(cpas).filter(text=RESULT_TEXT[language]).exists():
        for number, contract in enumerate(Contract.objects.for_cpas(cpas).order_by("id")):
            _tie(contract, number, entries, language)
    del today
    return {"entries": len(entries), "groups": len(groups)}
