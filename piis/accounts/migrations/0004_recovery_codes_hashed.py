from django.db import migrations

from piis.accounts.recovery import DIGEST_LENGTH, recovery_digest


def hash_plain_codes(apps, schema_editor):
    """Every recovery code still stored as typed (django-otp's plain 8-character tokens) becomes its keyed digest
    (piis.accounts.recovery): the same codes keep working, once each. Digests are 16 characters: not hashed twice."""
    StaticToken = apps.get_model("otp_static", "StaticToken")
    plain = StaticToken.objects.exclude(token__regex=rf"^[a-z2-7]{{{DIGEST_LENGTH}}}$")
    for token in plain.iterator():
        token.token = recovery_digest(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    """Recovery codes of the second factor stored as keyed digests (issue 16's follow-up): the proxy device that
    compares digests, and the codes already issued hashed in place."""

    dependencies = [
        ("accounts", "0003_inspector_role"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryCodes",
            fields=[],
            options={
                "verbose_name": "recovery codes",
                "verbose_name_plural": "recovery codes",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_static.staticdevice",),
        ),
        migrations.RunPython(hash_plain_codes, migrations.RunPython.noop, elidable=False),
    ]
