"""Synthetic demo data: two CPAS, one user per role in each, ~60 beneficiaries. No real person's data.

Reproducible (a seed) and idempotent (everything is looked up by a natural key before it is created).
Later issues add their objects here, in realistic states.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from faker import Faker

from piis.accounts.enums import Language, Region, Role, SignatoryFunction
from piis.accounts.models import ClosureDay, Cpas, Membership, Signatory, SignatoryDelegation, Team, User
from piis.audit.enums import AuditVerb
from piis.audit.services import audited_save, record
from piis.cases.access import BREAK_GLASS_DURATION
from piis.cases.models import Beneficiary, GlassBreak
from piis.cases.validators import nrn_with_check
from piis.demo.cases import load_cases_demo
from piis.demo.catalogue import load_catalogue_demo
from piis.demo.contracts import load_contracts_demo
from piis.demo.couples import load_couple_demo
from piis.demo.documents import load_documents_demo
from piis.demo.followup import load_followup_demo
from piis.demo.observatory import load_observatory_demo
from piis.demo.privacy import load_privacy_demo
from piis.demo.sanctions import load_sanctions_demo
from piis.demo.sittings import load_sittings_demo
from piis.demo.transfers import load_transfers_demo

DEMO_PASSWORD = "demo-piis-2026"  # noqa: S105 — printed on purpose: demo accounts only


@dataclass(frozen=True)
class DemoCpas:
    key: str
    name: str
    nis_code: str
    region: str
    languages: tuple[str, ...]
    faker_locale: str
    signatories: tuple[tuple[str, str], ...]
    closures: tuple[tuple[str, str], ...]
    town: str = ""
    postcode: str = ""


DEMO_CPAS = (
    DemoCpas(
        key="wal",
        name="CPAS de Beaumont-les-Prés (démo)",
        town="Beaumont-les-Prés",
        postcode="6599",
        nis_code="99101",
        region=Region.WALLONIA,
        languages=(Language.FR,),
        faker_locale="fr_BE",
        signatories=(
            (SignatoryFunction.PRESIDENT, "council_member"),
            (SignatoryFunction.GENERAL_DIRECTOR, "director"),
        ),
        closures=(("2026-09-27", "Fête de la Fédération Wallonie-Bruxelles"), ("2026-12-24", "Veille de Noël")),
    ),
    DemoCpas(
        key="vla",
        name="OCMW Lindendaal (demo)",
        town="Lindendaal",
        postcode="9899",
        nis_code="99201",
        region=Region.FLANDERS,
        languages=(Language.NL, Language.FR),
        faker_locale="nl_BE",
        signatories=(
            (SignatoryFunction.BCSD_CHAIR, "council_member"),
            (SignatoryFunction.ALGEMEEN_DIRECTEUR, "director"),
        ),
        closures=(("2026-07-11", "Feestdag van de Vlaamse Gemeenschap"), ("2026-12-24", "Kerstavond")),
    ),
)
BENEFICIARIES_PER_CPAS = 30


def _user(username: str, fake: Faker, language: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": fake.first_name(), "last_name": fake.last_name(), "preferred_language": language},
    )
    if created:
        user.email = f"{username}@demo.invalid"
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _cpas(spec: DemoCpas) -> Cpas:
    cpas, _ = Cpas.objects.get_or_create(
        nis_code=spec.nis_code,
        defaults={"name": spec.name, "region": spec.region, "working_languages": list(spec.languages)},
    )
    return cpas


def _staff(spec: DemoCpas, cpas: Cpas, fake: Faker) -> dict[str, User]:
    users = {}
    for role in Role:
        user = _user(f"{spec.key}_{role.value}", fake, spec.languages[0])
        Membership.objects.get_or_create(user=user, cpas=cpas, defaults={"role": role})
        users[role.value] = user
    return users


def _configuration(spec: DemoCpas, cpas: Cpas, users: dict[str, User], fake: Faker) -> None:
    for position, (function, role) in enumerate(spec.signatories):
        holder = users[role]
        signatory, created = Signatory.objects.get_or_create(
            cpas=cpas,
            function=function,
            defaults={"holder_name": holder.get_full_name(), "holder": holder, "position": position},
        )
        if created:
            SignatoryDelegation.objects.create(
                cpas=cpas,
                signatory=signatory,
                delegate_name=fake.name(),
                valid_from=datetime.date(2026, 1, 1),
                valid_until=datetime.date(2026, 12, 31),
            )
    for day, label in spec.closures:
        ClosureDay.objects.get_or_create(cpas=cpas, day=datetime.date.fromisoformat(day), defaults={"label": label})


FR_STREETS = ("Rue", "Avenue", "Chaussée", "Place", "Clos")
NL_STREETS = ("straat", "laan", "dreef", "plein", "steenweg")


def belgian_address(spec: DemoCpas, fake: Faker) -> str:
    """A Belgian-looking address in the demo CPAS's (fictional) town: Faker's fr_BE has no Belgian addresses."""
    number = fake.random_int(1, 180)
    if spec.languages[0] == Language.NL:
        street = f"{fake.last_name()}{fake.random_element(NL_STREETS)}"
    else:
        street = f"{fake.random_element(FR_STREETS)} {fake.last_name()}"
    return f"{street} {number}, {spec.postcode} {spec.town}"


def _beneficiaries(spec: DemoCpas, cpas: Cpas, users: dict[str, User], fake: Faker, rng: random.Random) -> int:
    workers = [users[Role.SOCIAL_WORKER.value], users[Role.TEAM_LEAD.value]]
    created = 0
    for index in range(BENEFICIARIES_PER_CPAS):
        birth = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randrange(0, 16800))
        first_name, last_name = fake.first_name(), fake.last_name()
        number = nrn_with_check(birth, 1 + (index * 2 + rng.randrange(0, 2)) % 997)
        # Draw every random value before the existence check, so that a second run draws the same sequence.
        language = spec.languages[0] if rng.random() < 0.8 else rng.choice(list(Language))
        phone, address = fake.phone_number()[:30], belgian_address(spec, fake)[:300]
        if Beneficiary.objects.filter(cpas=cpas, national_number=number).exists():
            continue
        beneficiary = Beneficiary(
            cpas=cpas,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth,
            national_number=number,
            language=language,
            phone=phone,
            address=address,
            social_worker=workers[index % len(workers)],
        )
        audited_save(actor=None, cpas=cpas, verb=AuditVerb.FILE_CREATED, instance=beneficiary, context="demo_data")
        created += 1
    return created


@transaction.atomic
def load_demo_data(seed: int = 2026, today: datetime.date | None = None) -> dict[str, int]:
    """Create (or complete) the demo; returns what was created per CPAS key.

    Dates of RI decisions, contracts and evaluations are placed relative to `today` (default: the local date), so
    that the demo always shows deadlines ahead and behind.
    """
    today = today or timezone.localdate()
    result = {}
    for offset, spec in enumerate(DEMO_CPAS):
        fake = Faker(spec.faker_locale)
        fake.seed_instance(seed + offset)
        rng = random.Random(seed + offset)
        # What is written while loading (the audit trail's names of objects, e.g. "PIIS … (Draft)", a signatory's
        # function) is in the CPAS's first working language, as if its own staff had entered it.
        with translation.override(spec.languages[0]):
            cpas = _cpas(spec)
            users = _staff(spec, cpas, fake)
            _configuration(spec, cpas, users, fake)
            result[spec.key] = _beneficiaries(spec, cpas, users, fake, rng)
            load_cases_demo(cpas, language=spec.languages[0], seed=seed + offset, today=today)
            load_contracts_demo(cpas, language=spec.languages[0], today=today)
            load_catalogue_demo(cpas, language=spec.languages[0], today=today)
            load_followup_demo(cpas, language=spec.languages[0], today=today, seed=seed + offset)
            load_sanctions_demo(cpas, language=spec.languages[0], today=today)
            load_sittings_demo(cpas, language=spec.languages[0], today=today)
            load_privacy_demo(cpas, language=spec.languages[0], today=today)
            load_documents_demo(cpas, language=spec.languages[0], today=today)
            _teams(spec, cpas, users, fake)
    # Transfers go from one demo CPAS to the other: loaded once both exist.
    demo = [Cpas.objects.get(nis_code=spec.nis_code) for spec in DEMO_CPAS]
    for spec, cpas, other in zip(DEMO_CPAS, demo, demo[1:] + demo[:1], strict=True):
        with translation.override(spec.languages[0]):
            load_transfers_demo(cpas, other, today=today)
    # The observatory's files (piis/demo/observatory.py) come last: the transfers take the latest PIIS in force.
    for offset, spec in enumerate(DEMO_CPAS):
        with translation.override(spec.languages[0]):
            load_observatory_demo(
                Cpas.objects.get(nis_code=spec.nis_code), language=spec.languages[0], today=today, seed=seed + offset
            )
            # A couple on the category-3 RI, one partner with a PIIS: the subsidy claim's couple line (R70).
            load_couple_demo(Cpas.objects.get(nis_code=spec.nis_code), language=spec.languages[0], today=today)
    _multi_cpas_user()
    return result


# Need-to-know (piis.cases.access): two teams per CPAS, both led by the team lead. The first holds the social worker,
# the lead and every demo file (the demo's walkthroughs and browser tests open them as the social worker); the second
# a second social worker, who reaches no file until one is given to their team, and breaks the glass for the others.
DEMO_TEAMS: dict[str, tuple[str, str]] = {
    Language.FR: ("Équipe Centre", "Équipe Nord"),
    Language.NL: ("Team Centrum", "Team Noord"),
}


def _teams(spec: DemoCpas, cpas: Cpas, users: dict[str, User], fake: Faker) -> None:
    """Drawn after everything else, so that the names of the people drawn before stay those of earlier demos."""
    lead = users[Role.TEAM_LEAD.value]
    first_name, second_name = DEMO_TEAMS.get(spec.languages[0], DEMO_TEAMS[Language.FR])
    first, _ = Team.objects.get_or_create(cpas=cpas, name=first_name, defaults={"lead": lead})
    second, _ = Team.objects.get_or_create(cpas=cpas, name=second_name, defaults={"lead": lead})
    other_worker = _user(f"{spec.key}_social_worker_2", fake, spec.languages[0])
    Membership.objects.get_or_create(user=other_worker, cpas=cpas, defaults={"role": Role.SOCIAL_WORKER})
    members = Membership.objects.filter(cpas=cpas, team__isnull=True)
    members.filter(user__in=[users[Role.SOCIAL_WORKER.value], lead]).update(team=first)
    members.filter(user=other_worker).update(team=second)
    Beneficiary.objects.for_cpas(cpas).filter(team__isnull=True).update(team=first)
    _glass_break_example(spec, cpas, users)


DEMO_GLASS_REASONS: dict[str, str] = {
    Language.FR: "Plainte de la personne au sujet de son dossier : vérification demandée par la direction.",
    Language.NL: "Klacht van de persoon over het dossier: nazicht gevraagd door de directie.",
}


def _glass_break_example(spec: DemoCpas, cpas: Cpas, users: dict[str, User]) -> None:
    """One past break-the-glass opening by the director, so that the DPO's list shows what one looks like."""
    if GlassBreak.objects.for_cpas(cpas).exists():
        return
    beneficiary = Beneficiary.objects.for_cpas(cpas).order_by("national_number").first()
    if beneficiary is None:
        return
    director = users[Role.DIRECTOR.value]
    reason = DEMO_GLASS_REASONS.get(spec.languages[0], DEMO_GLASS_REASONS[Language.FR])
    opened = timezone.now() - datetime.timedelta(days=1)
    grant = GlassBreak.objects.create(
        cpas=cpas, beneficiary=beneficiary, user=director, reason=reason, until=opened + BREAK_GLASS_DURATION
    )
    GlassBreak.objects.filter(pk=grant.pk).update(opened_at=opened)
    record(
        actor=director,
        cpas=cpas,
        verb=AuditVerb.FILE_GLASS_BROKEN,
        target=beneficiary,
        beneficiary_id=beneficiary.pk,
        changes={"reason": reason, "until": grant.until.isoformat()},
        context="demo_data",
    )


def _multi_cpas_user() -> None:
    """One account in both CPAS, to show explicit CPAS switching."""
    fake = Faker("fr_BE")
    fake.seed_instance(7)
    user = _user("both_director", fake, Language.FR)
    for spec in DEMO_CPAS:
        Membership.objects.get_or_create(
            user=user, cpas=Cpas.objects.get(nis_code=spec.nis_code), defaults={"role": Role.DIRECTOR}
        )


def demo_logins() -> list[tuple[str, str, str]]:
    """(user name, CPAS, role) of each demo account; the role is named in the CPAS's first working language."""
    rows = []
    for membership in Membership.objects.filter(user__email__endswith="@demo.invalid").select_related("user", "cpas"):
        with translation.override(membership.cpas.default_language):
            rows.append((membership.user.username, membership.cpas.name, str(membership.get_role_display())))
    return sorted(rows)
