"""A signatory line or a delegation that signed a contract stays: signatures keep who signed. Removing one is
refused with a message, not a server error, and nothing is removed nor recorded."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from piis.accounts.enums import Role
from piis.accounts.models import Signatory, SignatoryDelegation
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from tests.factories import make_delegation, make_member, make_signatory, make_signature

pytestmark = pytest.mark.django_db
REFUSED = "This cannot be removed: signatures or evaluations already recorded refer to it."


@pytest.fixture
def admin_client(cpas_a, login):
    return login(make_member(cpas_a, Role.CPAS_ADMIN))


def _remove(client, kind, pk):
    response = client.post(reverse("accounts:cpas_object_remove", args=[kind, pk]))
    return response, [str(m) for m in get_messages(response.wsgi_request)]


def test_a_signatory_who_signed_is_not_removed(cpas_a, admin_client):
    line = make_signatory(cpas_a, function="president")
    make_signature(cpas_a, party="cpas", signatory=line)
    response, messages = _remove(admin_client, "signatory", line.pk)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:cpas_settings")
    assert messages == [REFUSED]
    assert Signatory.objects.filter(pk=line.pk).exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.SIGNATORY_REMOVED).exists()


def test_a_delegation_used_for_a_signature_is_not_revoked_by_removal(cpas_a, admin_client):
    delegation = make_delegation(cpas_a)
    make_signature(cpas_a, party="cpas", signatory=delegation.signatory, delegation=delegation)
    _response, messages = _remove(admin_client, "delegation", delegation.pk)
    assert messages == [REFUSED]
    assert SignatoryDelegation.objects.filter(pk=delegation.pk).exists()


def test_a_signatory_who_never_signed_is_removed(cpas_a, admin_client):
    line = make_signatory(cpas_a, function="president")
    _response, messages = _remove(admin_client, "signatory", line.pk)
    assert messages == ["Removed."] and not Signatory.objects.filter(pk=line.pk).exists()
