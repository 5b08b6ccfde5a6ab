"""What the person reads on the portal, gathered from the domain apps' rows and adapters, in plain words.

Everything starts from the person's own file (`beneficiary`, already fetched inside their CPAS): their contracts,
meeting requests, sanction dossiers, decisions and transfers are looked up through it, so an id of anyone else's
object is simply not found (404). Dates are read, never computed here: the reflection period from
contracts.reflection, the evaluations a year from followup.selectors.contract_compliance (the rules core),
the deadlines the services stored when they wrote the rows (a meeting's `deadline`, a notice's `comply_by`, a
hearing's `reply_by`, a decision's `appeal_deadline`, a transfer's `answer_by`). Internal steps of a procedure (the
worker's opinion, the team lead's review, extracts not yet disclosed) are never shown; a letter appears once sent.
"""

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from piis.cases.enums import SENSITIVE_DOMAINS
from piis.cases.models import AssessmentItem
from piis.contracts.enums import CommitmentStatus, ContractStatus, Party
from piis.contracts.models import Clause, Contract, ContractVersion
from piis.contracts.reflection import reflection_dates
from piis.contracts.rights import RIGHT_CODES, rights_figures
from piis.followup.enums import MeetingStatus
from piis.followup.models import Evaluation, MeetingRequest
from piis.followup.selectors import contract_compliance, current_year
from piis.sanctions.enums import DecisionOutcome
from piis.sanctions.models import Decision, FormalNotice, Hearing
from piis.transfers.models import Transfer

# A contract the person can read: being signed, in force, or ended (a draft is still the worker's).
READABLE = (
    ContractStatus.HANDED_OVER,
    ContractStatus.AWAITING_SIGNATURES,
    ContractStatus.IN_FORCE,
    ContractStatus.ENDED,
)
# Which one the home page and "My PIIS" show first.
PRIORITY = {ContractStatus.IN_FORCE: 0, ContractStatus.AWAITING_SIGNATURES: 1, ContractStatus.HANDED_OVER: 1}


def contracts_of(beneficiary) -> list[Contract]:
    """The person's readable contracts, the one that matters now first (in force, then being signed, then ended)."""
    contracts = list(
        Contract.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, status__in=READABLE)
        .order_by("-signed_on", "-id")
    )
    return sorted(contracts, key=lambda c: PRIORITY.get(c.status, 2))


def contract_of(beneficiary, contract_id: int) -> Contract:
    """One of the person's readable contracts (404 for anything else)."""
    contract = (
        Contract.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, status__in=READABLE, pk=contract_id)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def readable_version(contract: Contract) -> ContractVersion | None:
    """The version the person should read: the one in force (the last concluded), or, while a contract (or an
    amendment) waits for signatures, the one handed over to them."""
    versions = list(ContractVersion.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("-number"))
    if not versions:
        return None
    latest = versions[0]
    if latest.concluded_on is None and contract.status in (
        ContractStatus.HANDED_OVER,
        ContractStatus.AWAITING_SIGNATURES,
    ):
        return latest
    return next((v for v in versions if v.concluded_on is not None), latest)


def pending_amendment(contract: Contract) -> ContractVersion | None:
    """An amendment handed over to the person and not yet in force."""
    if contract.status != ContractStatus.IN_FORCE:
        return None
    latest = ContractVersion.objects.for_cpas(contract.cpas_id).filter(contract=contract).order_by("-number").first()
    return latest if latest is not None and latest.concluded_on is None and not latest.superseded else None


def version_of(contract: Contract, version_id: int) -> ContractVersion:
    version = ContractVersion.objects.for_cpas(contract.cpas_id).filter(contract=contract, pk=version_id).first()
    if version is None:
        raise Http404
    return version


# --- the contract page ------------------------------------------------------------------------------------------


def _status_words() -> dict[str, tuple[str, str]]:
    return {
        CommitmentStatus.PLANNED: ("open", _("Planned")),
        CommitmentStatus.IN_PROGRESS: ("open", _("Under way")),
        CommitmentStatus.DONE: ("done", _("Done")),
        CommitmentStatus.NOT_DONE: ("late", _("Not done")),
    }


