"""A piece of work a person started that runs in the background (Django's task framework, the database backend):
who asked, in which CPAS, how far it is, and the file it made.

The task itself is a row of django_tasks_db (no personal data: its arguments are this job's id and CPAS); this row
is the CPAS's own, behind row-level security, and its file is kept in the default storage under the CPAS, reached
only through the owning app's download view, which fetches the job inside the caller's CPAS, checks the role and
writes the read's audit row.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from piis.core.models import TenantModel
from piis.jobs.enums import JobKind, JobStatus


class Job(TenantModel):
    kind = models.CharField(_("type"), max_length=20, choices=JobKind.choices)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    task_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    error_code = models.CharField(max_length=60, blank=True)
    file = models.FileField(max_length=255, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # The files the result names, for the audit row of each download (a read of them, as the synchronous export).
    beneficiary_ids = models.JSONField(default=list)
    created_at = models.DateTimeField(_("started on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
