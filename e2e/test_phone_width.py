"""Flow: every staff page fits a 390 px phone: the page never scrolls sideways (issue 10), and still fits at 1280 px.

The demo data (two CPAS, a PIIS in every state, evaluations, meeting requests) plus, in each CPAS, one file with
every section filled and a PIIS in force whose amendment waits for consent, a draft with steps and a third party,
and long unbroken strings where people type them (an e-mail address, a link in a commitment, a long name). Every
page is opened as the role that uses it, in the CPAS's language, and measured: the document is no wider than the
viewport, no element sticks out of it, and a table that scrolls inside its own container has a label."""

import datetime
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import SCREENSHOTS, log_in
from piis.accounts.enums import Role
from piis.accounts.models import Cpas, Membership, Signatory, Team
from piis.cases.models import Assistant, HouseholdMember, NeedsAssessment, RiDecision
from piis.catalogue.models import CatalogueEntry, TargetGroup
from piis.contracts.enums import ContractStatus
from piis.contracts.models import Contract, Objective
from piis.contracts.services.lifecycle import contract_hand_over, contract_start_amendment
from piis.demo.data import DEMO_PASSWORD, load_demo_data
from piis.followup.enums import MeetingStatus
from piis.followup.models import Evaluation, MeetingRequest
from piis.sanctions import services_council
from piis.sanctions.models import CouncilSitting, Decision, SanctionDossier
from piis.transfers.models import IncomingTransfer, Transfer
from tests.factories import (
    make_assistant,
    make_beneficiary,
    make_clause_template,
    make_cpas,
    make_exemption,
    make_household_member,
    make_income_period,
    make_member,
    make_step,
    make_third_party,
)
from tests.followup.builders import make_meeting_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NIS = {"wal": "99101", "vla": "99201"}
LOCALE = {"wal": "fr-BE", "vla": "nl-BE"}
NOT_FOUND = {"not-found"}  # the pages measured on their 404 answer
AXE_PAGES = {"file-list", "file", "contract-draft", "contract-amended", "agenda", "team", "audit-trail"}
PASSWORD = "pw-for-tests-123456"  # noqa: S105 — tests.factories' password
LONG_EMAIL = "amelie.vandenbrouckedelafontainesaintgermain@administrationcommunaledebeaumontlespres.be"
LONG_LINK = (
    "https://www.cpas-beaumont.be/formulaires/remboursement/fraisdedeplacementetdinscription?ref=PIIS2026000123"
)
LONG_WORD = "Arbeidsmarktbemiddelingsondersteuningstrajectbegeleidingsovereenkomst"

# Measured in the page: the document's width, the elements whose right edge passes the viewport (outside any
# container that clips or scrolls them), widest first, and the containers that scroll sideways without a label.
MEASURE = """() => {
    const viewport = document.documentElement.clientWidth;
    const scrolls = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
    const inScroller = (el) => {
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
        return false;
    };
    const describe = (el) => {
        let text = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "");
        if (el.classList.length) text += "." + [...el.classList].join(".");
        const words = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 50);
        return words ? `${text} "${words}"` : text;
    };
    const offenders = [];
    const unlabelled = [];
    for (const el of document.querySelectorAll("body *")) {
        const box = el.getBoundingClientRect();
        const right = box.right + Math.max(0, parseFloat(getComputedStyle(el).marginRight) || 0);
        if (box.width && right > viewport + 0.5 && !inScroller(el)) {
            offenders.push({element: describe(el), right: Math.round(right), width: Math.round(box.width)});
        }
        const control = ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
        const sideways = scrolls(el) && getComputedStyle(el).overflowX !== "hidden";
        if (!control && sideways && el.scrollWidth > el.clientWidth + 1) {
            const table = el.querySelector("table");
            const caption = table && table.caption && table.caption.textContent.trim();
            const label = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
            if (!(caption && label && el.tabIndex === 0)) unlabelled.push(describe(el));
        }
    }
    offenders.sort((a, b) => b.right - a.right || b.width - a.width);
    return {width: document.documentElement.scrollWidth, viewport, offenders: offenders.slice(0, 5), unlabelled};
}"""