def _owner(step: dict) -> str:
    """Who does a step, said to the person: "You", "The CPAS", or the partner's name (from the PDF's reading)."""
    if step["owner"] == Party.BENEFICIARY:
        return _("You")
    if step["owner"] == Party.CPAS:
        return _("The CPAS")
    return ""


def _own_sensitive_needs(contract: Contract, domains: list[str]) -> dict:
    """The person's own needs in a sensitive domain, in full (S-Dom 16 keeps their details out of the contract's text
    and PDF, in the social file: the person reads them there, staff only as far as the file's need-to-know allows).
    Read from the assessment the PIIS was drafted from; a sensitive domain of the contract without such an item
    (an imported PIIS) is still named."""
    items = (
        AssessmentItem.objects.for_cpas(contract.cpas_id)
        .filter(assessment_id=contract.assessment_id, domain__in=SENSITIVE_DOMAINS)
        .order_by("domain", "kind", "id")
        if contract.assessment_id
        else AssessmentItem.objects.none()
    )
    needs = [{"domain_label": str(item.get_domain_display()), "text": item.text} for item in items]
    named = {need["domain_label"] for need in needs}
    return {"sensitive_needs": needs, "sensitive_domains": [d for d in domains if d not in named]}


def contract_page(contract: Contract, version: ContractVersion) -> dict:
    """The contract as the person reads it: the version's frozen text (contracts.pdf.pdf_context: the same reading
    as the PDF), the person's own sensitive needs in full (_own_sensitive_needs), each commitment with where it
    stands now (the live delivery status of its commitment, follow-up rather than content)."""
    from piis.contracts.pdf import pdf_context

    context = pdf_context(version)
    live = {
        clause_id: (status, since)
        for clause_id, status, since in Clause.objects.for_cpas(contract.cpas_id)
        .filter(contract=contract)
        .values_list("id", "delivery_status", "delivery_status_on")
    }
    words = _status_words()
    sections = []
    for section in context["sections"]:
        clauses = []
        for clause in section["clauses"]:
            status, since = live.get(clause["id"], ("", None))
            css, label = words.get(status, ("open", _("Planned")))
            clauses.append({**clause, "status": status, "status_css": css, "status_label": label, "status_on": since})
        sections.append({**section, "clauses": clauses})
    objectives = [
        {
            **objective,
            "steps": [{**step, "owner_label": _owner(step) or step["owner_label"]} for step in objective["steps"]],
        }
        for objective in context["objectives"]
    ]
    return {
        "contract": contract,
        "version": version,
        "objectives": objectives,
        "sections": sections,
        "open_needs": context["open_needs"],
        **_own_sensitive_needs(contract, context["sensitive_domains"]),
        "start_on": context["start_on"],
        "end_on": context["end_on"],
        "orientations": context["orientations"],
        "reflection": reflection_dates(version.handed_over_on) if version.concluded_on is None else None,
    }


# --- the timeline ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalDate:
    """One date of the person's timeline and what it means for them, in a sentence or two."""

    on: date
    title: str
    meaning: str
    icon: str = "calendar"
    past: bool = False
    lines: tuple[str, ...] = field(default_factory=tuple)


def _d(on, title, meaning, today, icon="calendar", lines=()) -> PortalDate:
    return PortalDate(on=on, title=str(title), meaning=str(meaning), icon=icon, past=on < today, lines=tuple(lines))


