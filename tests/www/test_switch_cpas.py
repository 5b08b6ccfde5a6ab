"""Switching the current CPAS goes back to a page of this site, and only there; a `next` that is not one goes home."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.accounts.models import Membership
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in_two_cpas(cpas_a, cpas_b, login):
    member = make_member(cpas_a, Role.DIRECTOR)
    Membership.objects.create(user=member.user, cpas=cpas_b, role=Role.DIRECTOR)
    return login(member)


@pytest.mark.parametrize(
    "typed",
    ["cases:list", "home", "not a url", "files", "javascript:alert(1)", "//evil.example/", "https://evil.example/",
     "/\\evil.example", "http://[::1", "\u202e/files/", ""],
)  # fmt: skip
def test_a_next_that_is_not_a_page_of_this_site_goes_home(client_in_two_cpas, cpas_b, typed):
    response = client_in_two_cpas.post(reverse("core:switch_cpas"), {"cpas_id": cpas_b.pk, "next": typed})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client_in_two_cpas.session["current_cpas_id"] == cpas_b.pk


@pytest.mark.parametrize("typed", ["/files/", "/files/?q=martin&mine=1", "http://testserver/followup/agenda/"])
def test_a_next_on_this_site_is_followed(client_in_two_cpas, cpas_b, typed):
    response = client_in_two_cpas.post(reverse("core:switch_cpas"), {"cpas_id": cpas_b.pk, "next": typed})
    assert response.status_code == 302 and response["Location"] == typed
