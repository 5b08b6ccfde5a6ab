"""Writes on a CPAS's own configuration. Each one is atomic and audited."""

from piis.audit.services import audited_delete, audited_save


def cpas_settings_update(*, membership, form, context: str = ""):
    return audited_save(actor=membership.user, cpas=membership.cpas, instance=form.instance, context=context)


def cpas_object_save(*, membership, instance, context: str = ""):
    """Save a closure day, a signatory or a delegation of the membership's CPAS."""
    assert instance.cpas_id == membership.cpas_id
    return audited_save(actor=membership.user, cpas=membership.cpas, instance=instance, context=context)


def cpas_object_delete(*, membership, instance, context: str = "") -> None:
    assert instance.cpas_id == membership.cpas_id
    audited_delete(actor=membership.user, cpas=membership.cpas, instance=instance, context=context)
