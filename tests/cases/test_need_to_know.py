"""Need-to-know (issue 16): a file is reached by its assigned worker, its team and its team's lead; anyone else with
a file role breaks the glass (a reason, audited, time-limited, listed for the DPO). piis.cases.access decides."""

import datetime

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.models import AuditEvent
from piis.cases import access
from piis.cases.access import BREAK_GLASS_REASON_MIN_LENGTH, Access, accessible_files_q, file_access
from piis.cases.models import Beneficiary, GlassBreak
from tests.factories import default_team, make_beneficiary, make_contract, make_member, make_team
from tests.fuzz.routes import discover_routes
from tests.fuzz.world import build_world, path_candidates

pytestmark = pytest.mark.django_db

REASON = "The assigned worker is ill and the person is at the desk today."

# The parameters that name a file or a part of one: every route taking one of them reaches a person's file.
FILE_PARAMS = {
    "beneficiary_id",
    "contract_id",
    "objective_id",
    "step_id",
    "clause_id",
    "third_party_id",
    "evaluation_id",
    "meeting_id",
}
ENTRY_ROUTES = {"cases:break_glass"}  # the way in, open to whoever may break the glass


# The apps whose pages a social worker reaches a file through (the DPO's export of a person's data, piis.privacy, and
# the council's pages, piis.sanctions, have their own roles and rules).
FILE_APPS = ("cases:", "contracts:", "followup:")


def _file_routes():
    return [
        r
        for r in discover_routes()
        if FILE_PARAMS & set(r.params) and r.name.startswith(FILE_APPS) and r.name not in ENTRY_ROUTES
    ]


def _outsider(cpas, role=Role.SOCIAL_WORKER):
    """A member of the CPAS in a team of their own: no file of the default team is theirs."""
    return make_member(cpas, role, team=make_team(cpas) if role in (Role.SOCIAL_WORKER, Role.TEAM_LEAD) else None)


# --- the decision -------------------------------------------------------------------------------------------------


def test_the_assigned_worker_and_the_team_reach_the_file_others_do_not(cpas_a):
    team, other_team = default_team(cpas_a), make_team(cpas_a)
    assigned = make_member(cpas_a, team=other_team)
    beneficiary = make_beneficiary(cpas_a, social_worker=assigned.user, team=team)
    assert file_access(assigned, beneficiary) == Access.ASSIGNED
    assert file_access(make_member(cpas_a, team=team), beneficiary) == Access.TEAM
    assert file_access(make_member(cpas_a, team=other_team), beneficiary) is None
    assert file_access(make_member(cpas_a, team=None), beneficiary) is None
    for role in (Role.DIRECTOR, Role.COUNCIL_SECRETARY, Role.COUNCIL_MEMBER, Role.CPAS_ADMIN, Role.DPO):
        assert file_access(make_member(cpas_a, role), beneficiary) is None, role


def test_a_team_lead_reaches_the_files_of_the_teams_they_lead_and_not_others(cpas_a):
    lead = make_member(cpas_a, Role.TEAM_LEAD, team=None)
    led, other = make_team(cpas_a, lead=lead.user), make_team(cpas_a)
    assert file_access(lead, make_beneficiary(cpas_a, team=led)) == Access.TEAM_LEAD
    assert file_access(lead, make_beneficiary(cpas_a, team=other)) is None
    # A file with no team yet is for the team leads to dispatch; not for the workers.
    no_team = make_beneficiary(cpas_a, team=None)
    assert file_access(lead, no_team) == Access.TEAM_LEAD
    assert file_access(make_member(cpas_a), no_team) is None


def test_the_worker_and_substitute_of_an_open_piis_reach_the_file(cpas_a):
    default_team(cpas_a)  # the file's team, before the workers' own
    other_team = make_team(cpas_a)
    worker, substitute = make_member(cpas_a, team=other_team), make_member(cpas_a, team=other_team)
    contract = make_contract(cpas_a, social_worker=worker.user, substitute_worker=substitute.user)
    assert file_access(worker, contract.beneficiary) == Access.CONTRACT_WORKER
    assert file_access(substitute, contract.beneficiary) == Access.CONTRACT_WORKER
    listed = Beneficiary.objects.filter(accessible_files_q(worker))
    assert list(listed) == [contract.beneficiary]
    contract.status = "ended"
    contract.save()
    assert file_access(worker, contract.beneficiary) is None
    assert not Beneficiary.objects.filter(accessible_files_q(worker)).exists()


