"""What every page following a background job shares (the reports' builds, the observatory's exports): the job read
within the CPAS and the kinds the member may read, its failure in words, and its file served with the audit row of
the export it replaces. The apps keep their own routes, permissions, templates' wording and audit verbs."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from piis.audit.enums import AuditVerb
from piis.audit.services import record_people_shown
from piis.core.errors import error_message
from piis.jobs.enums import JobStatus
from piis.jobs.models import Job
from piis.jobs.selectors import job_for
from piis.jobs.services import job_content


def job_or_404(request, job_id: int, kinds) -> Job:
    """The member's CPAS's job of one of `kinds`; another CPAS's job, or a kind this role may not read: as absent."""
    job = job_for(request.cpas, job_id, kinds)
    if job is None:
        raise Http404
    return job


def failure_message(job: Job, fallback: str) -> str:
    """Why the job failed, in words (its error code's message, else `fallback`); empty unless it failed."""
    if job.status != JobStatus.FAILED:
        return ""
    return error_message(job.error_code) if job.error_code else fallback


def file_response(request, job: Job, *, verb: AuditVerb | None) -> HttpResponse:
    """The finished job's stored file as a download, audited under `verb` for the people it names (as the same
    export made in the request was; None: it names nobody). 404 when the file is gone."""
    content = job_content(job)
    if content is None:
        raise Http404
    if verb is not None:
        record_people_shown(
            actor=request.user,
            cpas=request.cpas,
            beneficiary_ids=job.beneficiary_ids,
            context=request.get_full_path(),
            verb=verb,
        )
    content_type = "text/csv; charset=utf-8" if job.content_type == "text/csv" else job.content_type
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
