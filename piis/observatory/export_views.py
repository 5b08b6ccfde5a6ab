"""The observatory's exports built in the background (observatory.builds): follow one, download its file."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from piis.accounts.perms import can_export_federal_figures
from piis.core.decorators import cpas_permission_required
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.pages import failure_message, file_response, job_or_404
from piis.observatory.builds import KINDS, allowed_kinds


def _job(request, job_id: int):
    return job_or_404(request, job_id, allowed_kinds(request.membership))


def _failure(job) -> str:
    return failure_message(
        job, _("The export could not be prepared. Start it again; if it fails again, tell your administrator.")
    )


@cpas_permission_required(can_export_federal_figures)
def export_status(request, job_id: int):
    """The export's progress; the block refreshes itself (htmx, every 2 s) until the export is ready."""
    job = _job(request, job_id)
    context = {"job": job, "failure": _failure(job), "code": job.params.get("code", "")}
    template = "observatory/_export_status.html" if request.htmx else "observatory/export.html"
    return render(request, template, context)


@cpas_permission_required(can_export_federal_figures)
def export_download(request, job_id: int):
    """The file, from storage; audited as the same export made in the request was (the people it names)."""
    job = _job(request, job_id)
    if job.status != JobStatus.DONE:
        return redirect("observatory:export_status", job_id=job.pk)
    return file_response(request, job, verb=KINDS[JobKind(job.kind)].audit_verb)