def _member(cpas, username: str) -> Membership:
    return Membership.objects.select_related("user", "cpas").get(cpas=cpas, user__username=username)


def _fill(key: str) -> dict:
    """The demo, plus one file with every section filled and long strings; returns the objects the pages show."""
    today = timezone.localdate()
    cpas = Cpas.objects.get(nis_code=NIS[key])
    worker = _member(cpas, f"{key}_social_worker")
    contracts = Contract.objects.for_cpas(cpas).order_by("pk")
    amended = contracts.filter(status=ContractStatus.IN_FORCE, third_parties__isnull=False).first()
    person = amended.beneficiary
    person.email = LONG_EMAIL
    person.notes = f"{LONG_WORD} {LONG_LINK}"
    person.save()
    make_household_member(cpas, beneficiary=person, name=f"Marie-{LONG_WORD}", birth_date=datetime.date(2012, 3, 4))
    make_assistant(
        cpas, beneficiary=person, name="Service d'aide juridique", relationship=LONG_WORD, contact=LONG_EMAIL
    )
    make_income_period(cpas, beneficiary=person)
    make_exemption(
        cpas,
        beneficiary=person,
        motivation=f"{LONG_WORD} {LONG_LINK}",
        decided_on=today - datetime.timedelta(days=400),
        start_on=today - datetime.timedelta(days=400),
        review_on=today - datetime.timedelta(days=320),
        end_on=today - datetime.timedelta(days=300),
    )
    make_meeting_request(
        cpas,
        beneficiary=person,
        recorded_by=worker.user,
        requested_on=today - datetime.timedelta(days=2),
        deadline=today + datetime.timedelta(days=5),
        subject=f"{LONG_WORD} {LONG_LINK}",
    )
    contract_start_amendment(membership=worker, contract=amended, reason=f"{LONG_WORD} {LONG_LINK}")
    clause = amended.clauses.filter(third_party__isnull=True).order_by("pk").first()
    clause.text = f"{clause.text} {LONG_LINK} {LONG_WORD}"
    clause.save()
    version = contract_hand_over(
        membership=worker, contract=amended, handed_over_on=today, today=today, reason=f"{LONG_WORD} {LONG_LINK}"
    )
    draft = contracts.filter(status=ContractStatus.DRAFT).first()
    objective = Objective.objects.filter(contract=draft).order_by("pk").first()
    step = make_step(cpas, objective=objective, description=f"{LONG_WORD} {LONG_LINK}")
    third = make_third_party(cpas, contract=draft, name=LONG_WORD, signatory_name=LONG_WORD)
    template = make_clause_template(cpas, title=LONG_WORD, text=f"{LONG_WORD} {LONG_LINK}")
    # The demo's planned sitting gets a refusal to sign with long reasons: its hearing and decision pages.
    planned = CouncilSitting.objects.for_cpas(cpas).filter(status="planned").order_by("pk").first()
    secretary = _member(cpas, f"{key}_council_secretary").user
    matter = services_council.item_add_matter(
        actor=secretary, sitting=planned, kind="refusal_to_sign", beneficiary=person,
        person_reasons=f"{LONG_WORD} {LONG_LINK}",
    )  # fmt: skip
    return {
        "planned": planned,
        "matter": matter,
        "cpas": cpas,
        "person": person,
        "amended": amended,
        "version": version,
        "draft": draft,
        "objective": objective,
        "step": step,
        "third": third,
        "template": template,
        "clause": clause,
    }


def _first(model, cpas) -> int:
    """The pk of the CPAS's first row of `model` (the demo's catalogue and target groups)."""
    return model.objects.for_cpas(cpas).order_by("pk").values_list("pk", flat=True)[0]


