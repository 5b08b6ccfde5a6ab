"""Flow: the council secretary plans a sitting, puts a dossier ready for the council on its agenda (the dossier is
prepared through the services in the arrange step, e2e/test_sanctions.py walks that part), records a partial
suspension partly deferred, the letter's notification, closes the minutes, and opens the letter and the minutes;
the member convened finds the sitting on the home page."""

import datetime

import pytest
from django.utils import timezone

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.sanctions.models import Decision
from tests.factories import make_cpas, make_member
from tests.sanctions.council_builders import ready_dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password


def test_the_council_decides_a_partial_deferred_suspension(page, live_server):
    today = timezone.localdate()
    cpas = make_cpas(name="CPAS de test")
    make_member(cpas, Role.COUNCIL_SECRETARY, username="sol_secretary")
    member = make_member(cpas, Role.COUNCIL_MEMBER, username="max_member")
    member.user.first_name, member.user.last_name = "Max", "Conseiller"
    member.user.save()
    dossier = ready_dossier(cpas, breach_on=today - datetime.timedelta(days=40))
    person = dossier.beneficiary
    person.first_name, person.last_name = "Nadia", "Lambert"
    person.save()

    log_in(page, "sol_secretary", PASSWORD)
    page.get_by_role("link", name="Council", exact=True).first.click()
    page.get_by_role("link", name="Plan a sitting").first.click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Place").fill("Salle du conseil")
    page.get_by_label("Max Conseiller").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/council/*/")
    page.get_by_role("button", name="Put on the agenda").click()
    page.get_by_role("link", name="Record the decision").click()
    page.get_by_label("Partial suspension of the RI").check()
    page.get_by_label("Months of suspension").fill("1")
    page.get_by_label("Share of the RI suspended (%)").fill("50")
    page.locator("#id_deferral").select_option("partial")
    page.get_by_label("Share of the suspension deferred (%)").fill("50")
    page.get_by_label("Deferral until").fill((today + datetime.timedelta(days=180)).isoformat())
    page.get_by_label("Motivation").fill("Trois absences sans motif légitime malgré la mise en demeure.")
    page.get_by_label("Competent labour court").fill("Tribunal du travail de Liège")
    page.screenshot(path=SCREENSHOTS / "council-decision-form.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/council/*/#item-*")
    page.get_by_role("link", name="Letter sent and notified").click()
    page.get_by_label("How it reached the person").select_option("handed_over")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/council/*/#item-*")
    page.get_by_label("Members present").fill("Max Conseiller, Sol Secrétaire")
    page.get_by_role("button", name="Close the minutes").click()
    page.wait_for_url("**/council/*/#minutes")
    page.screenshot(path=SCREENSHOTS / "council-sitting.png", full_page=True)
    decision = Decision.objects.get()
    assert (decision.outcome, decision.deferral, decision.notified_on) == ("partial_suspension", "partial", today)
    assert decision.appeal_deadline is not None and decision.letter
    letter = page.request.get(f"{live_server.url}/council/decisions/{decision.pk}/letter.pdf")
    assert letter.ok and letter.body().startswith(b"%PDF")
    (SCREENSHOTS / "council-decision-letter.pdf").write_bytes(letter.body())
    minutes = page.request.get(f"{live_server.url}/council/{decision.item.sitting_id}/minutes.pdf")
    assert minutes.ok and minutes.body().startswith(b"%PDF")
    (SCREENSHOTS / "council-minutes.pdf").write_bytes(minutes.body())
