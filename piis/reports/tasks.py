"""The reports' background task (Django's task framework, settings.TASKS; run by `manage.py db_worker`)."""

from django_tasks import task

from piis.jobs.services import run_job
from piis.reports.builds import build


@task()
def build_report(job_id: int, cpas_id: int) -> str:
    """Build one report job of reports.builds under its CPAS (jobs.services.run_job); returns its final status."""
    return run_job(job_id, cpas_id, build)
