from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_clause_due_date_and_delivery_status"),
    ]

    operations = [
        migrations.AddField(
            model_name="contractversion",
            name="pdf_file",
            field=models.FileField(blank=True, editable=False, max_length=200, upload_to="contracts/pdf/"),
        ),
        migrations.AddField(
            model_name="contractversion",
            name="pdf_sha256",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="SHA-256 of the signed PDF"
            ),
        ),
    ]