def _contract_dates(contract: Contract, today: date) -> list[PortalDate]:
    dates: list[PortalDate] = []
    version = readable_version(contract)
    amendment = pending_amendment(contract)
    waiting = amendment or (version if version is not None and version.concluded_on is None else None)
    if waiting is not None:
        reflection = reflection_dates(waiting.handed_over_on)
        dates.append(
            _d(
                reflection.handed_over_on,
                _("You received your PIIS to read"),
                _("Take the time to read it. You can ask questions."),
                today,
                "contract",
            )
        )
        dates.append(
            _d(
                reflection.last_day,
                _("Last day to think it over"),
                _("You do not have to sign before this day. You can ask someone to help you."),
                today,
            )
        )
        dates.append(
            _d(
                reflection.signature_from,
                _("You can sign from this day"),
                _("Sign only if you agree. You can ask for changes."),
                today,
                "contract",
            )
        )
    if contract.signed_on:
        dates.append(
            _d(contract.signed_on, _("Your PIIS was signed"), _("From then on, it applies."), today, "contract")
        )
    if contract.start_on:
        dates.append(
            _d(contract.start_on, _("Your PIIS starts"), _("The plan starts on this day."), today, "contract")
        )
    if contract.end_on and contract.status != ContractStatus.ENDED:
        dates.append(
            _d(
                contract.end_on,
                _("Planned end of your PIIS"),
                _("Your social worker will talk with you about what comes next."),
                today,
                "contract",
            )
        )
    if contract.ended_on:
        dates.append(_d(contract.ended_on, _("Your PIIS ended"), _("It no longer applies."), today, "contract"))
    if contract.status == ContractStatus.IN_FORCE:
        for objective in contract.objectives.all():
            dates.append(_d(objective.due_on, _("Goal planned for this day"), objective.title, today, "rights"))
            for step in objective.steps.all():
                if step.due_on:
                    dates.append(_d(step.due_on, _("Step planned for this day"), step.description, today, "rights"))
        for clause in contract.clauses.all():
            if clause.due_on and clause.party != Party.BENEFICIARY:
                who = _("The CPAS promised") if clause.party == Party.CPAS else _("A partner promised")
                dates.append(_d(clause.due_on, who, clause.text, today, "person"))
            elif clause.due_on:
                dates.append(_d(clause.due_on, _("You promised"), clause.text, today, "person"))
        evaluations = list(Evaluation.objects.for_cpas(contract.cpas_id).filter(contract=contract))
        for evaluation in evaluations:
            dates.append(
                _d(
                    evaluation.held_on,
                    _("Evaluation with your social worker"),
                    _("You looked together at how your plan goes."),
                    today,
                    "ask",
                )
            )
        year = current_year(contract_compliance(contract=contract, evaluations=evaluations, today=today))
        if year is not None and year.is_current and year.status != "compliant":
            dates.append(
                _d(
                    year.year.end,
                    _("Evaluations to hold before this day"),
                    _("Your social worker must see you to look at your plan."),
                    today,
                    "ask",
                    [year.missing_text] if year.missing_text else [],
                )
            )
    return dates


def _meeting_dates(beneficiary, today: date) -> list[PortalDate]:
    dates = []
    for meeting in MeetingRequest.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary):
        dates.append(
            _d(
                meeting.requested_on,
                _("You asked for a meeting"),
                meeting.subject or _("With your social worker."),
                today,
                "ask",
            )
        )
        if meeting.status == MeetingStatus.OPEN:
            dates.append(
                _d(
                    meeting.deadline,
                    _("Last day for your meeting"),
                    _("The CPAS must meet you by this day at the latest."),
                    today,
                    "ask",
                )
            )
        elif meeting.held_on:
            dates.append(
                _d(meeting.held_on, _("Your meeting took place"), _("With your social worker."), today, "ask")
            )
    return dates


