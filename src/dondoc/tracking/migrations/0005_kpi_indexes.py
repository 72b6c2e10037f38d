# Indexes for kpis.compute: a task's events by number with their kind and day (replacing the (task, seq) one),
# and the approved extensions by day, a small partial index from which the tasks whose extensions matter to a
# period are found.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tracking", "0004_task_pending_extension"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="event", name="event_task_seq"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["task", "seq", "kind", "on"], name="event_task_seq_kind_on"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(condition=models.Q(("kind", "extension_approved")), fields=["on", "seq", "task"],
                               name="event_approval_on"),
        ),
    ]
