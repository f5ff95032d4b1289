"""A staged import keeps the table read from its file, not the file.

Uploads staged before this change kept only the file, so they are deleted: their
uploaders upload the file again (staged uploads are kept for a day at most anyway).
"""

from django.db import migrations, models


def forget_staged_files(apps, schema_editor):
    apps.get_model("imports", "PendingImport").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forget_staged_files, migrations.RunPython.noop),
        migrations.RemoveField(model_name="pendingimport", name="content"),
        migrations.AddField(
            model_name="pendingimport",
            name="parsed",
            field=models.JSONField(default=dict),
        ),
    ]
