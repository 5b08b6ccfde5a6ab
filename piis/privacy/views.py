"""The data-protection officer's access export, and the retention periods with their dry-run report."""

import os

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from piis.audit.enums import AuditVerb
from piis.audit.services import record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.deferred import AfterCommit
from piis.core.errors import ServiceError, add_error_to_form
from piis.privacy import services
from piis.privacy.export import build_export, finish_files
from piis.privacy.forms import PersonSearchForm, RetentionPeriodForm
from piis.privacy.perms import can_edit_retention, can_export_personal_data, can_view_retention
from piis.privacy.retention import POLICIES, retention_plan
from piis.privacy.selectors import (
    SEARCH_LIMIT,
    person_get_for_export,
    person_search,
    retention_period_for_edit,
)


@cpas_permission_required(can_export_personal_data)
def search(request):
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = person_search(membership=request.membership, query=query)
    # The results name people: the search is a read of their data (the row names each file shown).
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=[person.pk for person in people],
        context=request.get_full_path(),
        verb=AuditVerb.PERSONAL_DATA_SEARCHED,
    )
    context = {"form": form, "query": query, "people": people, "limit": SEARCH_LIMIT}
    return render(request, "privacy/search.html", context)


@cpas_permission_required(can_export_personal_data)
@require_POST
def export(request, beneficiary_id: int):
    """The ZIP of everything held about one person. Read inside the request's transaction; the contract PDFs laid
    out after it has committed (core.deferred); the audit row written once the ZIP is complete."""
    person = person_get_for_export(membership=request.membership, beneficiary_id=beneficiary_id)
    build = build_export(person, actor=request.user)
    membership, path = request.membership, request.path

    def work() -> list[str]:
        try:
            return finish_files(build)
        except BaseException:
            os.unlink(build.path)
            raise

    def finish(failed: list[str]) -> HttpResponse:
        services.personal_data_export_recorded(
            membership=membership, person=person, counts=build.counts, files=build.file_names, failed=failed,
            context=path,
        )  # fmt: skip
        # One person's ZIP (a few contract PDFs and scans) is sent whole and the temporary file removed at once: a
        # streamed file would stay on disk as long as a client keeps the response unread.
        with open(build.path, "rb") as handle:
            content = handle.read()
        os.unlink(build.path)
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{build.filename}"'
        return response

    return AfterCommit(work, finish)


@cpas_permission_required(can_view_retention)
def retention(request):
    """The periods of the CPAS and the dry run: what is past its period today, per kind (counts, no names)."""
    plans = retention_plan(request.cpas, timezone.localdate())
    context = {"plans": plans, "can_edit": can_edit_retention(request.membership)}
    return render(request, "privacy/retention.html", context)


@cpas_permission_required(can_edit_retention)
def retention_edit(request, kind: str):
    period = retention_period_for_edit(membership=request.membership, kind=kind)
    form = RetentionPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_period_set(
                membership=request.membership, period=period, years=form.cleaned_data["years"], context=request.path
            )
        except ServiceError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The retention period has been saved."))
            return redirect("privacy:retention")
    context = {
        "form": form,
        "policy": POLICIES[kind],
        "default_years": POLICIES[kind].default_years,
    }
    return render(request, "privacy/retention_form.html", context)
