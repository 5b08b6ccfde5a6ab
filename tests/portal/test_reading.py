"""What the person reads: home, PIIS with everyone's commitments and their delivery, dates with their meaning,
rights, letters; each page audited with the person as the actor."""

import json

import pytest
from django.utils import translation

from piis.audit.models import AuditEvent
from piis.contracts.rights import RIGHT_CODES
from piis.portal import reading
from tests.portal.helpers import portal_login
from tests.portal.world import person_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cpas_a, worker_a):
    return person_world(cpas_a, worker=worker_a, language="en")


@pytest.fixture
def person(client, world):
    return portal_login(client, world.account)


def test_contract_page_shows_goals_and_everyone_s_commitments_with_delivery(person, world):
    page = person.get("/portal/piis/").content.decode()
    assert "Suivre la formation en vente." in page  # the person's commitment
    assert "Le CPAS paie l&#x27;inscription." in page or "Le CPAS paie l'inscription." in page
    assert '<span class="status done">Done</span>' in page  # the CPAS's commitment delivered
    assert "Un entretien par mois." in page and '<span class="status open">Planned</span>' in page
    assert f"/portal/piis/{world.ids['piis_id'][0]}/summary/" in page


def test_timeline_reads_the_stored_and_adapted_dates(person, world):
    page = person.get("/portal/dates/").content.decode()
    for text in (
        "Last day for your meeting",  # the meeting request's stored deadline
        "Last day to act or explain",  # the notice's comply_by
        "Last day to ask to be heard",
        "Last day to appeal",  # the decision's appeal deadline
        "Last day to say no to the move of your PIIS",
        "Evaluation with your social worker",
    ):
        assert text in page, text
    assert "25 August 2026" in page or "Tuesday 25 August 2026" in page


def test_timeline_hides_what_the_person_was_not_sent(cpas_a, worker_a):
    world = person_world(cpas_a, worker=worker_a)
    from piis.sanctions.models import Decision, FormalNotice

    FormalNotice.objects.update(sent_on=None, delivered_on=None)
    Decision.objects.update(notified_on=None)
    titles = [d.title for d in reading.timeline(world.beneficiary, today=__import__("datetime").date(2026, 6, 1))]
    assert "Last day to act or explain" not in titles and "Last day to appeal" not in titles


def test_rights_cover_every_right_with_the_law_s_figures(person):
    page = person.get("/portal/rights/").content.decode()
    for code in RIGHT_CODES:
        assert f'id="right-{code}"' in page
    assert "%(" not in page


def test_letters_list_sent_ones_with_appeal_information(person, world):
    page = person.get("/portal/letters/").content.decode()
    assert f"/portal/letters/decision/{world.ids['decision_letter_id'][0]}/" in page
    assert f"/portal/letters/notice/{world.ids['notice_letter_id'][0]}/" in page
    assert f"/portal/letters/move/{world.ids['move_letter_id'][0]}/" in page
    assert "labour court" in page


@pytest.mark.parametrize("url", ["/portal/", "/portal/piis/", "/portal/dates/", "/portal/rights/", "/portal/letters/"])
def test_every_page_is_audited_as_the_person(person, world, url):
    before = AuditEvent.objects.count()
    assert person.get(url).status_code == 200
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.actor_id == world.account.user_id
    assert event.beneficiary_id == world.beneficiary.pk
    assert event.context == url
    assert event.verb.startswith("portal_")


def test_pages_in_dutch_for_a_dutch_speaker(client, cpas_a, worker_a):
    world = person_world(cpas_a, worker=worker_a, language="nl")
    portal_login(client, world.account)
    page = client.get("/portal/dates/").content.decode()
    assert '<html lang="nl">' in page


def test_the_pages_keep_to_a_few_queries(person, django_assert_max_num_queries):
    for url in ("/portal/", "/portal/piis/", "/portal/dates/", "/portal/letters/"):
        with django_assert_max_num_queries(40):
            assert person.get(url).status_code == 200


def test_plain_rights_exist_for_every_right():
    with translation.override("en"):
        assert [r["code"] for r in reading.rights(__import__("datetime").date(2026, 6, 1))] == list(RIGHT_CODES)


def test_the_person_reads_their_own_sensitive_needs_in_full_staff_outside_the_file_do_not(
    person, world, cpas_a, login
):
    """Issue 13: sensitive-domain details are shown to the person and to the staff allowed to see them only. The
    person reads their own in full on their PIIS page; the contract's text keeps the domain only (S-Dom 16); a worker
    outside the file's reach and the director get the break-the-glass page, never the details."""
    from django.test import Client
    from django.urls import reverse

    from piis.accounts.enums import Role
    from piis.cases.models import Beneficiary
    from piis.contracts.models import Contract
    from piis.contracts.snapshot import contract_snapshot
    from tests.factories import make_assessment_item, make_member, make_team

    secret = "Suivi psychologique chaque semaine."
    contract = Contract.objects.get(pk=world.ids["piis_id"][0])
    item = make_assessment_item(cpas_a, assessment=contract.assessment, domain="health", kind="obstacle", text=secret,
                                justification="Needed for the training hours.", consent_given=True)  # fmt: skip
    page = person.get("/portal/piis/").content.decode()
    assert f"Health: {secret}" in page
    assert "This is private. It is not written in your PIIS." in page
    assert item.pk and secret not in json.dumps(contract_snapshot(contract), default=str)  # the contract's text

    beneficiary = Beneficiary.objects.get(pk=world.beneficiary.pk)
    urls = [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("cases:detail", args=[beneficiary.pk]),
        reverse("cases:assessment_edit", args=[beneficiary.pk, contract.assessment_id]),
    ]
    for role in (Role.SOCIAL_WORKER, Role.DIRECTOR):
        outsider = make_member(cpas_a, role, team=make_team(cpas_a) if role == Role.SOCIAL_WORKER else None)
        staff = Client()  # the `login` fixture's client is the person's here
        staff.force_login(outsider.user)
        session = staff.session
        session["current_cpas_id"] = cpas_a.pk
        session.save()
        for url in urls:
            response = staff.get(url)
            assert response.status_code in (403, 404), (role, url, response.status_code)
            assert secret not in response.content.decode()
    # the file's own worker reads it where the social file keeps it
    worker = login(beneficiary.social_worker.memberships.get(cpas=cpas_a))
    assert secret in worker.get(urls[2]).content.decode()