def _pages(key: str, objects: dict) -> dict[str, list[tuple[str, str]]]:
    """(name, URL) of every staff page with content, per username."""
    cpas, person, amended, draft = objects["cpas"], objects["person"], objects["amended"], objects["draft"]
    contracts = Contract.objects.for_cpas(cpas).order_by("pk")
    state = {status: contracts.filter(status=status).first() for status in ContractStatus.values}
    handed_over, awaiting = state[ContractStatus.HANDED_OVER], state[ContractStatus.AWAITING_SIGNATURES]
    in_force = contracts.filter(status=ContractStatus.IN_FORCE, evaluations__isnull=False).first()
    evaluation = Evaluation.objects.for_cpas(cpas).filter(contract=in_force).order_by("pk").first()
    meeting = MeetingRequest.objects.for_cpas(cpas).filter(status=MeetingStatus.OPEN).order_by("pk").first()
    first_version = amended.versions.order_by("number").first()
    file_pk = person.pk
    records = {
        "household": HouseholdMember.objects.filter(beneficiary=person).order_by("pk").first(),
        "assistant": Assistant.objects.filter(beneficiary=person).order_by("pk").first(),
        "ri": RiDecision.objects.filter(beneficiary=person).order_by("pk").first(),
    }
    assessment = NeedsAssessment.objects.filter(beneficiary=person).order_by("pk").first()
    worker = [
        ("home", reverse("core:home")),
        ("file-list", reverse("cases:list")),
        ("file-search", reverse("cases:list") + "?q=a"),
        ("file", reverse("cases:detail", args=[file_pk])),
        ("portal-account", reverse("portal_staff:account", args=[file_pk])),
        ("file-new", reverse("cases:create")),
        ("file-edit", reverse("cases:edit", args=[file_pk])),
        ("assessment-new", reverse("cases:assessment_create", args=[file_pk])),
        ("assessment-edit", reverse("cases:assessment_edit", args=[file_pk, assessment.pk])),
        *[
            (f"record-new-{kind}", reverse("cases:record_create", args=[file_pk, kind]))
            for kind in ("household", "assistant", "ri", "period", "exemption")
        ],  # fmt: skip
        *[
            (f"record-edit-{kind}", reverse("cases:record_edit", args=[file_pk, kind, record.pk]))
            for kind, record in records.items()
        ],  # fmt: skip
        ("contract-draft", reverse("contracts:detail", args=[draft.pk])),
        ("contract-handed-over", reverse("contracts:detail", args=[handed_over.pk])),
        ("contract-awaiting", reverse("contracts:detail", args=[awaiting.pk])),
        ("contract-amended", reverse("contracts:detail", args=[amended.pk])),
        ("contract-in-force", reverse("contracts:detail", args=[in_force.pk])),
        ("contract-ended", reverse("contracts:detail", args=[state[ContractStatus.ENDED].pk])),
        ("version", reverse("contracts:version", args=[amended.pk, first_version.pk])),
        ("version-amendment", reverse("contracts:version", args=[amended.pk, objects["version"].pk])),
        ("information", reverse("contracts:information", args=[amended.pk, objects["version"].pk])),
        ("sign", reverse("contracts:sign", args=[awaiting.pk, awaiting.versions.get().pk])),
        ("hand-over", reverse("contracts:hand_over", args=[draft.pk])),
        ("late-motivation", reverse("contracts:late_motivation", args=[handed_over.pk])),
        ("amendment", reverse("contracts:amendment_start", args=[in_force.pk])),
        ("end", reverse("contracts:end", args=[in_force.pk])),
        ("contract-new", reverse("contracts:create", args=[file_pk])),
        ("contract-edit", reverse("contracts:edit", args=[draft.pk])),
        ("objective-new", reverse("contracts:objective_add", args=[draft.pk])),
        ("objective-edit", reverse("contracts:objective_edit", args=[objects["objective"].pk])),
        ("step-new", reverse("contracts:step_add", args=[objects["objective"].pk])),
        ("step-edit", reverse("contracts:step_edit", args=[objects["step"].pk])),
        ("clause-new", reverse("contracts:clause_add", args=[draft.pk])),
        ("clause-edit", reverse("contracts:clause_edit", args=[draft.clauses.order_by("pk").first().pk])),
        ("third-party-new", reverse("contracts:third_party_add", args=[draft.pk])),
        ("third-party-edit", reverse("contracts:third_party_edit", args=[objects["third"].pk])),
        ("agenda", reverse("followup:agenda")),
        ("evaluation-new", reverse("followup:evaluation_add", args=[in_force.pk])),
        ("evaluation-edit", reverse("followup:evaluation_edit", args=[evaluation.pk])),
        ("evaluation-print", reverse("followup:evaluation_print", args=[evaluation.pk])),
        ("commitment-delivery", reverse("followup:commitment_delivery", args=[objects["clause"].pk])),
        ("meeting-new", reverse("followup:meeting_add", args=[file_pk])),
        ("meeting-held", reverse("followup:meeting_held", args=[meeting.pk])),
        ("meeting-withdraw", reverse("followup:meeting_withdraw", args=[meeting.pk])),
        ("calendar-feed", reverse("followup:feed_settings")),
        ("second-factor", reverse("accounts:mfa_account")),
        ("not-found", reverse("cases:detail", args=[0])),
    ]
    signatory = Signatory.objects.for_cpas(cpas).order_by("pk").first()
    # The sanction procedure (the demo's dossiers at each stage; a team lead sees every one of the CPAS).
    dossiers = SanctionDossier.objects.for_cpas(cpas).order_by("pk")
    ready = dossiers.filter(status="ready").first() or dossiers.first()
    preparing = dossiers.filter(status="preparing").first() or ready
    sanctions = [
        ("sanction-list", reverse("sanctions:list")),
        ("sanction-dossier", reverse("sanctions:detail", args=[ready.pk])),
        ("sanction-dossier-preparing", reverse("sanctions:detail", args=[preparing.pk])),
        ("sanction-commitments", reverse("sanctions:step", args=[preparing.pk, "commitments"])),
        ("sanction-opinion", reverse("sanctions:step", args=[preparing.pk, "opinion"])),
        ("sanction-open", reverse("sanctions:open", args=[in_force.pk])),
    ]
    # Transfers (the demo's: one waiting for the person's answer and one refused, each way between the two CPAS).
    outgoing = Transfer.objects.for_cpas(cpas).filter(status="awaiting_answer").first()
    incoming = IncomingTransfer.objects.for_cpas(cpas).order_by("pk")
    worker += [
        ("transfers", reverse("transfers:list")),
        ("transfer", reverse("transfers:detail", args=[outgoing.pk])),
        ("transfer-start", reverse("transfers:start", args=[in_force.pk])),
        ("transfer-import", reverse("transfers:import")),
        ("transfer-incoming", reverse("transfers:incoming", args=[incoming.filter(status="awaiting_answer")[0].pk])),
        ("transfer-refused", reverse("transfers:incoming", args=[incoming.filter(status="refused")[0].pk])),
    ]
    # Documents and letters (piis.documents; the demo's documents sit on a PIIS in force).
    with_documents = contracts.filter(status=ContractStatus.IN_FORCE, documents__isnull=False).first() or in_force
    worker += [
        ("documents", reverse("documents:file", args=[with_documents.beneficiary_id])),
        ("documents-contract", reverse("documents:contract", args=[with_documents.pk])),
        ("document-new", reverse("documents:contract_add", args=[with_documents.pk])),
        ("letter-new", reverse("documents:letter_new", args=[with_documents.beneficiary_id, "evaluation_invitation"])),
    ]
    # The council's part (the demo: a sitting held today with its decisions, one planned next week).
    held = CouncilSitting.objects.for_cpas(cpas).filter(status="minutes_closed").order_by("pk").first()
    planned, matter = objects["planned"], objects["matter"]
    decision = Decision.objects.for_cpas(cpas).filter(item__sitting=held).order_by("pk").first()
    council = [
        ("council-home", reverse("core:home")),
        ("sittings", reverse("council:sittings")),
        ("sitting-held", reverse("council:sitting", args=[held.pk])),
        ("sitting-planned", reverse("council:sitting", args=[planned.pk])),
    ]
    this_month = timezone.localdate()  # the reports (piis.reports) of the demo's month and year
    return {
        f"{key}_council_secretary": [
            *council,
            ("sitting-new", reverse("council:sitting_new")),
            ("sitting-edit", reverse("council:sitting_edit", args=[planned.pk])),
            ("item-hearing", reverse("council:item_hearing", args=[matter.pk])),
            ("item-decide", reverse("council:item_decide", args=[matter.pk])),
            ("appeal-new", reverse("council:appeal_new", args=[decision.pk])),
            ("payment-exports", reverse("council:exports")),
            ("sanction-register", reverse("council:register")),
        ],
        f"{key}_council_member": [(f"member-{name}", url) for name, url in council],
        f"{key}_social_worker": worker,
        f"{key}_team_lead": [
            ("team-home", reverse("core:home")),
            ("team", reverse("followup:team")),
            ("team-observatory", reverse("observatory:dashboard") + "?period=quarter"),
            ("library", reverse("contracts:library")),
            ("library-new", reverse("contracts:library_add")),
            ("library-edit", reverse("contracts:library_edit", args=[objects["template"].pk])),
            *sanctions,
        ],
        f"{key}_director": [
            ("director-home", reverse("core:home")),
            ("director-files", reverse("cases:list")),
            ("break-the-glass", reverse("cases:break_glass", args=[file_pk])),
            ("director-register", reverse("council:register")),
            ("observatory", reverse("observatory:dashboard")),
            ("federal-figures", reverse("observatory:federal")),
            ("reports", reverse("reports:index")),
            ("subsidy-claim", reverse("reports:subsidy_claim", args=[this_month.year, this_month.month])),
            ("annual-report", reverse("reports:annual", args=[this_month.year])),
        ],
        f"{key}_inspector": [
            ("inspector-claim", reverse("reports:subsidy_claim", args=[this_month.year, this_month.month])),
        ],
        f"{key}_cpas_admin": [
            ("admin-home", reverse("core:home")),
            ("cpas-settings", reverse("accounts:cpas_settings")),
            ("legal-assumptions", reverse("core:legal_assumptions")),
            ("signatory-edit", reverse("accounts:signatory_edit", args=[signatory.pk])),
            ("catalogue", reverse("catalogue:list")),
            ("catalogue-entry-new", reverse("catalogue:entry_add")),
            ("catalogue-entry-edit", reverse("catalogue:entry_edit", args=[_first(CatalogueEntry, cpas)])),
            ("target-group-new", reverse("catalogue:group_add")),
            ("target-group-edit", reverse("catalogue:group_edit", args=[_first(TargetGroup, cpas)])),
            ("teams", reverse("accounts:teams")),
            ("team-edit", reverse("accounts:team_edit", args=[Team.objects.for_cpas(cpas).order_by("pk").first().pk])),
            ("staff-second-factor", reverse("accounts:mfa_staff")),
            ("retention", reverse("privacy:retention")),
            ("retention-edit", reverse("privacy:retention_edit", args=["closed_file"])),
            ("letter-templates", reverse("documents:templates")),
            ("letter-template-edit", reverse("documents:template_edit", args=["handover", LOCALE[key][:2]])),
        ],
        f"{key}_dpo": [
            ("dpo-home", reverse("core:home")),
            ("audit-trail", reverse("audit:list")),
            ("glass-breaks", reverse("audit:glass_breaks")),
            ("audit-trail-file", reverse("audit:list") + f"?beneficiary={file_pk}"),
            ("access-search", reverse("privacy:search") + "?" + urlencode({"q": person.last_name})),
            ("dpo-retention", reverse("privacy:retention")),
        ],
        "both_director": [("two-cpas-home", reverse("core:home"))],
    }


