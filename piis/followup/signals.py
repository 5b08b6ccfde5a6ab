"""Every write to what a file's deadlines are computed from marks the file changed (piis.followup.deadlines).

Connected in FollowupConfig.ready: the apps below (cases, contracts, accounts) know nothing of the follow-up, and
every save and delete of these models, by a service, a form, the portal, the API, an import or a test's factory,
goes through Django's model signals. A queryset's update() or bulk_create() sends none: the code that uses them on
these models (the demo, the bench data) rebuilds the deadlines itself (`manage.py rebuild_deadlines`): the nightly
run recomputes only the files whose rows no longer hold with time (DeadlineFile.valid_until), so a write that sends
no signal is seen by nobody until then.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from piis.accounts.models import ClosureDay
from piis.cases.models import Beneficiary, Exemption, IncomePeriod, RiDecision
from piis.contracts.models import AmendmentRequest, Clause, Contract, ContractVersion, Objective, Step
from piis.followup.deadlines import mark_changed, mark_closures_changed, mark_file_created
from piis.followup.models import Evaluation, MeetingRequest, ObjectiveProgress

# Models that name their file, and models that name their contract, their objective.
OF_FILE = (RiDecision, IncomePeriod, Exemption, Contract, MeetingRequest)
OF_CONTRACT = (ContractVersion, AmendmentRequest, Objective, Clause, Evaluation)
OF_OBJECTIVE = (Step, ObjectiveProgress)


def _file_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_file_created(cpas_id=instance.cpas_id, beneficiary_id=instance.pk)


def _of_file(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_changed(cpas_id=instance.cpas_id, beneficiary_ids=[instance.beneficiary_id])


def _of_contract(sender, instance, raw=False, **kwargs):
    if not raw:
        files = Contract.objects.filter(pk=instance.contract_id).values("beneficiary_id")
        mark_changed(cpas_id=instance.cpas_id, beneficiary_filter=Q(beneficiary_id__in=files))


def _of_objective(sender, instance, raw=False, **kwargs):
    if not raw:
        files = Objective.objects.filter(pk=instance.objective_id).values("contract__beneficiary_id")
        mark_changed(cpas_id=instance.cpas_id, beneficiary_filter=Q(beneficiary_id__in=files))


def _closures(sender, instance, raw=False, **kwargs):
    if not raw:
        mark_closures_changed(cpas_id=instance.cpas_id)


def connect() -> None:
    uid = "followup.deadlines"
    post_save.connect(_file_saved, sender=Beneficiary, dispatch_uid=f"{uid}.file")
    for receiver, models in ((_of_file, OF_FILE), (_of_contract, OF_CONTRACT), (_of_objective, OF_OBJECTIVE)):
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(
                    receiver, sender=model, dispatch_uid=f"{uid}.{model._meta.label_lower}.{signal is post_save}"
                )
    for signal in (post_save, post_delete):
        signal.connect(_closures, sender=ClosureDay, dispatch_uid=f"{uid}.closures.{signal is post_save}")
