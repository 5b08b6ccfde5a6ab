"""Reports built in the background (reports.builds): start one, follow it, download its file."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from piis.core.decorators import cpas_permission_required
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.pages import failure_message, file_response, job_or_404
from piis.jobs.services import job_start
from piis.reports.builds import KINDS, allowed_kinds
from piis.reports.perms import can_view_reports
from piis.reports.tasks import build_report
from piis.reports.views import FIRST_YEAR


class BuildForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=JobKind.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        year = data.get("year")
        if year is not None and year > timezone.localdate().year + 1:
            self.add_error("year", gettext_lazy("No report for that year yet."))
        if kind and KINDS[JobKind(kind)].monthly and not data.get("month"):
            self.add_error("month", gettext_lazy("Choose a month."))
        return data


@require_POST
@cpas_permission_required(can_view_reports)
def build_start(request):
    form = BuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This report cannot be prepared: check the year and the month."))
        return redirect("reports:index")
    kind = JobKind(form.cleaned_data["kind"])
    if kind not in allowed_kinds(request.membership):
        raise PermissionDenied
    params = {"year": form.cleaned_data["year"], "language": request.LANGUAGE_CODE}
    if KINDS[kind].monthly:
        params["month"] = form.cleaned_data["month"]
    job = job_start(cpas=request.cpas, user=request.user, kind=kind, params=params, task=build_report)
    return redirect("reports:build_status", job_id=job.pk)


def _job(request, job_id: int):
    return job_or_404(request, job_id, allowed_kinds(request.membership))


def _failure(job) -> str:
    return failure_message(
        job, _("The report could not be prepared. Start it again; if it fails again, tell your administrator.")
    )


@cpas_permission_required(can_view_reports)
def build_status(request, job_id: int):
    """The build's progress; the block refreshes itself (htmx, every 2 s) until the build is finished."""
    job = _job(request, job_id)
    context = {
        "job": job,
        "month": date(job.params["year"], job.params["month"], 1) if job.params.get("month") else None,
        "year": job.params.get("year"),
        "failure": _failure(job),
    }
    if job.kind == JobKind.CLAIM_RUN:  # its result is the claim page, not a file
        context["done_href"] = reverse("reports:subsidy_claim", args=[job.params["year"], job.params["month"]])
        context["done_label"] = _("See the computed claim")
    template = "reports/_build_status.html" if request.htmx else "reports/build.html"
    return render(request, template, context)


@cpas_permission_required(can_view_reports)
def build_download(request, job_id: int):
    """The built file, from storage; audited as the same export made on the page (the people it names)."""
    job = _job(request, job_id)
    if job.status != JobStatus.DONE:
        return redirect("reports:build_status", job_id=job.pk)
    return file_response(request, job, verb=KINDS[JobKind(job.kind)].audit_verb)
