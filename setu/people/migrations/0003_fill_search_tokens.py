"""Fill the search tokens of persons stored before the token table existed, and on PostgreSQL add the
pattern index that lets `token LIKE 'prefix%'` use an index whatever the database's collation."""

from django.db import migrations

PATTERN_INDEX = "people_searchtoken_prefix"


def fill(apps, schema_editor):
    person_model = apps.get_model("people", "Person")
    token_model = apps.get_model("people", "PersonSearchToken")
    batch = []
    for person_id, keys in person_model.objects.values_list("id", "search_keys").iterator(chunk_size=2000):
        batch.extend(token_model(person_id=person_id, token=token) for token in set((keys or "").split()))
        if len(batch) >= 5000:
            token_model.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    token_model.objects.bulk_create(batch, ignore_conflicts=True)


def empty(apps, schema_editor):
    apps.get_model("people", "PersonSearchToken").objects.all().delete()


def add_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PATTERN_INDEX} ON people_personsearchtoken (token text_pattern_ops, person_id)"
        )


def drop_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PATTERN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0002_search_tokens")]

    operations = [
        migrations.RunPython(fill, empty),
        migrations.RunPython(add_pattern_index, drop_pattern_index),
    ]
