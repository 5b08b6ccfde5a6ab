"""Reads for the portal. Everything the person sees hangs off their own beneficiary file (`portal_beneficiary`),
read inside their CPAS's row-level security; pages that show their data record the read (audit, actor = the
person's user)."""

from django.shortcuts import get_object_or_404

from piis.cases.models import Beneficiary


def portal_beneficiary(*, account) -> Beneficiary:
    """The person's own file, in their CPAS (404 if it is gone)."""
    return get_object_or_404(Beneficiary.objects.for_cpas(account.cpas_id), pk=account.beneficiary_id)


def portal_second_factor_device(*, user):
    """The person's confirmed TOTP device, or None (the portal's second factor is optional)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def record_read(request, verb, *, target=None, changes=None) -> None:
    """The audit row of a portal page that showed the person their data: actor = the person's own user; the
    context is the portal page's path."""
    from piis.audit.services import record

    record(
        actor=request.user,
        cpas=request.cpas,
        verb=verb,
        target=target if target is not None else request.beneficiary,
        changes=changes,
        beneficiary_id=request.beneficiary.pk,
        context=request.path,
    )
