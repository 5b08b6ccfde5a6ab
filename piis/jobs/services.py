"""Starting a background job and recording its course: the only writes of the jobs app.

A job is started inside the request's transaction (its row and its task's row commit together, so the worker never
sees one without the other). The task (the owning app's tasks.py) calls `run_job`, which runs outside any request:
it sets the job's CPAS for row-level security in every transaction it opens, marks the job running, calls the
app's `build(job, progress)` (reads in short transactions of their own, slow layout outside any), keeps the file
and marks the job done, or failed with the error's code. A job already started is never run twice.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from piis.core.errors import ServiceError
from piis.core.rls import set_current_cpas
from piis.jobs.enums import JobKind, JobStatus
from piis.jobs.models import Job

logger = logging.getLogger(__name__)

EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "text/csv": ".csv",
    "application/json": ".json",
}


@dataclass
class JobOutput:
    content: bytes
    filename: str
    content_type: str
    beneficiary_ids: list[int] = field(default_factory=list)


Progress = Callable[[int], None]


@contextmanager
def in_cpas(cpas_id: int) -> Iterator[None]:
    """One transaction with `cpas_id` set for row-level security: how work outside a request reads a CPAS's data
    (as the management commands do, one CPAS per transaction)."""
    with transaction.atomic():
        set_current_cpas(cpas_id)
        yield


def job_start(*, cpas, user, kind: JobKind, params: dict[str, Any], task) -> Job:
    """Create the job and enqueue `task(job_id=…, cpas_id=…)` on the task backend (settings.TASKS)."""
    job = Job.objects.create(cpas=cpas, requested_by=user, kind=kind, params=params)
    result = task.enqueue(job_id=job.pk, cpas_id=cpas.pk)
    # .update, not save: with the immediate backend (tests) the task has already run and written its outcome.
    Job.objects.for_cpas(cpas).filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _set(job_id: int, cpas_id: int, **values: Any) -> int:
    with in_cpas(cpas_id):
        return Job.objects.for_cpas(cpas_id).filter(pk=job_id).update(**values)


def run_job(job_id: int, cpas_id: int, build: Callable[[Job, Progress], JobOutput | None]) -> str:
    """Run one job; returns its final status (the task's return value). A build that stores its result elsewhere
    (the month's claim, in the reports' tables) returns None: the job is done without a file."""
    with in_cpas(cpas_id):
        claimed = (
            Job.objects.for_cpas(cpas_id)
            .filter(pk=job_id, status=JobStatus.QUEUED)
            .update(status=JobStatus.RUNNING, progress=1)
        )
        job = Job.objects.for_cpas(cpas_id).filter(pk=job_id).first()
    if job is None:
        return "missing"
    if not claimed:  # run already (a task enqueued twice, a worker restarted): nothing to do again
        return job.status

    def progress(percent: int) -> None:
        _set(job_id, cpas_id, progress=max(1, min(99, int(percent))))

    try:
        output = build(job, progress)
    except ServiceError as error:
        _set(job_id, cpas_id, status=JobStatus.FAILED, error_code=error.code[:60], finished_at=timezone.now())
        return JobStatus.FAILED
    except Exception:
        logger.exception("Background job %s (%s) failed", job_id, job.kind)
        _set(job_id, cpas_id, status=JobStatus.FAILED, error_code="", finished_at=timezone.now())
        raise
    if output is None:
        _set(job_id, cpas_id, status=JobStatus.DONE, progress=100, finished_at=timezone.now())
    else:
        job_keep(job, output)
    return JobStatus.DONE


def job_keep(job: Job, output: JobOutput) -> None:
    """Store the result under its CPAS with its SHA-256 and mark the job done."""
    digest = hashlib.sha256(output.content).hexdigest()
    extension = EXTENSIONS.get(output.content_type.split(";")[0], "")
    name = default_storage.save(f"jobs/{job.cpas_id}/{job.pk}-{digest[:16]}{extension}", ContentFile(output.content))
    _set(
        job.pk,
        job.cpas_id,
        status=JobStatus.DONE,
        progress=100,
        file=name,
        filename=output.filename[:120],
        content_type=output.content_type[:40],
        size=len(output.content),
        sha256=digest,
        beneficiary_ids=sorted(set(output.beneficiary_ids)),
        finished_at=timezone.now(),
    )


def job_content(job: Job) -> bytes | None:
    """The stored file of a finished job (None when it has none, or its file is gone)."""
    if job.status != JobStatus.DONE or not job.file.name:
        return None
    try:
        with default_storage.open(job.file.name, "rb") as stored:
            return stored.read()
    except OSError:
        logger.error("Stored file of background job %s missing (%s)", job.pk, job.file.name)
        return None
