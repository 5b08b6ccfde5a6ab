"""Background jobs for tests: a finished report build with its file kept, as the worker leaves it."""

from piis.accounts.enums import Role
from piis.jobs.enums import JobKind
from piis.jobs.models import Job
from piis.jobs.services import JobOutput, job_keep
from tests.factories import make_member


def make_job(cpas, *, kind=JobKind.CLAIM_CSV, user=None, beneficiary_ids=(), params=None) -> Job:
    user = user or make_member(cpas, Role.DIRECTOR).user
    job = Job.objects.create(
        cpas=cpas, requested_by=user, kind=kind, params=params or {"year": 2026, "month": 3, "language": "en"}
    )
    content = b"\xef\xbb\xbfcpas_nis_code;month\r\n"
    job_keep(job, JobOutput(content, "piis-subsidy.csv", "text/csv", list(beneficiary_ids)))
    job.refresh_from_db()
    return job
