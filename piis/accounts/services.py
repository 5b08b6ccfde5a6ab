"""Writes on a CPAS's own configuration. Each one is atomic and audited."""

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from piis.accounts.enums import Role
from piis.accounts.models import ClosureDay, Membership, Signatory, SignatoryDelegation, Team
from piis.audit.enums import AuditVerb, ObjectEvents
from piis.audit.services import audited_delete, audited_save, record
from piis.core.errors import ServiceError

# What happened to each kind of configuration object: (added, changed, removed).
OBJECT_EVENTS = {
    ClosureDay: ObjectEvents(
        AuditVerb.CLOSURE_DAY_ADDED, AuditVerb.CLOSURE_DAY_CHANGED, AuditVerb.CLOSURE_DAY_REMOVED
    ),
    Signatory: ObjectEvents(AuditVerb.SIGNATORY_ADDED, AuditVerb.SIGNATORY_CHANGED, AuditVerb.SIGNATORY_REMOVED),
    SignatoryDelegation: ObjectEvents(
        AuditVerb.DELEGATION_GRANTED, AuditVerb.DELEGATION_CHANGED, AuditVerb.DELEGATION_REVOKED
    ),
}


def cpas_settings_update(*, membership, form, context: str = ""):
    return audited_save(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.CPAS_SETTINGS_CHANGED,
        instance=form.instance,
        context=context,
    )


def cpas_object_save(*, membership, instance, context: str = ""):
    """Save a closure day, a signatory or a delegation of the membership's CPAS."""
    assert instance.cpas_id == membership.cpas_id
    verb = OBJECT_EVENTS[type(instance)].saved(instance)
    return audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=instance, context=context)


def cpas_object_delete(*, membership, instance, context: str = "") -> None:
    """Remove a closure day, a signatory or a delegation. ServiceError REFERRED_TO_BY_RECORDS for a signatory line or
    a delegation that signed a contract: the signature keeps who signed."""
    assert instance.cpas_id == membership.cpas_id
    verb = OBJECT_EVENTS[type(instance)].removed
    try:
        audited_delete(actor=membership.user, cpas=membership.cpas, verb=verb, instance=instance, context=context)
    except ProtectedError:
        raise ServiceError("REFERRED_TO_BY_RECORDS") from None


TEAM_EVENTS = ObjectEvents(AuditVerb.TEAM_ADDED, AuditVerb.TEAM_CHANGED, AuditVerb.TEAM_REMOVED)


@transaction.atomic
def team_save(*, membership, team: Team, members, context: str = "") -> Team:
    """Create or change a team of the membership's CPAS and set who works in it (Membership.team): `members` are
    users of the CPAS; those ticked move into the team, those no longer ticked leave it. Audited as one event with
    the members before and after."""
    assert team.cpas_id == membership.cpas_id
    if (
        team.lead_id
        and not Membership.objects.filter(cpas=membership.cpas, user=team.lead_id, role=Role.TEAM_LEAD).exists()
    ):
        raise ServiceError("TEAM_LEAD_NOT_A_LEAD", field="lead")
    verb = TEAM_EVENTS.saved(team)
    before = sorted(Membership.objects.filter(team=team).values_list("user__username", flat=True)) if team.pk else []
    audited_save(actor=membership.user, cpas=membership.cpas, verb=verb, instance=team, context=context)
    wanted = Membership.objects.filter(cpas=membership.cpas, user__in=[u.pk for u in members])
    Membership.objects.filter(team=team).exclude(pk__in=wanted.values("pk")).update(team=None)
    wanted.update(team=team)
    after = sorted(Membership.objects.filter(team=team).values_list("user__username", flat=True))
    if before != after:
        record(
            actor=membership.user,
            cpas=membership.cpas,
            verb=AuditVerb.TEAM_CHANGED,
            target=team,
            changes={"members": [", ".join(before), ", ".join(after)]},
            context=context,
        )
    return team


def team_remove(*, membership, team: Team, context: str = "") -> None:
    """Remove a team: its members and files keep no team (a team lead of the CPAS then dispatches the files)."""
    assert team.cpas_id == membership.cpas_id
    audited_delete(
        actor=membership.user, cpas=membership.cpas, verb=TEAM_EVENTS.removed, instance=team, context=context
    )


# --- The second factor (django-otp: a TOTP app and one-time recovery codes) ---

RECOVERY_CODE_COUNT = 10


def second_factor_pending_device(*, user):
    """The TOTP secret being enrolled (not yet confirmed by a code): the same one until it is confirmed, so that a
    reloaded enrolment page keeps the QR code already scanned. Not audited: nothing is protected by it yet."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT fresh ones (returned once, to be shown once; only
    their digests are stored)."""
    from django_otp.plugins.otp_static.models import StaticToken

    from piis.accounts.models import RecoveryCodes
    from piis.accounts.recovery import recovery_digest

    device, _created = RecoveryCodes.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    # stored as keyed digests only (piis.accounts.recovery): the plain codes are shown once and kept nowhere
    StaticToken.objects.bulk_create([StaticToken(device=device, token=recovery_digest(code)) for code in codes])
    return codes


def second_factor_enrol(*, user, cpas, device, context: str = "") -> list[str]:
    """The user has typed a valid code from the app holding `device`'s secret: the device now guards the account;
    any other TOTP device is dropped. Returns the new recovery codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record(actor=user, cpas=cpas, verb=AuditVerb.SECOND_FACTOR_ENROLLED, target=user, context=context)
    return codes


def second_factor_codes_renew(*, user, cpas, context: str = "") -> list[str]:
    """New recovery codes for the user; the old ones stop working."""
    codes = _new_recovery_codes(user)
    record(actor=user, cpas=cpas, verb=AuditVerb.SECOND_FACTOR_CODES_RENEWED, target=user, context=context)
    return codes


def second_factor_code_used(*, user, cpas, context: str = "") -> None:
    """A recovery code (now spent) let the user in: the DPO sees it."""
    record(actor=user, cpas=cpas, verb=AuditVerb.SECOND_FACTOR_CODE_USED, target=user, context=context)


def second_factor_reset(*, membership, member, context: str = "") -> None:
    """The CPAS administrator removes the second factor of `member` (a membership of the same CPAS), who lost their
    phone: their open sessions lose their verification and they enrol again at their next login."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert member.cpas_id == membership.cpas_id
    user = member.user
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        actor=membership.user,
        cpas=membership.cpas,
        verb=AuditVerb.SECOND_FACTOR_RESET,
        target=user,
        context=context,
    )
