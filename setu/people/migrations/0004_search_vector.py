"""On PostgreSQL, name search moves from the token table to a GIN index over each person's own search keys:
a generated tsvector column (the keys as they are, one lexeme each, no dictionary) and its index. The token
rows are no longer read or written there, so they are removed (and rebuilt if this is reversed). SQLite
keeps the token table: nothing changes there (people.models.search_tokens_used).

The index is built without GIN's "fast update": with it, new persons wait in a pending list that every
search reads through until a vacuum or a full list folds them in, and the insert that finds the list full
pays for folding all of it (a save that took two seconds in benchmarks/interceptions.py)."""

from django.db import migrations

VECTOR = (
    "ALTER TABLE people_person ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(array_to_tsvector(array_remove(string_to_array(btrim(search_keys), ' '), ''))) STORED"
)
INDEX = (
    "CREATE INDEX IF NOT EXISTS people_person_search_vector ON people_person USING gin (search_vector) "
    "WITH (fastupdate = off)"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(VECTOR)
    schema_editor.execute(INDEX)
    schema_editor.execute("DELETE FROM people_personsearchtoken")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS people_person_search_vector")
    schema_editor.execute("ALTER TABLE people_person DROP COLUMN IF EXISTS search_vector")
    schema_editor.execute(
        "INSERT INTO people_personsearchtoken (person_id, token) "
        "SELECT DISTINCT id, token FROM people_person, unnest(string_to_array(btrim(search_keys), ' ')) AS token "
        "WHERE token <> '' ON CONFLICT DO NOTHING"
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_fill_search_tokens")]

    operations = [migrations.RunPython(forwards, backwards)]
