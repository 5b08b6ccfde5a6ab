"""The demo speaks each CPAS's language: the logins name the Flemish OCMW's roles in Dutch, what the loader wrote
into the Flemish audit trail is Dutch, and its staff's follow-up notes are Dutch."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from piis.accounts.models import Cpas
from piis.audit.models import AuditEvent
from piis.demo.data import demo_logins
from piis.demo.followup import TEXTS
from piis.demo.privacy import OLD_SUBJECT
from piis.followup.models import Evaluation, MeetingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_data", quiet_logins=True)
        yield
        transaction.set_rollback(True)


def test_logins_name_each_role_in_its_cpas_language(demo):
    with translation.override("fr"):  # the site's default language, as `make run` prints them
        rows = {(user, cpas): role for user, cpas, role in demo_logins()}
    flemish = Cpas.objects.get(region="flanders").name
    walloon = Cpas.objects.get(region="wallonia").name
    assert rows[("vla_social_worker", flemish)] == "Maatschappelijk werker"
    assert rows[("vla_dpo", flemish)] == "Functionaris voor gegevensbescherming"
    assert rows[("wal_social_worker", walloon)] == "Assistant(e) social(e)"
    assert rows[("both_director", flemish)] == "Directeur" and rows[("both_director", walloon)].startswith("Directeur")


def test_what_the_loader_wrote_in_the_flemish_audit_trail_is_dutch(demo):
    flemish = Cpas.objects.get(region="flanders")
    decisions = AuditEvent.objects.for_cpas(flemish).filter(target_type="cases.ridecision")
    assert decisions.exists() and all(e.target_repr.startswith("Categorie ") for e in decisions)
    contracts = AuditEvent.objects.for_cpas(flemish).filter(target_type="contracts.contract")
    assert contracts.exists() and all(e.target_repr.startswith("GPMI ") for e in contracts)


def test_the_flemish_follow_up_notes_are_dutch(demo):
    flemish = Cpas.objects.get(region="flanders")
    walloon = Cpas.objects.get(region="wallonia")
    notes = {e.difficulties for e in Evaluation.objects.for_cpas(flemish)} - {""}
    subjects = {m.subject for m in MeetingRequest.objects.for_cpas(flemish)} - {""}
    assert notes and subjects
    # the follow-up demo's subjects, and the old request the retention demo (piis.demo.privacy) keeps to erase
    dutch_subjects = {*TEXTS["nl"]["subjects"], OLD_SUBJECT["nl"]}
    assert notes <= set(TEXTS["nl"]["difficulties"]) and subjects <= dutch_subjects
    assert OLD_SUBJECT["fr"] not in subjects
    assert {e.difficulties for e in Evaluation.objects.for_cpas(walloon)} - {""} <= set(TEXTS["fr"]["difficulties"])
