from piis.jobs.models import Job


def job_for(cpas, pk: int, kinds) -> Job | None:
    """A job of `cpas` among `kinds` (those the caller's app serves), or None: another CPAS's job is as absent."""
    return Job.objects.for_cpas(cpas).filter(pk=pk, kind__in=list(kinds)).first()


def recent_jobs(cpas, kinds, *, limit: int = 10) -> list[Job]:
    return list(Job.objects.for_cpas(cpas).filter(kind__in=list(kinds)).select_related("requested_by")[:limit])
