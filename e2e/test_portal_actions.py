"""Flow, on a 390 px phone, in French and in Dutch: the person logs in to their portal, asks for a meeting, adds
their words to an evaluation (disagreeing), refuses the transfer of their PIIS after a move; the worker then sees
the meeting on their agenda (asked on the portal) and the person's words beside the evaluation on the contract page;
a worker of the new CPAS sees the person's refusal there, with nothing of the PIIS.
axe finds no violation of any severity on the action pages; a screenshot of each is kept in e2e/screenshots/."""

import pytest
from django.urls import reverse

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.contracts.models import AmendmentRequest
from piis.followup.models import EvaluationComment, MeetingRequest
from piis.transfers.enums import TransferStatus
from piis.transfers.models import IncomingTransfer
from piis.transfers.services import transfer_record_move
from tests.factories import make_cpas, make_member
from tests.portal.helpers import PASSWORD as PERSON_PASSWORD
from tests.portal.helpers import open_account
from tests.transfers.builders import MOVED, make_piis_in_force

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password
PHONE = {"width": 390, "height": 844}


def _setup(language: str):
    cpas = make_cpas(name="CPAS de Liège" if language == "fr" else "OCMW Gent", nis_code="62063")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username=f"lea_{language}")
    contract = make_piis_in_force(cpas, social_worker=worker.user, language=language)
    person = contract.beneficiary
    person.first_name, person.last_name, person.social_worker = "Nadia", "Lambert", worker.user
    person.save()
    new_cpas = make_cpas(name="CPAS de Namur" if language == "fr" else "OCMW Brugge", nis_code="92094")
    transfer = transfer_record_move(membership=worker, contract=contract, moved_on=MOVED, learned_on=MOVED,
                                    answer_by=MOVED.replace(day=20), new_cpas=new_cpas, today=MOVED)  # fmt: skip
    account, _issued = open_account(worker, person)
    return worker, contract, transfer, account


def _accessible(page):
    """No axe violation of any severity on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert not results.response["violations"], results.generate_report()


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _check(page, name, language):
    _accessible(page)
    _no_sideways_scroll(page)
    page.screenshot(path=SCREENSHOTS / f"portal-actions-{name}-{language}.png", full_page=True)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_person_acts_on_a_phone_and_the_worker_sees_it(browser, live_server, language):
    SCREENSHOTS.mkdir(exist_ok=True)
    worker, contract, transfer, account = _setup(language)
    evaluation = contract.evaluations.get()
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=f"{language}-BE")
    phone.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(reverse("portal:login"))
    page.locator("#id_username").fill(account.user.username)
    page.locator("#id_password").fill(PERSON_PASSWORD)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(lambda url: "/portal/login" not in url)

    page.goto(reverse("portal:actions"))
    assert page.locator("html").get_attribute("lang") == language
    _check(page, "index", language)

    # ask for a meeting: confirmed on screen with the date it must be held by
    page.locator(f"a[href='{reverse('portal:ask_meeting')}']").click()
    _check(page, "meeting", language)
    page.locator("#id_reason").fill("Ma formation" if language == "fr" else "Mijn opleiding")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(f"**{reverse('portal:actions')}")
    meeting = MeetingRequest.objects.get(beneficiary=contract.beneficiary)
    assert meeting.from_portal
    page.get_by_role("status").get_by_text(meeting.deadline.strftime("%d/%m/%Y")).wait_for()

    # add their words to an evaluation, disagreeing
    page.locator(f"a[href='{reverse('portal:comment_evaluation', args=[evaluation.pk])}']").click()
    page.get_by_text("Horaires difficiles.").wait_for()  # the worker's text, shown before the person writes
    _check(page, "comment", language)
    page.locator("#id_text").fill("Je travaille le soir.")
    page.locator("#id_disagrees").check()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(f"**{reverse('portal:actions')}")
    assert EvaluationComment.objects.get(evaluation=evaluation).disagrees

    # refuse the transfer of the PIIS
    page.locator(f"a[href='{reverse('portal:answer_transfer', args=[transfer.pk])}']").click()
    _check(page, "transfer", language)
    page.locator("#id_answer_1").check()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(f"**{reverse('portal:actions')}")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and transfer.channel == "portal"
    incoming = IncomingTransfer.objects.get(source_transfer_id=transfer.pk)
    assert incoming.status == TransferStatus.REFUSED and incoming.package is None

    # ask to change the PIIS, and say who helps
    page.goto(reverse("portal:ask_amendment"))
    _check(page, "ask_amendment", language)
    page.locator("#id_text").fill("Moins d'heures le soir.")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(f"**{reverse('portal:actions')}")
    page.goto(reverse("portal:set_assistant"))
    _check(page, "set_assistant", language)
    page.goto(reverse("portal:actions"))
    _check(page, "index-after", language)
    phone.close()

    # the worker: the meeting is on the agenda at once, asked on the portal; the words beside the evaluation
    desk = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    desk.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    staff = desk.new_page()
    staff.set_default_timeout(15000)
    log_in(staff, worker.user.username, PASSWORD)
    staff.goto(reverse("followup:agenda"))
    staff.get_by_text("Hold the meeting the person asked for on their portal").first.wait_for()
    staff.get_by_text("The person asks for an amendment: answer them").first.wait_for()
    staff.screenshot(path=SCREENSHOTS / f"portal-actions-agenda-{language}.png", full_page=True)
    staff.goto(reverse("contracts:detail", args=[contract.pk]))
    staff.get_by_text("Je travaille le soir.").first.wait_for()
    staff.get_by_text("Disagrees with this evaluation").first.wait_for()
    _no_sideways_scroll(staff)
    staff.screenshot(path=SCREENSHOTS / f"portal-actions-contract-{language}.png", full_page=True)
    # the worker marks the person's request answered (it leaves the agenda)
    staff.get_by_role("link", name="Mark as answered").click()
    _no_sideways_scroll(staff)
    staff.screenshot(path=SCREENSHOTS / f"portal-actions-answer-{language}.png", full_page=True)
    staff.locator("#id_answer").fill("Nous en parlons lundi.")
    staff.locator("form button[type=submit].primary").click()
    staff.wait_for_url(f"**{reverse('contracts:detail', args=[contract.pk])}")
    assert AmendmentRequest.objects.get(contract=contract).answered_on is not None
    desk.close()

    # a worker of the new CPAS: the person's refusal, recorded on their portal; nothing of the PIIS, nothing to do
    receiver = make_member(incoming.cpas, Role.SOCIAL_WORKER, username=f"noor_{language}")
    there = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    there.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    new_desk = there.new_page()
    new_desk.set_default_timeout(15000)
    log_in(new_desk, receiver.user.username, PASSWORD)
    new_desk.goto(reverse("transfers:list"))
    new_desk.get_by_role("link", name="Nadia Lambert").first.click()
    new_desk.wait_for_url(f"**{reverse('transfers:incoming', args=[incoming.pk])}")
    new_desk.get_by_text("The person refused the transfer of their PIIS").wait_for()
    new_desk.get_by_text("By the person, on their portal").wait_for()
    assert new_desk.locator(f"form[action='{reverse('transfers:incoming_refusal', args=[incoming.pk])}']").count() == 0
    assert new_desk.get_by_text("Un entretien par mois.").count() == 0
    _no_sideways_scroll(new_desk)
    new_desk.screenshot(path=SCREENSHOTS / f"portal-actions-new-cpas-{language}.png", full_page=True)
    there.close()