def _axe_problems(page, name: str) -> list[str]:
    """Serious or critical axe violations: the cards must stay readable by a screen reader."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{name}: axe {v['id']}: {v['help']}" for v in violations if v.get("impact") in ("serious", "critical")]


def _sweep(browser, live_server, key: str, viewport: dict, pages: dict) -> list[str]:
    """Open every page as its user at `viewport`; returns one line per page that is too wide."""
    SCREENSHOTS.mkdir(exist_ok=True)
    failures = []
    for username, entries in pages.items():
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=LOCALE[key])
        page = context.new_page()
        page.set_default_timeout(15000)
        if username == "both_director":
            page.goto("/accounts/login/")  # measured logged out too: the login page
            failures += _measure(page, key, viewport, "login")
        log_in(page, username, DEMO_PASSWORD)
        for name, url in entries:
            response = page.goto(url)
            expected = 404 if name in NOT_FOUND else 200
            assert response is not None and response.status == expected, (
                f"{username} {url}: {response and response.status}"
            )
            assert page.url.endswith(url), f"{username} {url} was redirected to {page.url}"
            failures += _measure(page, key, viewport, name)
            if name in AXE_PAGES and viewport == PHONE:
                failures += _axe_problems(page, name)
        context.close()
    return failures


def _measure(page, key: str, viewport: dict, name: str) -> list[str]:
    result = page.evaluate(MEASURE)
    print(f"{viewport['width']} {key} {name}: {result['width']} px")  # the figures, with pytest -s
    page.screenshot(path=str(SCREENSHOTS / f"width-{viewport['width']}-{key}-{name}.png"), full_page=True)
    problems = []
    if result["width"] > viewport["width"] or result["offenders"]:
        widest = "; ".join(f"{o['element']} (right edge {o['right']} px)" for o in result["offenders"])
        problems.append(f"{name} {page.url}: {result['width']} px wide; widest: {widest}")
    if result["unlabelled"]:
        problems.append(
            f"{name}: scrolls sideways inside a container without a caption and label: {result['unlabelled']}"
        )
    return problems


@pytest.mark.parametrize("key", ["wal", "vla"])  # French, then Dutch: the longest words
def test_no_staff_page_scrolls_sideways_on_a_phone(browser, live_server, key):
    load_demo_data()
    objects = _fill(key)
    failures = _sweep(browser, live_server, key, PHONE, _pages(key, objects))
    assert not failures, f"{len(failures)} pages wider than {PHONE['width']} px:\n" + "\n".join(failures)


def test_desktop_pages_still_fit(browser, live_server):
    load_demo_data()
    objects = _fill("wal")
    failures = _sweep(browser, live_server, "wal", DESKTOP, _pages("wal", objects))
    assert not failures, f"{len(failures)} pages wider than {DESKTOP['width']} px:\n" + "\n".join(failures)


def test_live_search_results_are_cards_too(browser, live_server):
    """The rows htmx swaps into the file list while typing are labelled cards, like the first page's."""
    cpas = make_cpas(name="CPAS de test")
    worker = make_member(cpas, Role.SOCIAL_WORKER, username="ana_worker")
    for first in ("Amélie", "Jan", "Noor"):
        make_beneficiary(cpas, social_worker=worker.user, first_name=first, last_name="Vandenbroucke-Peeters")
    make_beneficiary(cpas, social_worker=worker.user, last_name="Dubois")
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    log_in(page, "ana_worker", PASSWORD)
    page.goto(reverse("cases:list"))
    page.locator("#q").fill("Peeters")
    page.wait_for_url("**q=Peeters**")
    rows = page.locator("#file-rows table.list[data-stack] tbody tr")
    expect(rows).to_have_count(3)
    assert rows.first.locator("td").first.get_attribute("data-label") == "Name"
    assert rows.first.locator("td").nth(3).get_attribute("data-label") == "Language"
    result = page.evaluate(MEASURE)
    assert result["width"] <= PHONE["width"] and not result["offenders"], result
    page.screenshot(path=str(SCREENSHOTS / "width-390-file-live-search.png"), full_page=True)
    context.close()
