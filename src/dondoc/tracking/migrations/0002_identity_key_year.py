"""Documents' identity keys gain the year of issue: numbering restarts every year."""

from django.db import migrations


def add_year(apps, schema_editor):
    Document = apps.get_model("tracking", "Document")
    for doc in Document.objects.exclude(identity_key="").only("pk", "identity_key", "issued_date").iterator():
        year = doc.issued_date.year if doc.issued_date else ""
        Document.objects.filter(pk=doc.pk).update(identity_key=f"{doc.identity_key}|{year}")


def drop_year(apps, schema_editor):
    Document = apps.get_model("tracking", "Document")
    for doc in Document.objects.exclude(identity_key="").only("pk", "identity_key").iterator():
        Document.objects.filter(pk=doc.pk).update(identity_key=doc.identity_key.rsplit("|", 1)[0])


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]
    operations = [migrations.RunPython(add_year, drop_year)]