def test_the_lists_show_the_same_files_as_the_decision(cpas_a):
    lead = make_member(cpas_a, Role.TEAM_LEAD, team=None)
    led, other = make_team(cpas_a, lead=lead.user), make_team(cpas_a)
    worker = make_member(cpas_a, team=other)
    files = [
        make_beneficiary(cpas_a, team=led),
        make_beneficiary(cpas_a, team=other),
        make_beneficiary(cpas_a, team=None),
        make_beneficiary(cpas_a, team=led, social_worker=worker.user),
    ]
    for member in (lead, worker, make_member(cpas_a, Role.DIRECTOR)):
        listed = set(Beneficiary.objects.filter(accessible_files_q(member)).values_list("pk", flat=True))
        assert listed == {b.pk for b in files if file_access(member, b) is not None}, member.role


def test_a_council_matter_registered_by_another_app_opens_the_file_to_the_council(cpas_a, monkeypatch):
    monkeypatch.setattr(access, "_council_matter_checks", [])
    beneficiary, other = make_beneficiary(cpas_a), make_beneficiary(cpas_a)
    secretary = make_member(cpas_a, Role.COUNCIL_SECRETARY)
    assert file_access(secretary, beneficiary) is None
    access.register_council_matter(lambda membership, b: b.pk == beneficiary.pk)
    assert file_access(secretary, beneficiary) == Access.COUNCIL_MATTER
    assert file_access(secretary, other) is None
    assert file_access(make_member(cpas_a, Role.DIRECTOR), beneficiary) is None  # the council's, not the director's


# --- break the glass -----------------------------------------------------------------------------------------------


def test_an_outsider_gets_the_break_the_glass_page_then_the_file_with_a_banner(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a)
    client = login(_outsider(cpas_a))
    url = reverse("cases:detail", args=[beneficiary.pk])
    refused = client.get(url)
    assert refused.status_code == 403
    page = refused.content.decode()
    assert reverse("cases:break_glass", args=[beneficiary.pk]) in page and str(beneficiary) in page
    assert beneficiary.address not in page or not beneficiary.address
    assert AuditEvent.objects.filter(verb=AuditVerb.FILE_ACCESS_REFUSED, beneficiary_id=beneficiary.pk).exists()

    response = client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON, "next": url})
    assert response.status_code == 302 and response.url == url
    event = AuditEvent.objects.get(verb=AuditVerb.FILE_GLASS_BROKEN)
    assert event.beneficiary_id == beneficiary.pk and event.changes["reason"] == REASON
    opened = client.get(url)
    assert opened.status_code == 200
    assert "data-glass-break" in opened.content.decode() and REASON in opened.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.FILE_OPENED, beneficiary_id=beneficiary.pk).count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "because", "x" * (BREAK_GLASS_REASON_MIN_LENGTH - 1)])
def test_the_reason_is_required_and_long_enough(cpas_a, login, reason):
    beneficiary = make_beneficiary(cpas_a)
    client = login(_outsider(cpas_a))
    response = client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": reason})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not GlassBreak.objects.exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.FILE_GLASS_BROKEN).exists()
    assert client.get(reverse("cases:detail", args=[beneficiary.pk])).status_code == 403


def test_the_access_expires(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a)
    member = _outsider(cpas_a)
    client = login(member)
    client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON})
    grant = GlassBreak.objects.get()
    duration = grant.until - grant.opened_at
    assert abs(duration - datetime.timedelta(hours=access.BREAK_GLASS_HOURS)) < datetime.timedelta(seconds=5)
    assert client.get(reverse("cases:detail", args=[beneficiary.pk])).status_code == 200
    GlassBreak.objects.filter(pk=grant.pk).update(until=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("cases:detail", args=[beneficiary.pk])).status_code == 403
    # Only for that member and that file.
    assert file_access(_outsider(cpas_a), beneficiary) is None


def test_a_director_breaks_the_glass_but_still_may_not_edit(cpas_a, login):
    contract = make_contract(cpas_a)
    client = login(make_member(cpas_a, Role.DIRECTOR))
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 403
    client.post(reverse("cases:break_glass", args=[contract.beneficiary_id]), {"reason": REASON})
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200
    assert client.get(reverse("cases:edit", args=[contract.beneficiary_id])).status_code == 403


