# The dashboard's state counts by deadline kept with the events (``tallies.DueTally``), filled from the tasks'
# cached columns; and the documents to review by an index on (status, id) instead of a scan of every
# document.

from django.db import migrations, models


def fill_due_tallies(apps, schema_editor):
    """The state counts of the tasks already stored, from their cached columns."""
    from dondoc.tracking import tallies

    tallies.rebuild_due((apps.get_model("tracking", "Task"), apps.get_model("tracking", "DueTally")))


class Migration(migrations.Migration):

    dependencies = [
        ("tracking", "0006_lead_tally"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["status", "id"], name="document_status"),
        ),
        migrations.CreateModel(
            name="DueTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True)),
                ("open_unreported", models.IntegerField(default=0)),
                ("open_reported", models.IntegerField(default=0)),
                ("done_on_time", models.IntegerField(default=0)),
                ("done_late", models.IntegerField(default=0)),
                ("withdrawn", models.IntegerField(default=0)),
                ("transferred", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(fill_due_tallies, migrations.RunPython.noop),
    ]
