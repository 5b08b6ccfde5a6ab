"""The agenda's dates beyond the legal deadlines: exemption reviews, the planned end of a PIIS in force, its
objectives and dated steps, its commitments with a due date; each item links to where the worker acts."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from piis.followup import ical
from piis.followup.selectors import Kind, agenda_for_user
from tests.factories import (
    make_beneficiary,
    make_clause,
    make_contract,
    make_exemption,
    make_member,
    make_objective,
    make_ri_decision,
    make_step,
)
from tests.followup.builders import (
    D,
    at,
    make_evaluation,
    make_in_force_contract,
    make_meeting_request,
    make_objective_progress,
)

pytestmark = pytest.mark.django_db
TODAY = D(2026, 4, 8)
NEW_KINDS = {Kind.EXEMPTION_REVIEW, Kind.OBJECTIVE_DUE, Kind.STEP_DUE, Kind.COMMITMENT_DUE, Kind.CONTRACT_END}


@pytest.fixture
def dated(cpas_a, worker_a):
    """A PIIS in force with a planned end, objectives, a dated step and commitments; exemptions on other files."""
    user = worker_a.user
    contract = make_in_force_contract(cpas_a, social_worker=user, signed_on=D(2026, 1, 15), end_on=D(2027, 1, 14))
    make_evaluation(cpas_a, contract=contract, held_on=D(2026, 3, 1), mode="office")
    make_evaluation(cpas_a, contract=contract, held_on=D(2026, 3, 20), mode="home_visit")
    open_objective = make_objective(cpas_a, contract=contract, title="Trouver une formation", due_on=D(2026, 6, 30))
    step = make_step(cpas_a, objective=open_objective, description="Visiter deux centres", due_on=D(2026, 4, 1))
    make_step(cpas_a, objective=open_objective, description="Sans date")
    reached = make_objective(cpas_a, contract=contract, title="Ouvrir un compte", due_on=D(2026, 3, 31))
    make_step(cpas_a, objective=reached, description="Aller à la banque", due_on=D(2026, 3, 15))
    first, later = contract.evaluations.order_by("held_on")
    make_objective_progress(cpas_a, evaluation=first, objective=open_objective, progress="reached")
    make_objective_progress(cpas_a, evaluation=later, objective=open_objective, progress="adjusted")  # reopened
    make_objective_progress(cpas_a, evaluation=later, objective=reached, progress="reached")
    fees = make_clause(
        cpas_a, contract=contract, party="cpas", kind="cost_coverage", proposed_by="cpas", due_on=D(2026, 3, 31)
    )
    make_clause(cpas_a, contract=contract, text="Sans échéance.")
    make_clause(
        cpas_a,
        contract=contract,
        text="Déjà fait.",
        due_on=D(2026, 3, 1),
        delivery_status="done",
        delivery_status_on=D(2026, 2, 20),
    )
    draft = make_contract(cpas_a, social_worker=user, end_on=D(2026, 5, 1))  # a draft's dates are not yet agreed
    make_clause(cpas_a, contract=draft, due_on=D(2026, 4, 20))
    make_objective(cpas_a, contract=draft, due_on=D(2026, 4, 21))
    exempted = make_beneficiary(cpas_a, social_worker=user, last_name="Exempted")
    review = make_exemption(cpas_a, beneficiary=exempted, review_on=D(2026, 5, 1), end_on=None)
    make_exemption(cpas_a, beneficiary=exempted, start_on=D(2025, 1, 1), review_on=D(2025, 3, 1), end_on=D(2025, 6, 1))
    make_exemption(cpas_a, beneficiary=exempted, review_on=D(2026, 4, 2), lifted_on=D(2026, 3, 30))
    make_exemption(cpas_a, beneficiary=exempted, review_on=D(2026, 7, 1), end_on=D(2026, 6, 30))
    return {"contract": contract, "objective": open_objective, "step": step, "fees": fees, "review": review}


def _new(items):
    return [(i.kind, i.due_on, i.overdue) for i in items if i.kind in NEW_KINDS]


def test_agenda_shows_each_new_kind_of_date_and_leaves_out_what_is_done(cpas_a, worker_a, dated):
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert _new(items) == [
        (Kind.COMMITMENT_DUE, D(2026, 3, 31), True),  # the fees, not delivered: overdue
        (Kind.STEP_DUE, D(2026, 4, 1), True),  # of the objective reopened at the later evaluation
        (Kind.EXEMPTION_REVIEW, D(2026, 5, 1), False),  # running and not lifted; the others are over
        (Kind.OBJECTIVE_DUE, D(2026, 6, 30), False),  # the objective reached at its latest evaluation is not there
        (Kind.CONTRACT_END, D(2027, 1, 14), False),
    ]
    by_kind = {i.kind: i for i in items}
    contract = dated["contract"]
    page = reverse("contracts:detail", args=[contract.pk])
    evaluation = reverse("followup:evaluation_add", args=[contract.pk])
    assert by_kind[Kind.COMMITMENT_DUE].url == f"{page}#clause-{dated['fees'].pk}"
    assert by_kind[Kind.STEP_DUE].url == evaluation and by_kind[Kind.STEP_DUE].detail == "Visiter deux centres"
    assert by_kind[Kind.OBJECTIVE_DUE].url == evaluation
    assert by_kind[Kind.OBJECTIVE_DUE].detail == "Trouver une formation"
    assert by_kind[Kind.CONTRACT_END].url.startswith(page + "#")
    review = dated["review"]
    assert by_kind[Kind.EXEMPTION_REVIEW].url == reverse(
        "cases:record_edit", args=[review.beneficiary_id, "exemption", review.pk]
    )
    assert by_kind[Kind.EXEMPTION_REVIEW].beneficiary.last_name == "Exempted"
    assert all(i.workers == {worker_a.user.pk} for i in items if i.kind in NEW_KINDS)


def test_every_item_links_to_where_the_worker_acts(cpas_a, worker_a, dated):
    obliged = make_beneficiary(cpas_a, social_worker=worker_a.user)
    make_ri_decision(cpas_a, beneficiary=obliged, decided_on=D(2026, 1, 10))
    meeting = make_meeting_request(cpas_a, beneficiary=obliged)
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    assert {i.kind for i in items} >= NEW_KINDS | {Kind.CONCLUSION, Kind.MEETING, Kind.EVALUATION}
    assert all(i.url.startswith("/") for i in items)
    urls = {(i.kind, i.beneficiary.pk): i.url for i in items}
    assert urls[(Kind.CONCLUSION, obliged.pk)] == reverse("contracts:create", args=[obliged.pk])
    assert urls[(Kind.MEETING, obliged.pk)] == reverse("followup:meeting_held", args=[meeting.pk])
    assert urls[(Kind.EVALUATION, dated["contract"].beneficiary_id)] == reverse(
        "followup:evaluation_add", args=[dated["contract"].pk]
    )


def test_a_colleague_does_not_see_these_dates(cpas_a, dated):
    colleague = make_member(cpas_a).user
    assert agenda_for_user(cpas=cpas_a, user=colleague, today=TODAY) == []


def test_agenda_page_links_each_item_and_filters_the_new_kinds(cpas_a, worker_a, dated, login):
    with at(TODAY):
        response = login(worker_a).get(reverse("followup:agenda"), {"kind": Kind.COMMITMENT_DUE})
    assert response.status_code == 200
    view = response.context["view"]
    assert [i.kind for i in view.items] == [Kind.COMMITMENT_DUE]
    assert all(view.counts[kind] == 1 for kind in NEW_KINDS)
    html = response.content.decode()
    assert f'href="{view.items[0].url}"' in html
    assert "Commitment due" in html


def test_the_feed_links_each_event_and_keeps_the_details_out(cpas_a, worker_a, dated):
    items = agenda_for_user(cpas=cpas_a, user=worker_a.user, today=TODAY)
    text = ical.calendar(items, today=TODAY, host="piis.test", name="PIIS", base_url="https://piis.test")
    unfolded = text.replace("\r\n ", "")
    fees = dated["fees"]
    assert f"URL:https://piis.test/contracts/{fees.contract_id}/#clause-{fees.pk}\r\n" in unfolded
    assert "Trouver une formation" not in unfolded and "Visiter deux centres" not in unfolded
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("URL:") == len(items)


def test_reminders_tell_of_the_new_dates_without_their_details(
    cpas_a, worker_a, dated, django_capture_on_commit_callbacks
):
    worker_a.user.email = "worker@example.invalid"
    worker_a.user.preferred_language = "en"
    worker_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-04-30", "--days", "3", stdout=io.StringIO())
    body = mail.outbox[-1].body
    assert "Commitment due" in body and "31/03/2026" in body  # the fees, overdue
    assert "Step due" in body and "Exemption to review" in body and "01/05/2026" in body
    assert "Visiter deux centres" not in body and "Suivre la formation" not in body


def test_a_reminder_is_worded_in_one_language_the_recipients(
    cpas_a, worker_a, dated, django_capture_on_commit_callbacks
):
    """The agenda's own sentences follow the recipient's language too, not the language the command ran in."""
    worker_a.user.email = "worker@example.invalid"
    worker_a.user.preferred_language = "fr"
    worker_a.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2026-04-30", "--days", "3", stdout=io.StringIO())
    body = mail.outbox[-1].body
    assert "Bonjour" in body
    assert "Review the exemption" not in body and "Réviser la dispense" in body
