"""The observatory's background task (Django's task framework, settings.TASKS; run by `manage.py db_worker`)."""

from django_tasks import task

from piis.jobs.services import run_job
from piis.observatory.builds import build


@task()
def build_export(job_id: int, cpas_id: int) -> str:
    """Build one export job of observatory.builds under its CPAS (jobs.services.run_job); returns its final status."""
    return run_job(job_id, cpas_id, build)
