"""A small demo-like world for the fuzz test: one CPAS with a member of every role, a file with every kind of
record, a PIIS in each state of its lifecycle, follow-up rows and the CPAS's configuration; and a second CPAS whose
objects must stay out of reach. Built with the test builders and the real lifecycle services, so the pages show what
they show for real data.

`path_candidates(world)` gives, for each combination of URL parameters the URL resolver knows, the values to fill
them with: ids of these objects (each of its kind, in its states), another CPAS's ids, and ids that do not exist.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from piis.accounts.enums import Role
from piis.accounts.models import Membership
from piis.api.models import ApiToken
from piis.cases.views import RECORD_KINDS
from piis.contracts.models import Contract, Signature
from piis.contracts.rights import RIGHT_CODES
from piis.contracts.services.lifecycle import (
    contract_end,
    contract_hand_over,
    contract_sign,
    contract_start_amendment,
    version_record_information,
)
from piis.documents.enums import LetterKind
from piis.followup.models import CalendarFeed
from piis.followup.services import meeting_request_create, meeting_request_mark_held
from piis.observatory.selectors import _chart_groups
from piis.privacy.enums import RecordKind
from piis.privacy.models import RetentionPeriod
from piis.sanctions.views import STEPS as SANCTION_STEPS
from tests.contracts.isolation_lifecycle import drafted_contract
from tests.factories import (
    default_team,
    make_assistant,
    make_beneficiary,
    make_clause_template,
    make_closure_day,
    make_contract,
    make_cpas,
    make_delegation,
    make_exemption,
    make_household_member,
    make_income_period,
    make_member,
    make_ri_decision,
    make_signatory,
    make_version,
)
from tests.followup.builders import make_commitment_review, make_evaluation, make_objective_progress

D = datetime.date
HANDED_OVER = D(2026, 3, 2)
SIGNED = D(2026, 3, 9)
# Ids no object has: a small one, one past any sequence, one past PostgreSQL's bigint.
MISSING_IDS = (0, 987654321, 2**64)


@dataclass
class World:
    cpas: object
    other_cpas: object
    members: dict[str, Membership]  # role → membership in `cpas`
    ids: dict[str, list] = field(default_factory=dict)  # parameter name → ids of own objects
    foreign: dict[str, list] = field(default_factory=dict)  # parameter name → ids in the other CPAS
    records: list[tuple[int, str, int]] = field(default_factory=list)  # (beneficiary, kind, record) of the file
    versions: list[tuple[int, int]] = field(default_factory=list)  # (contract, version)
    signatures: list[tuple[int, int]] = field(default_factory=list)  # (contract, signature)
    assessments: list[tuple[int, int]] = field(default_factory=list)  # (beneficiary, assessment)
    cpas_objects: list[tuple[str, int]] = field(default_factory=list)  # (kind, id) on the CPAS settings page
    feed_tokens: list[str] = field(default_factory=list)
    scanned_signature: int = 0
    person_account: object = None  # the portal account the crawls log in with as "person" (piis.portal)
    search_term: str = ""  # the name of the world's person, typed in the search forms of the pages (test_fuzz)


def _add(world: World, name: str, *objects) -> None:
    world.ids.setdefault(name, []).extend(o.pk for o in objects)


def _hand_over(worker, contract, on=HANDED_OVER, reason=""):
    return contract_hand_over(membership=worker, contract=contract, handed_over_on=on, today=on, reason=reason)


def _inform(worker, version, on=HANDED_OVER):
    version_record_information(
        membership=worker, version=version, given_on=on, rights=list(RIGHT_CODES), assistance="declined", today=on
    )


def _sign(worker, version, signer, on=SIGNED):
    contract_sign(membership=worker, version=version, signer=signer, signed_on=on, method="paper", today=on)


def _in_force(cpas, worker, matrix):
    contract = drafted_contract(cpas, social_worker=worker.user, third_party=True)
    version = _hand_over(worker, contract)
    _inform(worker, version)
    _sign(worker, version, "beneficiary")
    for third in contract.third_parties.all():
        _sign(worker, version, f"third_party:{third.pk}")
    for line in matrix:
        _sign(worker, version, f"signatory:{line.pk}")
    contract.refresh_from_db()
    assert contract.status == "in_force", contract.status
    return contract, version


def build_world() -> World:
    cpas = make_cpas()
    other = make_cpas(name="CPAS Ailleurs")
    members = {role.value: make_member(cpas, role, username=f"fuzz_{role.value}") for role in Role}
    # One account in both CPAS, so switching has somewhere to go.
    Membership.objects.create(user=members[Role.DIRECTOR].user, cpas=other, role=Role.DIRECTOR)
    world = World(cpas=cpas, other_cpas=other, members=members)
    worker = members[Role.SOCIAL_WORKER]

    matrix = [
        make_signatory(cpas, function="president", holder_name="Paula President"),
        make_signatory(cpas, function="general_director", holder_name="Gaston Director"),
    ]
    delegation = make_delegation(cpas, signatory=matrix[0])
    closure = make_closure_day(cpas, label="Fermeture")
    # a retention period the CPAS set (its edit form then edits an existing object; the others are new ones)
    RetentionPeriod.objects.create(cpas=cpas, kind=RecordKind.MEETING_REQUEST, years=3)
    world.cpas_objects = [("signatory", matrix[0].pk), ("delegation", delegation.pk), ("closure", closure.pk)]
    world.ids["object_id"] = [matrix[0].pk, matrix[1].pk, delegation.pk, closure.pk]
    # A member whose second factor the administrator may reset (not one the crawl logs in as).
    world.ids["membership_id"] = [make_member(cpas, Role.SOCIAL_WORKER, username="fuzz_resettable").pk]
    _add(world, "template_id", make_clause_template(cpas), make_clause_template(cpas, active=False))

    # A file with every kind of record.
    person = make_beneficiary(cpas, social_worker=worker.user)
    world.search_term = person.last_name
    records = {
        "household": make_household_member(cpas, beneficiary=person),
        "assistant": make_assistant(cpas, beneficiary=person),
        "ri": make_ri_decision(cpas, beneficiary=person),
        "period": make_income_period(cpas, beneficiary=person),
        "exemption": make_exemption(cpas, beneficiary=person),
    }
    assert set(records) == set(RECORD_KINDS), "a new kind of file record: add one here"
    world.records = [(person.pk, kind, record.pk) for kind, record in records.items()]

    # A PIIS in each state of its lifecycle.
    draft = drafted_contract(cpas, social_worker=worker.user, third_party=True)
    handed = drafted_contract(cpas, social_worker=worker.user)
    _hand_over(worker, handed)
    awaiting = drafted_contract(cpas, social_worker=worker.user)
    awaiting_version = _hand_over(worker, awaiting)
    _inform(worker, awaiting_version)
    _sign(worker, awaiting_version, "beneficiary")
    in_force, in_force_version = _in_force(cpas, worker, matrix)
    amending, _ = _in_force(cpas, worker, matrix)
    contract_start_amendment(membership=worker, contract=amending, reason="Nouvelles dates")
    amended, _ = _in_force(cpas, worker, matrix)
    contract_start_amendment(membership=worker, contract=amended, reason="Nouvelles dates")
    amended.refresh_from_db()
    _hand_over(worker, amended, on=D(2026, 6, 1), reason="Nouvelles dates")
    ended, _ = _in_force(cpas, worker, matrix)
    contract_end(membership=worker, contract=ended, ended_on=D(2026, 9, 1), reason="other", today=D(2026, 9, 1))
    contracts = [draft, handed, awaiting, in_force, amending, amended, ended]
    _add(world, "contract_id", *contracts)

    # A scanned signature, so the scan page has a file to serve.
    scanned = Signature.objects.filter(version=in_force_version, party="beneficiary").get()
    scanned.scan.save("scan.pdf", ContentFile(b"%PDF-1.4 fuzz"), save=True)
    world.scanned_signature = scanned.pk

    # Every file, with the one that has every record first.
    _add(world, "beneficiary_id", person, *(c.beneficiary for c in contracts))
    world.assessments = [(c.beneficiary_id, c.assessment_id) for c in (draft, in_force)]
    for contract in (
        Contract.objects.filter(pk__in=[c.pk for c in contracts])
        .order_by("pk")
        .prefetch_related("versions__signatures", "objectives__steps", "clauses", "third_parties")
    ):
        for version in contract.versions.all():
            world.versions.append((contract.pk, version.pk))
            world.signatures += [(contract.pk, s.pk) for s in version.signatures.all()]
        for objective in contract.objectives.all():
            _add(world, "objective_id", objective)
            _add(world, "step_id", *objective.steps.all())
        _add(world, "clause_id", *contract.clauses.all())
        _add(world, "third_party_id", *contract.third_parties.all())

    # Follow-up: an evaluation with its lines, meeting requests open and held, a calendar feed.
    evaluation = make_evaluation(cpas, contract=in_force, held_on=D(2026, 4, 10), recorded_by=worker.user)
    make_objective_progress(cpas, evaluation=evaluation, objective=in_force.objectives.first())
    make_commitment_review(cpas, evaluation=evaluation, clause=in_force.clauses.filter(party="cpas").first())
    # The contract whose amendment is being drafted has an evaluation too: its objective and commitment are then
    # referred to by the follow-up while they can be edited.
    amending_evaluation = make_evaluation(cpas, contract=amending, held_on=D(2026, 4, 10), recorded_by=worker.user)
    make_objective_progress(cpas, evaluation=amending_evaluation, objective=amending.objectives.first())
    make_commitment_review(cpas, evaluation=amending_evaluation, clause=amending.clauses.filter(party="cpas").first())
    _add(
        world,
        "evaluation_id",
        evaluation,
        amending_evaluation,
        make_evaluation(cpas, contract=ended, held_on=D(2026, 5, 4)),
    )
    open_request = meeting_request_create(
        membership=worker, beneficiary=in_force.beneficiary, requested_on=D(2026, 11, 20), requested_by="beneficiary"
    )
    held = meeting_request_create(
        membership=worker, beneficiary=person, requested_on=D(2026, 10, 1), requested_by="worker"
    )
    meeting_request_mark_held(membership=worker, meeting_request=held, held_on=D(2026, 10, 5))
    _add(world, "meeting_id", open_request, held)
    feed = CalendarFeed.objects.create(cpas=cpas, user=worker.user)
    world.feed_tokens = [feed.token]
    # API tokens (piis.api): one in use and one revoked, for the administrator's token page; one of the other CPAS.
    from tests.api.builders import make_token

    _add(world, "token_id", make_token(cpas), make_token(cpas, name="Revoked"))
    ApiToken.objects.filter(pk=world.ids["token_id"][1]).update(revoked_at=datetime.datetime.now(datetime.UTC))
    world.foreign["token_id"] = [make_token(other).pk]

    # The other CPAS: the same kinds of objects, which no member of `cpas` may reach.
    theirs = make_contract(other, with_assessment=True)
    their_version = make_version(other, contract=theirs)
    world.foreign = {
        "beneficiary_id": [theirs.beneficiary_id],
        "contract_id": [theirs.pk],
        "version_id": [their_version.pk],
        "assessment_id": [theirs.assessment_id],
        "record_id": [theirs.ri_decision_id],
        "object_id": [make_closure_day(other).pk],
        "membership_id": [make_member(other, Role.SOCIAL_WORKER).pk],
        "template_id": [make_clause_template(other).pk],
    }
    world.feed_tokens.append(CalendarFeed.objects.create(cpas=other, user=make_member(other).user).token)
    # The team every member and file of the world belongs to (need-to-know, tests.factories.default_team).
    world.ids["team_id"] = [default_team(cpas).pk]
    world.foreign["team_id"] = [default_team(other).pk]
    # The catalogue (piis.catalogue): a service and a partner, an active and an inactive target group; the other
    # CPAS's.
    from tests.catalogue.builders import make_catalogue_entry, make_target_group

    _add(world, "entry_id", make_catalogue_entry(cpas), make_catalogue_entry(cpas, kind="budget", name="Budget"))
    _add(world, "group_id", make_target_group(cpas), make_target_group(cpas, name="Ancien groupe", active=False))
    world.foreign["entry_id"] = [make_catalogue_entry(other).pk]
    world.foreign["group_id"] = [make_target_group(other).pk]

    # A sanction dossier with its formal notice (piis.sanctions), and one of the other CPAS.
    from tests.sanctions.builders import make_dossier, make_notice

    breached = in_force.clauses.filter(party="beneficiary").order_by("pk").first()
    dossier = make_dossier(cpas, contract=in_force, clause=breached, opened_by=worker.user)
    # a notice still to send, whose date to comply or explain is ahead of today (the day the step forms offer to
    # send it on): the notice's step and its sending may be saved as shown (tests/core/test_read_version.py)
    make_notice(cpas, dossier=dossier, comply_by=timezone.localdate() + datetime.timedelta(days=15))
    _add(world, "dossier_id", dossier)
    world.foreign["dossier_id"] = [make_dossier(other).pk]

    # The council (piis.sanctions, *_council): a planned sitting with a sanction dossier still to decide, another
    # matter heard and a decision not yet notified; a sitting whose minutes are closed, with a notified decision under
    # appeal; a payment export; and the other CPAS's.
    from tests.sanctions.builders import (
        make_appeal,
        make_decision,
        make_item,
        make_payment_export,
        make_payment_line,
        make_sitting,
    )

    secretary = members[Role.COUNCIL_SECRETARY].user
    planned = make_sitting(cpas, created_by=secretary, secretary=secretary, sits_on=D(2026, 12, 10))
    planned.members.add(members[Role.COUNCIL_MEMBER].user)
    to_decide = make_item(cpas, sitting=planned, position=1)
    matter = make_item(cpas, sitting=planned, kind="refusal_to_sign", beneficiary=person, position=2)
    decided = make_item(cpas, sitting=planned, position=3)
    not_notified = make_decision(cpas, item=decided)
    # held last week, every item decided: its minutes may be closed
    held_sitting = make_sitting(
        cpas, created_by=secretary, secretary=secretary, sits_on=D(2026, 11, 20), status="held"
    )
    make_decision(cpas, item=make_item(cpas, sitting=held_sitting))
    closed = make_sitting(cpas, created_by=secretary, status="minutes_closed", present="Mme A, M. B")
    closed.members.add(members[Role.COUNCIL_MEMBER].user)
    notified = make_decision(
        cpas, item=make_item(cpas, sitting=closed), notified_on=D(2026, 5, 25), start_on=D(2026, 7, 1),
        end_on=D(2026, 7, 31),
    )  # fmt: skip
    _add(world, "sitting_id", planned, held_sitting, closed)
    _add(world, "item_id", matter, to_decide, decided)  # the other matter first: its hearing page is the secretary's
    # a dossier ready for the council, which the planned sitting's agenda may take
    # (on a PIIS of the world's social worker, who may send it back to preparation: sanctions:back), and one in
    # preparation which they may mark ready (sanctions:ready)
    ready = make_dossier(
        cpas, status="ready", ready_on=D(2026, 11, 2),
        contract=make_contract(cpas, status="in_force", signed_on=SIGNED, social_worker=worker.user),
    )  # fmt: skip
    preparing = make_dossier(
        cpas, status="preparing", contract=make_contract(cpas, status="in_force", signed_on=SIGNED,
                                                         social_worker=worker.user),
    )  # fmt: skip
    _add(world, "dossier_id", ready, preparing)
    _add(world, "decision_id", not_notified, notified)
    _add(world, "appeal_id", make_appeal(cpas, decision=notified))
    _add(world, "export_id", make_payment_line(cpas, decision=notified).export)
    their_item = make_item(other)
    world.foreign["sitting_id"] = [their_item.sitting_id]
    world.foreign["item_id"] = [their_item.pk]
    world.foreign["decision_id"] = [make_decision(other, item=their_item).pk]
    world.foreign["appeal_id"] = [make_appeal(other).pk]
    world.foreign["export_id"] = [make_payment_export(other).pk]

    # Transfers (piis.transfers): one of the file in force leaving for the other CPAS, one coming in with its package
    # and a commitment to review; and the other CPAS's.
    from tests.transfers.builders import make_incoming, make_review, make_transfer

    _add(world, "transfer_id", make_transfer(cpas, contract=in_force))
    received = make_incoming(cpas, status="received", received_on=SIGNED, last_name=person.last_name)
    # A PIIS sent to the other CPAS, whose package the old CPAS keeps (transfers:export), and a package received
    # here with its content (transfers:incoming_pdf, transfers:incoming_export).
    from piis.transfers import services as transfer_services
    from piis.transfers.enums import Answer
    from tests.transfers.builders import FAKE_PDF, MOVED, make_piis_in_force

    leaving = make_piis_in_force(cpas)
    sent = transfer_services.transfer_record_move(
        membership=worker, contract=leaving, moved_on=MOVED, learned_on=D(2026, 7, 2), answer_by=D(2026, 7, 16),
        new_cpas=other, today=D(2026, 7, 2),
    )  # fmt: skip
    transfer_services.transfer_record_answer(
        membership=worker, transfer=sent, answer=Answer.CONSENT, answered_on=D(2026, 7, 3), channel="letter",
        today=D(2026, 7, 3),
    )  # fmt: skip
    sent = transfer_services.transfer_send(membership=worker, transfer=sent, pdf=FAKE_PDF, today=D(2026, 7, 3))
    _add(world, "transfer_id", sent)
    with_content = make_incoming(cpas, status="received", received_on=D(2026, 7, 3), package=sent.package)
    _add(world, "incoming_id", received, make_incoming(cpas), with_content)
    _add(world, "review_id", make_review(cpas, incoming=received))
    world.foreign["transfer_id"] = [make_transfer(other).pk]
    world.foreign["incoming_id"] = [make_incoming(other).pk]
    world.foreign["review_id"] = [make_review(other).pk]

    # Documents and letters (piis.documents): an attestation proving a step of the PIIS in force, a medical certificate
    # of the file with every record, a letter sent, how a hand-over and an evaluation were explained, the outcome of
    # the ended PIIS; and the other CPAS's.
    from piis.documents.models import Explanation
    from tests.documents.builders import make_document, make_letter, make_outcome

    step = in_force.objectives.first().steps.first()
    attestation = make_document(
        cpas, beneficiary=in_force.beneficiary, contract=in_force, step=step, kind="attendance"
    )
    _add(world, "document_id", attestation, make_document(cpas, beneficiary=person, kind="medical"))
    _add(world, "letter_id", make_letter(cpas, beneficiary=person))
    Explanation.objects.create(cpas=cpas, contract=in_force, version=in_force_version, orally=True, language="fr",
                               recorded_by=worker.user)  # fmt: skip
    Explanation.objects.create(cpas=cpas, contract=in_force, evaluation=evaluation, interpreter="SeTIS",
                               recorded_by=worker.user)  # fmt: skip
    make_outcome(cpas, contract=ended)
    world.ids["contract_evaluation"] = [(in_force.pk, evaluation.pk), (amending.pk, amending_evaluation.pk)]
    world.foreign["document_id"] = [make_document(other).pk]
    world.foreign["letter_id"] = [make_letter(other).pk]
    # A report built in the background (piis.jobs, reports.builds): the month's claim naming the file, ready to
    # download; and the other CPAS's.
    from piis.jobs.enums import JobKind
    from tests.jobs.builders import make_job

    _add(world, "job_id", make_job(cpas, kind=JobKind.CLAIM_CSV, user=worker.user, beneficiary_ids=[person.pk]))
    world.foreign["job_id"] = [make_job(other).pk]
    # The observatory's federal export built in the background (observatory.builds), naming the file.
    half = {"start": "2026-01-01", "end": "2026-06-30", "code": "2026-S1"}
    statistics = make_job(cpas, kind=JobKind.FEDERAL_STATISTICS, user=worker.user, beneficiary_ids=[person.pk],
                          params=half)  # fmt: skip
    _add(world, "job_id", statistics)
    # The month's claim of the reports' routes (March 2026) computed and stored, as the nightly run leaves it.
    from piis.reports.claims import compute_claim

    compute_claim(cpas, datetime.date(2026, 3, 1))
    # What the person asked on the portal (piis.portal.actions): an open amendment request of the PIIS in force,
    # answered by the worker from the contract page (contracts:amendment_request_answer); and the other CPAS's.
    from tests.followup.isolation_person_actions import make_amendment_request

    asked, theirs = make_amendment_request(cpas, contract=in_force), make_amendment_request(other)
    world.ids["contract_request"] = [(in_force.pk, asked.pk)]
    world.foreign["contract_request"] = [(theirs.contract_id, theirs.pk)]
    # The person on their portal (piis.portal): a file with a PIIS in force, a notice sent, a decision notified, a
    # transfer letter sent and a portal account; the portal's ids are theirs (piis_id…), other people's are not.
    from tests.portal.world import person_world

    mine = person_world(cpas, worker=worker, first_name="Portal")
    world.person_account = mine.account
    for name in ("piis_id", "piis_version_id", "notice_letter_id", "decision_letter_id", "move_letter_id"):
        world.ids[name] = mine.ids[name]
    # The person's own evaluation and transfer, for the portal's comment and answer pages (staff routes try them too).
    for name in ("evaluation_id", "transfer_id"):
        world.ids[name] = [*mine.ids[name], *world.ids.get(name, [])]
    world.foreign.update(
        piis_id=world.ids["contract_id"][:1],
        decision_letter_id=world.ids["decision_id"][:1],
        move_letter_id=world.ids["transfer_id"][:1],
    )
    return world


def path_candidates(world: World) -> dict[tuple[str, ...], tuple[list[dict], list[dict]]]:
    """URL keyword arguments to try, by the sorted names of a route's parameters: (the CPAS's own objects, then
    another CPAS's objects, mismatched pairs and ids that do not exist)."""

    def single(name):
        return (
            [{name: value} for value in world.ids.get(name, [])],
            [{name: value} for value in (*world.foreign.get(name, []), *MISSING_IDS)],
        )

    beneficiary = world.ids["beneficiary_id"][0]
    foreign_beneficiary = world.foreign["beneficiary_id"][0]
    candidates = {
        (): ([{}], []),
        **{
            (name,): single(name)
            for name in (
                "beneficiary_id",
                "contract_id",
                "objective_id",
                "step_id",
                "clause_id",
                "third_party_id",
                "template_id",
                "evaluation_id",
                "meeting_id",
                "object_id",
                "membership_id",
                "team_id",
                "dossier_id",
                "transfer_id",
                "incoming_id",
                "review_id",
                "sitting_id",
                "item_id",
                "decision_id",
                "appeal_id",
                "export_id",
                "token_id",
                "entry_id",
                "group_id",
                "piis_id",
                "notice_letter_id",
                "decision_letter_id",
                "move_letter_id",
                "document_id",
                "letter_id",
                "job_id",
            )
        },  # fmt: skip
        # piis.reports: a month and a year of the world's RI decisions (2026), and one person's line of that month.
        ("piis_id", "piis_version_id"): (
            [{"piis_id": world.ids["piis_id"][0], "piis_version_id": world.ids["piis_version_id"][0]}],
            [
                {"piis_id": world.ids["contract_id"][0], "piis_version_id": world.ids["piis_version_id"][0]},
                {"piis_id": world.ids["piis_id"][0], "piis_version_id": MISSING_IDS[1]},
            ],
        ),
        ("year",): ([{"year": 2026}], [{"year": 1999}, {"year": 9999}]),
        ("month", "year"): ([{"year": 2026, "month": 3}], [{"year": 2026, "month": 13}, {"year": 1999, "month": 1}]),
        ("beneficiary_id", "month", "year"): (
            [{"beneficiary_id": b, "year": 2026, "month": 3} for b in world.ids["beneficiary_id"][:2]],
            [
                {"beneficiary_id": foreign_beneficiary, "year": 2026, "month": 3},
                {"beneficiary_id": MISSING_IDS[-1], "year": 2026, "month": 3},
                {"beneficiary_id": beneficiary, "year": 2026, "month": 0},
            ],
        ),
        ("token",): (
            [{"token": token} for token in world.feed_tokens],
            [{"token": "no-such-token"}, {"token": "x" * 300}, {"token": "a\x00b"}],
        ),
        ("assessment_id", "beneficiary_id"): (
            [{"beneficiary_id": b, "assessment_id": a} for b, a in world.assessments],
            [
                {"beneficiary_id": beneficiary, "assessment_id": world.foreign["assessment_id"][0]},
                {"beneficiary_id": foreign_beneficiary, "assessment_id": world.foreign["assessment_id"][0]},
                {"beneficiary_id": beneficiary, "assessment_id": world.assessments[-1][1]},  # another file's
                {"beneficiary_id": beneficiary, "assessment_id": MISSING_IDS[-1]},
            ],
        ),
        ("beneficiary_id", "kind"): (
            # the kinds of file record (cases) and of letter (documents:letter_new) share the parameters
            [{"beneficiary_id": beneficiary, "kind": kind} for kind in (*RECORD_KINDS, *LetterKind.values)],
            [
                {"beneficiary_id": beneficiary, "kind": "unknown-kind"},
                *({"beneficiary_id": foreign_beneficiary, "kind": kind} for kind in RECORD_KINDS),
                {"beneficiary_id": MISSING_IDS[-1], "kind": "ri"},
            ],
        ),
        ("beneficiary_id", "kind", "record_id"): (
            [{"beneficiary_id": b, "kind": kind, "record_id": r} for b, kind, r in world.records],
            [
                *(
                    {"beneficiary_id": b, "kind": kind, "record_id": r}  # a record of another kind
                    for (b, kind, _r), (_b, _k, r) in zip(world.records, world.records[1:], strict=False)
                ),
                {"beneficiary_id": foreign_beneficiary, "kind": "ri", "record_id": world.foreign["record_id"][0]},
                {"beneficiary_id": beneficiary, "kind": "ri", "record_id": world.foreign["record_id"][0]},
                {"beneficiary_id": beneficiary, "kind": "unknown-kind", "record_id": world.records[0][2]},
                {"beneficiary_id": beneficiary, "kind": "ri", "record_id": MISSING_IDS[-1]},
            ],
        ),
        ("contract_id", "version_id"): (
            [{"contract_id": c, "version_id": v} for c, v in world.versions],
            [
                {"contract_id": world.versions[0][0], "version_id": world.versions[-1][1]},  # another contract's
                {"contract_id": world.foreign["contract_id"][0], "version_id": world.foreign["version_id"][0]},
                {"contract_id": world.versions[0][0], "version_id": MISSING_IDS[-1]},
            ],
        ),
        ("contract_id", "signature_id"): (
            # The scanned signature first: the others answer with a redirect (no scan to serve).
            sorted(
                ({"contract_id": c, "signature_id": s} for c, s in world.signatures),
                key=lambda kw: kw["signature_id"] != world.scanned_signature,
            ),
            [
                {"contract_id": world.signatures[-1][0], "signature_id": world.scanned_signature},
                {"contract_id": world.signatures[0][0], "signature_id": MISSING_IDS[1]},
            ],
        ),
        ("kind", "object_id"): (
            [{"kind": kind, "object_id": pk} for kind, pk in world.cpas_objects],
            [
                *({"kind": kind, "object_id": world.foreign["object_id"][0]} for kind, _pk in world.cpas_objects),
                {"kind": "unknown-kind", "object_id": world.cpas_objects[0][1]},
                {"kind": "closure", "object_id": MISSING_IDS[-1]},
            ],
        ),
        # how an evaluation was explained (piis.documents)
        ("contract_id", "evaluation_id"): (
            [{"contract_id": c, "evaluation_id": e} for c, e in world.ids["contract_evaluation"]],
            [
                {
                    "contract_id": world.ids["contract_evaluation"][0][0],
                    "evaluation_id": world.ids["contract_evaluation"][-1][1],
                },  # another contract's
                {"contract_id": world.foreign["contract_id"][0], "evaluation_id": MISSING_IDS[-1]},
            ],
        ),  # fmt: skip
        # a letter template, by kind and language (piis.documents)
        ("kind", "language"): (
            [{"kind": kind, "language": language} for kind in LetterKind.values for language in ("fr", "nl")],
            [{"kind": "unknown-kind", "language": "fr"}, {"kind": "handover", "language": "xx"}],
        ),
        # one of the observatory's figure tables as CSV (piis.observatory)
        ("table",): (
            [
                {"table": table}
                for table in ("teams", "workers", "equity", "between-cpas", *(k for k, _t, _f in _chart_groups()))
            ],
            [{"table": "unknown-table"}],
        ),
        # a retention period, by its kind of record (piis.privacy)
        ("kind",): ([{"kind": kind} for kind in RecordKind.values], [{"kind": "unknown-kind"}]),
        # an item of a council's agenda moved up or down
        ("direction", "item_id"): (
            [{"item_id": i, "direction": d} for i in world.ids["item_id"] for d in ("up", "down")],
            [
                {"item_id": world.ids["item_id"][0], "direction": "sideways"},
                {"item_id": world.foreign["item_id"][0], "direction": "up"},
                {"item_id": MISSING_IDS[-1], "direction": "down"},
            ],
        ),
        # the person's amendment request on a contract (contracts:amendment_request_answer)
        ("contract_id", "request_id"): (
            [{"contract_id": c, "request_id": r} for c, r in world.ids["contract_request"]],
            [
                *({"contract_id": c, "request_id": r} for c, r in world.foreign["contract_request"]),
                {
                    "contract_id": world.ids["contract_request"][0][0],
                    "request_id": world.foreign["contract_request"][0][1],
                },  # another CPAS's, under our contract
                {"contract_id": world.ids["contract_request"][0][0], "request_id": MISSING_IDS[-1]},
            ],
        ),  # fmt: skip
        # a step of a sanction dossier (piis.sanctions.views.STEPS)
        ("dossier_id", "step"): (
            [{"dossier_id": d, "step": step} for d in world.ids.get("dossier_id", []) for step in SANCTION_STEPS],
            [
                {"dossier_id": world.ids["dossier_id"][0], "step": "unknown-step"},
                *({"dossier_id": world.foreign["dossier_id"][0], "step": step} for step in SANCTION_STEPS),
            ],
        ),
    }
    return candidates