def test_the_dpo_and_the_admin_cannot_break_the_glass(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a)
    for role in (Role.DPO, Role.CPAS_ADMIN):
        client = login(make_member(cpas_a, role))
        response = client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON})
        assert response.status_code == 403
    assert not GlassBreak.objects.exists()


def test_the_break_the_glass_page_of_another_cpas_file_answers_404(cpas_a, cpas_b, login):
    theirs = make_beneficiary(cpas_b)
    client = login(_outsider(cpas_a))
    assert client.get(reverse("cases:break_glass", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("cases:break_glass", args=[theirs.pk]), {"reason": REASON}).status_code == 404
    assert not GlassBreak.objects.exists()


def test_the_next_page_must_be_of_this_site(cpas_a, login):
    beneficiary = make_beneficiary(cpas_a)
    client = login(_outsider(cpas_a))
    response = client.post(
        reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON, "next": "https://evil.example/"}
    )
    assert response.url == reverse("cases:detail", args=[beneficiary.pk])
    for target in ("cases:list", "x", "//evil.example/"):  # never a view name nor another host
        response = client.post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON, "next": target})
        assert response.status_code == 302 and response.url == reverse("cases:detail", args=[beneficiary.pk])


def test_the_dpo_lists_every_opening_with_its_reason(cpas_a, cpas_b, login):
    beneficiary = make_beneficiary(cpas_a)
    worker = _outsider(cpas_a)
    login(worker).post(reverse("cases:break_glass", args=[beneficiary.pk]), {"reason": REASON})
    theirs = make_beneficiary(cpas_b, last_name="Ailleurs")
    GlassBreak.objects.create(
        cpas=cpas_b, beneficiary=theirs, user=make_member(cpas_b).user, reason="Their reason, elsewhere.",
        until=timezone.now(),
    )  # fmt: skip
    dpo = make_member(cpas_a, Role.DPO)
    response = login(dpo).get(reverse("audit:glass_breaks"))
    page = response.content.decode()
    assert response.status_code == 200
    assert REASON in page and worker.user.username in page and str(beneficiary) in page
    assert "Their reason" not in page and str(theirs) not in page
    assert AuditEvent.objects.filter(verb=AuditVerb.AUDIT_TRAIL_OPENED, actor=dpo.user).exists()
    # The audit trail's filter finds the event too.
    trail = login(dpo).get(reverse("audit:list"), {"verb": AuditVerb.FILE_GLASS_BROKEN.value})
    assert REASON in trail.content.decode()
    for role in (Role.SOCIAL_WORKER, Role.TEAM_LEAD, Role.DIRECTOR, Role.CPAS_ADMIN):
        assert login(make_member(cpas_a, role)).get(reverse("audit:glass_breaks")).status_code == 403


# --- every route that reaches a file ---------------------------------------------------------------------------------


def _answer(member, url: str, *, post_if_needed: bool):
    """One request, rolled back after it (a POST-only route may remove what the next route needs)."""
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["current_cpas_id"] = member.cpas_id
    session.save()
    savepoint = transaction.savepoint()
    try:
        response = client.get(url)
        if response.status_code == 405 and post_if_needed:
            response = client.post(url, {})
        if response.streaming:
            response.getvalue()
    finally:
        transaction.savepoint_rollback(savepoint)
    return response


@pytest.fixture
def world(db):
    return build_world()


def test_every_file_route_answers_the_break_the_glass_page_to_an_outsider(world):
    """Every GET (or, for a POST-only route, POST) route that names a file or a part of one — file, records,
    assessments, contracts and their parts, versions, signatures and PDFs, evaluations, commitments, meetings —
    answers a worker of another team with the break-the-glass page; the team's worker reaches it (the control)."""
    candidates = path_candidates(world)
    outsider = _outsider(world.cpas)
    team_worker = world.members[Role.SOCIAL_WORKER]
    routes = _file_routes()
    assert len(routes) >= 30, [r.name for r in routes]
    failures = []
    for route in routes:
        url = route.url(candidates[route.params][0][0])
        refused = _answer(outsider, url, post_if_needed=True)
        if refused.status_code != 403 or "/break-the-glass/" not in refused.content.decode(errors="replace"):
            failures.append((route.name, url, "outsider", refused.status_code))
        control = _answer(team_worker, url, post_if_needed=False)
        if control.status_code == 403:
            failures.append((route.name, url, "team worker", 403))
    assert not failures, failures
