"""Pages of the council: sittings and their agenda, the other PIIS matters, a decision and its notification, the
decision letter and the minutes (PDF), the appeal, the payment exports and the sanction register. Thin:
fetch-and-authorise (404), one service call, render; PDFs after the request's transaction (pdf_council)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.accounts.enums import Role
from piis.audit.enums import AuditVerb
from piis.audit.services import record, record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.errors import ServiceError, add_error_to_form
from piis.sanctions import facts, forms_council, selectors_council, services_council
from piis.sanctions.enums import SUSPENSION_OUTCOMES, AppealOutcome, Deferral, ItemKind, SittingStatus
from piis.sanctions.export import export_csv
from piis.sanctions.pdf_council import decision_html, minutes_html, pdf_response_later, render_pdf
from piis.sanctions.perms import can_manage_sittings, can_view_register, can_view_sittings
from piis.sanctions.selectors import dossiers_ready


def _sitting(request, pk: int, *, audit: bool = True):
    return selectors_council.sitting_get_for_user(
        membership=request.membership, pk=pk, context=request.path, audit=audit
    )


def _to_sitting(sitting_id: int, anchor: str = ""):
    response = redirect("council:sitting", sitting_id=sitting_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _council_members(cpas):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(memberships__cpas=cpas, memberships__role=Role.COUNCIL_MEMBER, memberships__is_active=True)
        .order_by("last_name", "first_name")
        .distinct()
    )


@cpas_permission_required(can_view_sittings)
def sitting_list(request):
    sittings = selectors_council.sittings_for_user(membership=request.membership, context=request.path)
    return render(
        request,
        "sanctions/council/sittings.html",
        {"sittings": sittings, "manage": can_manage_sittings(request.membership)},
    )


def _sitting_form_save(request, form, sitting=None):
    d = form.cleaned_data
    fields = {"organ": d["organ"], "sits_on": d["sits_on"], "starts_at": d["starts_at"], "place": d["place"],
              "members": list(d["members"])}  # fmt: skip
    if sitting is None:
        return services_council.sitting_plan(actor=request.user, cpas=request.cpas, **fields)
    return services_council.sitting_change(actor=request.user, sitting=sitting, **fields)


@cpas_permission_required(can_manage_sittings)
def sitting_new(request):
    form = forms_council.SittingForm(request.POST or None, members=_council_members(request.cpas))
    if request.method == "POST" and form.is_valid():
        try:
            sitting = _sitting_form_save(request, form)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The sitting is planned: add the matters to its agenda."))
            return _to_sitting(sitting.pk)
    return render(request, "sanctions/council/form.html", {"form": form, "title": _("Plan a sitting")})


@cpas_permission_required(can_manage_sittings)
def sitting_edit(request, sitting_id: int):
    sitting = _sitting(request, sitting_id, audit=False)
    if sitting.status != SittingStatus.PLANNED:
        raise Http404
    initial = {"organ": sitting.organ, "sits_on": sitting.sits_on, "starts_at": sitting.starts_at,
               "place": sitting.place, "members": list(sitting.members.all())}  # fmt: skip
    form = forms_council.SittingForm(request.POST or None, initial=initial, members=_council_members(request.cpas),
                                     versioned=sitting)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            _sitting_form_save(request, form, sitting)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The sitting is changed."))
            return _to_sitting(sitting.pk)
    return render(request, "sanctions/council/form.html", {"form": form, "title": _("Change the sitting"),
                                                            "sitting": sitting})  # fmt: skip


@cpas_permission_required(can_view_sittings)
def sitting_detail(request, sitting_id: int):
    sitting = _sitting(request, sitting_id)
    manage = can_manage_sittings(request.membership)
    items = list(sitting.items.all())
    context: dict[str, Any] = {
        "sitting": sitting,
        "items": items,
        "members": list(sitting.members.all()),
        "manage": manage,
        "open": manage and sitting.status != SittingStatus.MINUTES_CLOSED,
        "undecided": any(getattr(i, "decision", None) is None for i in items),
        "held": sitting.sits_on <= timezone.localdate(),
    }
    if context["open"]:
        ready = dossiers_ready(cpas=request.cpas)
        context["add_form"] = forms_council.AddDossierForm(dossiers=ready) if ready.exists() else None
        # posted to minutes_close, with the sitting's version written out by the template (read_version_input)
        context["minutes_form"] = forms_council.MinutesForm(
            initial={"present": sitting.present, "notes": sitting.minutes_notes}
        )
    return render(request, "sanctions/council/sitting.html", context)


@require_POST
@cpas_permission_required(can_manage_sittings)
def item_add_dossier(request, sitting_id: int):
    sitting = _sitting(request, sitting_id, audit=False)
    form = forms_council.AddDossierForm(request.POST, dossiers=dossiers_ready(cpas=request.cpas))
    if form.is_valid():
        try:
            d = form.cleaned_data
            services_council.item_add_dossier(
                actor=request.user, sitting=sitting, dossier=d["dossier"], summary=d["summary"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The dossier is on the agenda."))
    else:
        messages.error(request, _("Choose a dossier ready for the council."))
    return _to_sitting(sitting.pk, "agenda")


def _matter_choices(cpas):
    from piis.cases.models import Beneficiary, Exemption
    from piis.contracts.enums import Position
    from piis.contracts.models import Clause

    people = Beneficiary.objects.for_cpas(cpas).order_by("last_name", "first_name")
    clauses = (
        Clause.objects.for_cpas(cpas)
        .filter(position=Position.CONTESTED)
        .select_related("contract__beneficiary")
        .order_by("contract__beneficiary__last_name", "id")
    )
    exemptions = Exemption.objects.for_cpas(cpas).filter(lifted_on__isnull=True).select_related("beneficiary")
    return {"people": people, "clauses": clauses, "exemptions": exemptions}


@cpas_permission_required(can_manage_sittings)
def item_add_matter(request, sitting_id: int):
    sitting = _sitting(request, sitting_id, audit=False)
    if sitting.status == SittingStatus.MINUTES_CLOSED:
        raise Http404
    choices = _matter_choices(request.cpas)
    form = forms_council.AddMatterForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        clauses = list(d["clauses"] or [])
        try:
            services_council.item_add_matter(
                actor=request.user, sitting=sitting, kind=d["kind"], beneficiary=d["beneficiary"],
                contract=clauses[0].contract if clauses else None, clauses=clauses, exemption=d["exemption"],
                person_reasons=d["person_reasons"], summary=d["summary"],
            )  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error, aliases={"contract": "clauses"})
        else:
            messages.success(request, _("The matter is on the agenda."))
            return _to_sitting(sitting.pk, "agenda")
    # the choices name the people of the CPAS (and those of the clauses objected to and the exemptions)
    record_people_shown(actor=request.user, cpas=request.cpas, context=request.path,
                        beneficiary_ids=[*(p.pk for p in choices["people"]),
                                         *(c.contract.beneficiary_id for c in choices["clauses"]),
                                         *(e.beneficiary_id for e in choices["exemptions"])],
                        verb=AuditVerb.SANCTION_SITTING_VIEWED)  # fmt: skip
    return render(request, "sanctions/council/form.html", {"form": form, "sitting": sitting,
                                                            "title": _("Another matter for the council")})  # fmt: skip


@require_POST
@cpas_permission_required(can_manage_sittings)
def item_move(request, item_id: int, direction: str):
    item = selectors_council.item_get_for_secretary(membership=request.membership, pk=item_id)
    order = list(item.sitting.items.order_by("position", "id").values_list("pk", flat=True))
    at = order.index(item.pk)
    other = at - 1 if direction == "up" else at + 1
    if 0 <= other < len(order):
        order[at], order[other] = order[other], order[at]
        try:
            services_council.items_reorder(actor=request.user, sitting=item.sitting, order=order)
        except ServiceError as error:
            messages.error(request, error.message)
    return _to_sitting(item.sitting_id, f"item-{item.pk}")


@require_POST
@cpas_permission_required(can_manage_sittings)
def item_remove(request, item_id: int):
    item = selectors_council.item_get_for_secretary(membership=request.membership, pk=item_id)
    try:
        services_council.item_remove(actor=request.user, item=item)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The matter is off the agenda (a dossier is ready for another sitting)."))
    return _to_sitting(item.sitting_id, "agenda")


def _item_page(request, item, form, title, **extra):
    record(actor=request.user, cpas=request.cpas, verb=AuditVerb.SANCTION_SITTING_VIEWED, target=item,
           beneficiary_id=item.beneficiary_id, context=request.path)  # fmt: skip
    context = {"form": form, "item": item, "sitting": item.sitting, "title": title, **extra}
    return render(request, "sanctions/council/item_form.html", context)


@cpas_permission_required(can_manage_sittings)
def item_hearing(request, item_id: int):
    item = selectors_council.item_get_for_secretary(membership=request.membership, pk=item_id)
    if item.kind == ItemKind.SANCTION or hasattr(item, "decision"):
        raise Http404
    hearing = getattr(item, "hearing", None)
    initial = {"right_notified_on": timezone.localdate()}
    if hearing is not None:
        initial = {f: getattr(hearing, f) for f in ("right_notified_on", "answer", "held_on", "attendees",
                                                    "assistant", "minutes")}  # fmt: skip
    form = forms_council.ItemHearingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_council.item_hearing(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The hearing is recorded."))
            return _to_sitting(item.sitting_id, f"item-{item.pk}")
    return _item_page(request, item, form, _("The person's right to be heard"))


@cpas_permission_required(can_manage_sittings)
def item_decide(request, item_id: int):
    item = selectors_council.item_get_for_secretary(membership=request.membership, pk=item_id)
    if hasattr(item, "decision") or item.sitting.status == SittingStatus.MINUTES_CLOSED:
        raise Http404
    deferred = selectors_council.deferred_decisions_of(item.beneficiary_id, cpas_id=request.cpas.pk)
    if item.dossier is not None:
        deferred = deferred.exclude(dossier=item.dossier)
    cap = window = None
    initial: dict[str, Any] = {
        "letter_language": item.beneficiary.language,
        "labour_court": selectors_council.labour_court_last_used(request.cpas),
    }
    if item.dossier is not None:
        cap = facts.sanction_cap(item.dossier)
        opinion = getattr(item.dossier, "opinion", None)
        try:
            window = facts.start_window(decided_on=item.sitting.sits_on, notified_on=item.sitting.sits_on)
            initial["start_on"] = window.default
        except ServiceError:
            window = None
        if opinion is not None and opinion.proposed_months:
            initial["months"] = opinion.proposed_months
    form = forms_council.DecisionForm(request.POST or None, initial=initial, item=item, deferred=deferred)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        given = services_council.DecisionInput(
            outcome=d["outcome"], motivation=d["motivation"], labour_court=d["labour_court"],
            letter_language=d["letter_language"], months=d.get("months"),
            share=forms_council.fraction(d.get("share")), deferral=d.get("deferral") or Deferral.NONE,
            deferred_share=forms_council.fraction(d.get("deferred_share")), probation_end=d.get("probation_end"),
            start_on=d.get("start_on"), ground=d.get("ground") or "piis_non_compliance",
            executes_deferral_of=d.get("executes_deferral_of"),
        )  # fmt: skip
        try:
            services_council.decision_record(actor=request.user, item=item, given=given)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(
                request, _("The decision is recorded. Next: send the letter and record its notification.")
            )
            return _to_sitting(item.sitting_id, f"item-{item.pk}")
    extra = {"cap": cap, "window": window, "opinion": getattr(item.dossier, "opinion", None) if item.dossier else None}
    return _item_page(request, item, form, _("Decision"), **extra)


def _decision_for_secretary(request, pk: int):
    if not can_manage_sittings(request.membership):
        raise Http404
    return selectors_council.decision_get_for_user(membership=request.membership, pk=pk, audit=False)


@cpas_permission_required(can_manage_sittings)
def decision_notified(request, decision_id: int):
    """Record the sending and the notification: the letter is laid out (with the appeal deadline) after the request's
    transaction and stored as sent, with the dates, in a short second transaction."""
    decision = _decision_for_secretary(request, decision_id)
    if decision.notified_on is not None:
        raise Http404
    executed = decision.outcome in SUSPENSION_OUTCOMES and decision.deferral != Deferral.TOTAL
    today = timezone.localdate()
    form = forms_council.NotifiedForm(
        request.POST or None, executed=executed,
        initial={"letter_sent_on": today, "notified_on": today, "start_on": decision.start_on},
    )  # fmt: skip

    def page():  # the person's name is on it: audited like the item's other pages
        return _item_page(request, decision.item, form, _("Letter sent and notified"), decision=decision)

    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        start_on = d.get("start_on")
        try:  # check everything (and lay the letter out with the dates) before the slow part
            services_council.notification_apply(
                decision=decision, letter_sent_on=d["letter_sent_on"], delivery_method=d["delivery_method"],
                notified_on=d["notified_on"], start_on=start_on,
            )  # fmt: skip
            html = decision_html(decision)
        except ServiceError as error:
            add_error_to_form(form, error)
            return page()

        def respond(pdf: bytes):
            fresh = _decision_for_secretary(request, decision_id)
            try:
                services_council.decision_notified(
                    actor=request.user, decision=fresh, letter_sent_on=d["letter_sent_on"],
                    delivery_method=d["delivery_method"], notified_on=d["notified_on"], start_on=start_on,
                    letter_pdf=pdf,
                )  # fmt: skip
            except ServiceError as error:
                add_error_to_form(form, error)
                return page()
            messages.success(request, _("The notification is recorded; the letter as sent is kept."))
            return _to_sitting(fresh.item.sitting_id, f"item-{fresh.item_id}")

        def failed(error: ServiceError):
            add_error_to_form(form, error)
            return page()

        return pdf_response_later(html, respond=respond, failed=failed)
    return page()


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@cpas_permission_required(can_view_sittings)
def decision_letter(request, decision_id: int):
    """The decision letter: as sent (stored) once notified, else laid out from the rows (a draft to check)."""
    decision = selectors_council.decision_get_for_user(membership=request.membership, pk=decision_id, audit=False)
    name = f"decision-{decision.pk}-{decision.letter_language}.pdf"

    def respond(content: bytes) -> HttpResponse:
        record(actor=request.user, cpas=request.cpas, verb=AuditVerb.SANCTION_DECISION_LETTER_OPENED, target=decision,
               beneficiary_id=decision.beneficiary_id, context=request.path)  # fmt: skip
        return _pdf(content, name)

    if decision.letter:
        with decision.letter.open("rb") as stored:
            return respond(stored.read())
    try:
        html = decision_html(decision)
    except ServiceError as error:
        messages.error(request, error.message)
        return _to_sitting(decision.item.sitting_id)

    def failed(error: ServiceError) -> HttpResponse:
        messages.error(request, error.message)
        return _to_sitting(decision.item.sitting_id)

    return pdf_response_later(html, respond=respond, failed=failed)


@cpas_permission_required(can_manage_sittings)
def minutes_close(request, sitting_id: int):
    """Close the minutes: posted from the sitting's page, or on a page of its own (a refusal, a stale save, shown
    with the values typed)."""
    sitting = _sitting(request, sitting_id, audit=False)
    if sitting.status == SittingStatus.MINUTES_CLOSED:
        raise Http404
    initial = {"present": sitting.present, "notes": sitting.minutes_notes}
    form = forms_council.MinutesForm(request.POST or None, initial=initial, versioned=sitting)
    if request.method == "POST" and form.is_valid():
        try:
            services_council.minutes_close(actor=request.user, sitting=sitting, present=form.cleaned_data["present"],
                                           notes=form.cleaned_data["notes"])  # fmt: skip
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The minutes are closed."))
            return _to_sitting(sitting.pk, "minutes")
    return render(request, "sanctions/council/form.html", {"form": form, "title": _("Minutes"), "sitting": sitting})


@cpas_permission_required(can_view_sittings)
def minutes_pdf(request, sitting_id: int):
    sitting = _sitting(request, sitting_id, audit=False)
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else request.cpas.default_language()
    try:
        html = minutes_html(sitting, language=language)
    except ServiceError as error:
        messages.error(request, error.message)
        return _to_sitting(sitting.pk)

    def respond(content: bytes) -> HttpResponse:
        record_people_shown(actor=request.user, cpas=request.cpas, context=request.path,
                            beneficiary_ids=[i.beneficiary_id for i in sitting.items.all()],
                            verb=AuditVerb.SANCTION_MINUTES_OPENED)  # fmt: skip
        return _pdf(content, f"minutes-{sitting.sits_on:%Y%m%d}.pdf")

    def failed(error: ServiceError) -> HttpResponse:
        messages.error(request, error.message)
        return _to_sitting(sitting.pk)

    return pdf_response_later(html, respond=respond, failed=failed)


@cpas_permission_required(can_manage_sittings)
def appeal_new(request, decision_id: int):
    decision = _decision_for_secretary(request, decision_id)
    form = forms_council.AppealForm(request.POST or None, initial={"court": decision.labour_court})
    if request.method == "POST" and form.is_valid():
        try:
            services_council.appeal_lodge(actor=request.user, decision=decision, **form.cleaned_data)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The appeal is recorded."))
            return _to_sitting(decision.item.sitting_id, f"item-{decision.item_id}")
    return _item_page(request, decision.item, form, _("Appeal to the labour court"), decision=decision)


@cpas_permission_required(can_manage_sittings)
def appeal_judged(request, appeal_id: int):
    appeal = selectors_council.appeal_get_for_secretary(membership=request.membership, pk=appeal_id)
    if appeal.outcome != AppealOutcome.PENDING:
        raise Http404
    decision = _decision_for_secretary(request, appeal.decision_id)
    form = forms_council.AppealOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_council.appeal_outcome(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The judgment is recorded."))
            return _to_sitting(decision.item.sitting_id, f"item-{decision.item_id}")
    return _item_page(request, decision.item, form, _("Judgment of the labour court"), decision=decision)


@cpas_permission_required(can_manage_sittings)
def exports(request):
    if request.method == "POST":
        export = services_council.payments_export(actor=request.user, cpas=request.cpas)
        if export is None:
            messages.info(request, _("Nothing to export: every suspension period is already exported."))
        else:
            messages.success(request, _("The export is ready: download it and hand it to the payment service."))
        return redirect("council:exports")
    due = services_council.periods_due(request.cpas)
    reversals = services_council.reversals_due(request.cpas)
    record_people_shown(actor=request.user, cpas=request.cpas, context=request.path,
                        beneficiary_ids=[p.decision.beneficiary_id for p in due]
                        + [line.beneficiary_id for line in reversals],
                        verb=AuditVerb.SANCTION_PAYMENTS_OPENED)  # fmt: skip
    context = {"exports": selectors_council.exports_list(membership=request.membership), "due": due,
               "reversals": reversals}  # fmt: skip
    return render(request, "sanctions/council/exports.html", context)


@cpas_permission_required(can_manage_sittings)
def export_download(request, export_id: int):
    export = selectors_council.export_get(membership=request.membership, pk=export_id)
    content = export_csv(export)
    record_people_shown(actor=request.user, cpas=request.cpas, context=request.path,
                        beneficiary_ids=list(export.lines.values_list("beneficiary_id", flat=True)),
                        verb=AuditVerb.SANCTION_PAYMENTS_OPENED)  # fmt: skip
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


@cpas_permission_required(can_view_register)
def register_view(request):
    form = forms_council.RegisterFilterForm(request.GET or None)
    year = form.value() if request.GET else timezone.localdate().year
    rows, figures = selectors_council.register(
        membership=request.membership, year=year, context=request.get_full_path()
    )
    context = {"form": form, "rows": rows, "figures": figures, "year": year,
               "min_group": selectors_council.MIN_GROUP}  # fmt: skip
    return render(request, "sanctions/council/register.html", context)


def sitting_url(sitting) -> str:
    return reverse("council:sitting", args=[sitting.pk])


def render_letter_now(decision) -> bytes:
    """The decision letter laid out now (demo data, tests)."""
    return render_pdf(decision_html(decision))
