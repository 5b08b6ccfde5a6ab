"""The observatory's exports built in the background (observatory.builds): follow one, download its file."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from piis.accounts.perms import can_export_federal_figures
from piis.audit.services import record_people_shown
from piis.core.decorators import cpas_permission_required
from piis.core.errors import error_message
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.selectors import job_for
from piis.jobs.services import job_content
from piis.observatory.builds import KINDS, allowed_kinds


def _job(request, job_id: int):
    job = job_for(request.cpas, job_id, allowed_kinds(request.membership))
    if job is None:  # another CPAS's job, or a kind this role may not read: as absent
        raise Http404
    return job


def _failure(job) -> str:
    if job.status != JobStatus.FAILED:
        return ""
    if job.error_code:
        return error_message(job.error_code)
    return _("The export could not be prepared. Start it again; if it fails again, tell your administrator.")


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
    content = job_content(job)
    if content is None:
        raise Http404
    record_people_shown(
        actor=request.user,
        cpas=request.cpas,
        beneficiary_ids=job.beneficiary_ids,
        context=request.get_full_path(),
        verb=KINDS[JobKind(job.kind)].audit_verb,
    )
    content_type = "text/csv; charset=utf-8" if job.content_type == "text/csv" else job.content_type
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
