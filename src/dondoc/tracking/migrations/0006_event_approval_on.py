# kpis.compute finds the tasks whose approved extensions matter to a period from the approvals themselves (a small
# partial index of events) rather than from every task with an extension.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("tracking", "0005_kpi_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="task", name="task_extended"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(condition=models.Q(("kind", "extension_approved")), fields=["on", "seq", "task"],
                               name="event_approval_on"),
        ),
    ]
