"""The person's letters on a 390 px phone, in French and in Dutch: one card per letter — a decision (with the appeal
deadline and the labour court), a formal notice (act or explain by), a transfer letter not answered yet (say no
until) and one answered — each with its date and its PDF link; axe finds no violation. Screenshots
e2e/screenshots/portal-letters-cards-*.png."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from e2e.conftest import SCREENSHOTS
from piis.sanctions.models import Decision
from tests.factories import make_contract, make_cpas, make_member
from tests.portal.helpers import PASSWORD as PERSON_PASSWORD
from tests.portal.helpers import open_account
from tests.portal.world import person_world
from tests.transfers.builders import make_transfer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
D = datetime.date


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_persons_letters_one_card_each(browser, live_server, language):
    from axe_playwright_python.sync_playwright import Axe

    SCREENSHOTS.mkdir(exist_ok=True)
    cpas = make_cpas(name="CPAS de Liège" if language == "fr" else "OCMW Gent")
    worker = make_member(cpas, username=f"worker_{language}")
    world = person_world(cpas, worker=worker, language=language, first_name="Nadia", with_account=False)
    Decision.objects.filter(pk__in=world.ids["decision_letter_id"]).update(labour_court="Tribunal du travail de Liège")
    earlier = make_contract(cpas, beneficiary=world.beneficiary, social_worker=worker.user, status="ended",
                            signed_on=D(2025, 3, 2), start_on=D(2025, 3, 2), end_on=D(2026, 3, 1))  # fmt: skip
    make_transfer(cpas, contract=earlier, moved_on=D(2026, 5, 1), learned_on=D(2026, 5, 1),
                  letter_sent_on=D(2026, 5, 4), answer="consent", answered_on=D(2026, 5, 10), channel="letter",
                  other_name="CPAS de Namur", language=language)  # fmt: skip
    account, _issued = open_account(worker, world.beneficiary)

    phone = browser.new_context(base_url=live_server.url, viewport=PHONE, locale=f"{language}-BE")
    phone.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(reverse("portal:login"))
    page.locator("#id_username").fill(account.user.username)
    page.locator("#id_password").fill(PERSON_PASSWORD)
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(lambda url: "/portal/login" not in url)
    page.goto(reverse("portal:letters"))

    main = page.locator("main")
    headings = main.locator("h2").all_inner_texts()
    assert headings == [_in(language, t) for t in ("Decisions", "A promise was not kept", "You moved")]
    cards = main.locator("ul.plain > li")
    assert cards.count() == 4
    assert cards.locator("a.portal-button").count() == 4
    links = [cards.nth(i).locator("a.portal-button").get_attribute("href") for i in range(4)]
    assert links[0] == reverse("portal:decision_letter", args=world.ids["decision_letter_id"])
    assert links[1] == reverse("portal:notice_letter", args=world.ids["notice_letter_id"])
    assert links[2] == reverse("portal:transfer_letter", args=world.ids["move_letter_id"])
    assert "Tribunal du travail de Liège" in cards.nth(0).inner_text()
    say_no = _in(language, "You can say no until %(date)s.").split("%(date)s")[0].strip()
    assert say_no in cards.nth(2).inner_text() and say_no not in cards.nth(3).inner_text()
    results = Axe().run(page)
    assert not results.response["violations"], results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENSHOTS / f"portal-letters-cards-{language}.png", full_page=True)
    phone.close()