def _sanction_dates(beneficiary, today: date) -> list[PortalDate]:
    dates = []
    notices = FormalNotice.objects.for_cpas(beneficiary.cpas_id).filter(
        dossier__beneficiary=beneficiary, sent_on__isnull=False
    )
    for notice in notices:
        dates.append(
            _d(
                notice.sent_on,
                _("Letter: the CPAS says a promise was not kept"),
                _("Read the letter. You can explain why."),
                today,
                "letters",
            )
        )
        dates.append(
            _d(
                notice.comply_by,
                _("Last day to act or explain"),
                _("Do what was promised, or tell the CPAS why you could not."),
                today,
                "letters",
            )
        )
    hearings = Hearing.objects.for_cpas(beneficiary.cpas_id).filter(dossier__beneficiary=beneficiary)
    for hearing in hearings:
        if hearing.reply_by:
            dates.append(
                _d(
                    hearing.reply_by,
                    _("Last day to ask to be heard"),
                    _("You can explain yourself before any decision. Someone can come with you."),
                    today,
                    "person",
                )
            )
        if hearing.scheduled_on and not hearing.held_on:
            dates.append(
                _d(
                    hearing.scheduled_on,
                    _("Your hearing"),
                    _("You explain yourself to the CPAS. Someone can come with you."),
                    today,
                    "person",
                )
            )
        if hearing.held_on:
            dates.append(_d(hearing.held_on, _("You were heard"), _("Before the decision."), today, "person"))
    for decision in notified_decisions(beneficiary):
        dates.append(
            _d(
                decision.notified_on,
                _("Letter: the decision of the CPAS"),
                decision.get_outcome_display(),
                today,
                "letters",
            )
        )
        if decision.start_on and decision.outcome in (
            DecisionOutcome.TOTAL_SUSPENSION,
            DecisionOutcome.PARTIAL_SUSPENSION,
        ):
            dates.append(
                _d(
                    decision.start_on,
                    _("The suspension starts"),
                    _("Part of your income is not paid."),
                    today,
                    "letters",
                )
            )
            if decision.end_on:
                dates.append(
                    _d(decision.end_on, _("The suspension ends"), _("Your income is paid again."), today, "letters")
                )
        if decision.appeal_deadline:
            dates.append(
                _d(
                    decision.appeal_deadline,
                    _("Last day to appeal"),
                    _("If you do not agree, you can go to the labour court until this day."),
                    today,
                    "rights",
                )
            )
    return dates


def _transfer_dates(beneficiary, today: date) -> list[PortalDate]:
    dates = []
    for transfer in transfers_of(beneficiary):
        dates.append(_d(transfer.moved_on, _("You moved"), _("Your PIIS can go to your new CPAS."), today, "home"))
        if transfer.letter_sent_on and not transfer.answered_on:
            dates.append(
                _d(
                    transfer.answer_by,
                    _("Last day to say no to the move of your PIIS"),
                    _("If you say nothing, your PIIS goes to your new CPAS."),
                    today,
                    "letters",
                )
            )
        if transfer.answered_on:
            dates.append(
                _d(
                    transfer.answered_on,
                    _("Your answer on the move was recorded"),
                    transfer.get_answer_display(),
                    today,
                    "letters",
                )
            )
    return dates


def timeline(beneficiary, today: date) -> list[PortalDate]:
    """Every date that concerns the person, oldest first."""
    dates: list[PortalDate] = []
    for contract in contracts_of(beneficiary):
        dates.extend(_contract_dates(contract, today))
    dates.extend(_meeting_dates(beneficiary, today))
    dates.extend(_sanction_dates(beneficiary, today))
    dates.extend(_transfer_dates(beneficiary, today))
    return sorted(dates, key=lambda d: d.on)


# --- letters -----------------------------------------------------------------------------------------------------


def sent_notices(beneficiary) -> list[FormalNotice]:
    return list(
        FormalNotice.objects.for_cpas(beneficiary.cpas_id)
        .filter(dossier__beneficiary=beneficiary, sent_on__isnull=False)
        .order_by("-sent_on", "-id")
    )


def notified_decisions(beneficiary) -> list[Decision]:
    return list(
        Decision.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, notified_on__isnull=False)
        .order_by("-notified_on", "-id")
    )


def transfers_of(beneficiary) -> list[Transfer]:
    return list(
        Transfer.objects.for_cpas(beneficiary.cpas_id).filter(beneficiary=beneficiary).order_by("-moved_on", "-id")
    )


@dataclass(frozen=True)
class Letter:
    """One letter on "My letters": its date, its lines in plain words, and the portal page of its PDF."""

    on: date | None  # never None: only sent letters are listed (the field may be empty on the model)
    lines: tuple[str, ...]
    url_name: str
    pk: int


@dataclass(frozen=True)
class LetterKind:
    heading: str
    letters: tuple[Letter, ...]


def _long(on: date) -> str:
    return date_format(on, "l j F Y")


def _decision_letter(decision: Decision) -> Letter:
    lines = [str(decision.get_outcome_display())]
    if decision.appeal_deadline:
        lines.append(
            _("You do not agree? You can appeal to the labour court until %(date)s.")
            % {"date": _long(decision.appeal_deadline)}
        )
        if decision.labour_court:
            lines.append(decision.labour_court)
    return Letter(decision.notified_on, tuple(lines), "portal:decision_letter", decision.pk)


