"""The chain's head row exists from the start, so concurrent first writers never race to create it."""

from django.db import migrations


def create_head(apps, schema_editor):
    apps.get_model("audit", "AuditHead").objects.get_or_create(pk=1)


def remove_head(apps, schema_editor):
    apps.get_model("audit", "AuditHead").objects.filter(pk=1, seq=0).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(create_head, remove_head)]
