import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.accounts.models import ClosureDay, Signatory, SignatoryDelegation
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from tests.factories import make_closure_day, make_member, make_signatory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:cpas_settings")


@pytest.fixture
def admin_client(cpas_a, login):
    return login(make_member(cpas_a, Role.CPAS_ADMIN))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CPAS_ADMIN])
def test_only_the_cpas_admin_edits_the_configuration(role, cpas_a, login):
    assert login(make_member(cpas_a, role)).get(URL).status_code == 403


def test_admin_adds_a_closure_day_and_it_is_audited(cpas_a, admin_client):
    response = admin_client.post(URL, {"form": "closure", "closure-day": "2026-12-24", "closure-label": "Noël"})
    assert response.status_code == 302
    assert ClosureDay.objects.get(cpas=cpas_a).label == "Noël"
    assert AuditEvent.objects.get(verb=AuditVerb.CLOSURE_DAY_ADDED).target_type == "accounts.closureday"


def test_duplicate_closure_day_is_refused_with_the_input_kept(cpas_a, admin_client):
    make_closure_day(cpas_a, day="2026-12-24")
    response = admin_client.post(URL, {"form": "closure", "closure-day": "2026-12-24", "closure-label": "Again"})
    form = response.context["forms"]["closure"]
    assert "day" in form.errors and form["label"].value() == "Again"


def test_admin_edits_the_signatory_matrix_and_delegations(cpas_a, admin_client):
    admin_client.post(
        URL,
        {
            "form": "signatory",
            "signatory-function": "bcsd_chair",
            "signatory-holder_name": "Chair Person",
            "signatory-required": "on",
            "signatory-position": "1",
        },
    )
    signatory = Signatory.objects.get(cpas=cpas_a)
    response = admin_client.post(
        URL,
        {
            "form": "delegation",
            "delegation-signatory": signatory.pk,
            "delegation-delegate_name": "Deputy",
            "delegation-valid_from": "2026-02-01",
            "delegation-valid_until": "2026-01-01",
        },
    )
    assert "valid_until" in response.context["forms"]["delegation"].errors
    admin_client.post(
        URL,
        {
            "form": "delegation",
            "delegation-signatory": signatory.pk,
            "delegation-delegate_name": "Deputy",
            "delegation-valid_from": "2026-02-01",
        },
    )
    assert SignatoryDelegation.objects.get(signatory=signatory).delegate_name == "Deputy"
    assert AuditEvent.objects.filter(verb=AuditVerb.SIGNATORY_ADDED, target_id=signatory.pk).exists()
    assert AuditEvent.objects.get(verb=AuditVerb.DELEGATION_GRANTED).changes["delegate_name"] == [None, "Deputy"]
    edit = reverse("accounts:signatory_edit", args=[signatory.pk])
    admin_client.post(edit, {"function": "bcsd_chair", "holder_name": "New Chair", "required": "on", "position": 1})
    signatory.refresh_from_db()
    assert signatory.holder_name == "New Chair"
    update = AuditEvent.objects.get(verb=AuditVerb.SIGNATORY_CHANGED, target_type="accounts.signatory")
    assert update.changes == {"holder_name": ["Chair Person", "New Chair"]}


def test_a_function_appears_once_in_the_matrix(cpas_a, admin_client):
    existing = make_signatory(cpas_a)
    response = admin_client.post(
        URL,
        {
            "form": "signatory",
            "signatory-function": existing.function,
            "signatory-holder_name": "X",
            "signatory-position": "0",
        },
    )
    assert "function" in response.context["forms"]["signatory"].errors


def test_admin_changes_working_languages(cpas_a, admin_client):
    admin_client.post(
        URL, {"form": "cpas", "cpas-name": "CPAS A", "cpas-region": "brussels", "cpas-working_languages": ["fr", "nl"]}
    )
    cpas_a.refresh_from_db()
    assert cpas_a.working_languages == ["fr", "nl"] and cpas_a.region == "brussels"
    assert AuditEvent.objects.get(verb=AuditVerb.CPAS_SETTINGS_CHANGED).target_type == "accounts.cpas"


def test_removing_a_closure_day_is_audited_with_its_last_values(cpas_a, admin_client):
    day = make_closure_day(cpas_a, label="Pont")
    admin_client.post(reverse("accounts:cpas_object_remove", args=["closure", day.pk]))
    assert not ClosureDay.objects.exists()
    assert AuditEvent.objects.get(verb=AuditVerb.CLOSURE_DAY_REMOVED).changes["label"] == ["Pont", None]


def test_removing_a_delegation_is_audited_as_revoked(cpas_a, admin_client):
    delegation = SignatoryDelegation.objects.create(
        cpas=cpas_a, signatory=make_signatory(cpas_a), delegate_name="Deputy", valid_from="2026-02-01"
    )
    admin_client.post(reverse("accounts:cpas_object_remove", args=["delegation", delegation.pk]))
    assert AuditEvent.objects.get(verb=AuditVerb.DELEGATION_REVOKED).target_id == delegation.pk
