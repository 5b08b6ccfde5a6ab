"""Who may do what in the follow-up: permission functions as tables, and the pages that use them."""

import pytest
from django.urls import reverse

from piis.accounts.enums import Role
from piis.followup import perms
from tests.factories import make_member

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
TABLE = {
    perms.can_view_followup: {Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.DIRECTOR, Role.COUNCIL_SECRETARY},
    perms.can_record_followup: {Role.SOCIAL_WORKER, Role.TEAM_LEAD},
    perms.can_view_own_agenda: {Role.SOCIAL_WORKER, Role.TEAM_LEAD},
    perms.can_view_team_agenda: {Role.TEAM_LEAD, Role.DIRECTOR},
    perms.can_view_agenda: {Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.DIRECTOR},
    perms.can_manage_calendar_feed: {Role.SOCIAL_WORKER, Role.TEAM_LEAD},
}


@pytest.mark.parametrize("check", list(TABLE), ids=lambda f: f.__name__)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_permission_table(check, role, cpas_a):
    membership = make_member(cpas_a, role)
    assert check(membership) is (role in TABLE[check])
    membership.is_active = False
    assert check(membership) is False
    assert check(None) is False


PAGES = {
    "followup:agenda": perms.can_view_agenda,
    "followup:team": perms.can_view_team_agenda,
    "followup:feed_settings": perms.can_manage_calendar_feed,
}


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_answer_by_role(name, role, cpas_a, login):
    response = login(make_member(cpas_a, role)).get(reverse(name))
    assert response.status_code == (200 if role in TABLE[PAGES[name]] else 403)


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("followup:agenda"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