def _notice_letter(notice: FormalNotice) -> Letter:
    lines = (_("Act or explain by %(date)s.") % {"date": _long(notice.comply_by)},)
    return Letter(notice.sent_on, lines, "portal:notice_letter", notice.pk)


def _transfer_letter(transfer: Transfer) -> Letter:
    lines = [_("Your PIIS can go to %(name)s.") % {"name": transfer.destination_name}]
    if not transfer.answered_on:
        lines.append(_("You can say no until %(date)s.") % {"date": _long(transfer.answer_by)})
    return Letter(transfer.letter_sent_on, tuple(lines), "portal:transfer_letter", transfer.pk)


def letters_of(beneficiary) -> list[LetterKind]:
    """The person's letters by kind (decisions, formal notices, transfer letters), newest first; empty kinds left
    out. One card each on "My letters"; the home page counts them."""
    kinds = (
        (_("Decisions"), [_decision_letter(d) for d in notified_decisions(beneficiary)]),
        (_("A promise was not kept"), [_notice_letter(n) for n in sent_notices(beneficiary)]),
        (_("You moved"), [_transfer_letter(t) for t in transfers_of(beneficiary) if t.letter_sent_on]),
    )
    return [LetterKind(str(heading), tuple(items)) for heading, items in kinds if items]


def notice_of(beneficiary, notice_id: int) -> FormalNotice:
    notice = (
        FormalNotice.objects.for_cpas(beneficiary.cpas_id)
        .select_related("dossier")
        .filter(dossier__beneficiary=beneficiary, sent_on__isnull=False, pk=notice_id)
        .first()
    )
    if notice is None:
        raise Http404
    return notice


def decision_of(beneficiary, decision_id: int) -> Decision:
    decision = (
        Decision.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, notified_on__isnull=False, pk=decision_id)
        .first()
    )
    if decision is None:
        raise Http404
    return decision


def transfer_of(beneficiary, transfer_id: int) -> Transfer:
    transfer = (
        Transfer.objects.for_cpas(beneficiary.cpas_id)
        .filter(beneficiary=beneficiary, letter_sent_on__isnull=False, pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise Http404
    return transfer


# --- rights ------------------------------------------------------------------------------------------------------


def _plain_rights() -> dict[str, tuple[str, str]]:
    """Each right of contracts.enums.RIGHTS in plain words: a title, then one idea per sentence (%(...)s are the
    figures of the law in force, from the rules core's parameter table via contracts.rights)."""
    return {
        "assistance": (_("Someone can help you"), _("You can bring a person you trust. To every meeting.")),
        "reflection": (
            _("Time to think before you sign"),
            _("You get %(reflection_days)s days to read your PIIS. You can sign later. You can ask for changes."),
        ),
        "meeting": (
            _("You can ask for a meeting"),
            _("Your social worker must see you within %(meeting_days)s working days."),
        ),
        "hearing": (
            _("You are heard before a decision"),
            _("Before a decision about your income or your PIIS, you can explain yourself."),
        ),
        "amendment": (
            _("You can ask to change your PIIS"),
            _("Your PIIS can change if everyone agrees."),
        ),
        "evaluation": (
            _("Your plan is looked at together"),
            _("At least %(evaluations)s times a year. %(in_person)s of them face to face."),
        ),
        "sanctions": (
            _("If a promise is not kept"),
            _(
                "The CPAS first writes to you. You can explain. Then you can be heard. Only then can part of your "
                "income stop: at most %(first_months)s month, %(repeat_months)s months if it happens again within a "
                "year."
            ),
        ),
        "appeal": (
            _("You can appeal"),
            _("If you do not agree with a decision, you can go to the labour court within %(appeal_months)s months."),
        ),
        "transfer": (
            _("If you move"),
            _("Your PIIS can go to your new CPAS. You can say no."),
        ),
    }


def rights(on: date) -> list[dict]:
    figures = rights_figures(on)
    plain = _plain_rights()
    return [
        {"code": code, "title": plain[code][0], "text": plain[code][1] % figures}
        for code in RIGHT_CODES
        if code in plain
    ]
