import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from setu.audit.models import AuditEvent, AuditHead
from setu.audit.services import audit_record, audit_verify


def _disable_guard(cursor) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_to_edit_audit_rows(np_caseworker):
    from django.db import DatabaseError, transaction

    audit_record(actor=np_caseworker, action="person.view")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


@pytest.mark.django_db
def test_events_are_chained_in_order(np_caseworker):
    first = audit_record(actor=np_caseworker, action="person.view", object_type="people.person", object_id="a")
    second = audit_record(actor=np_caseworker, action="person.update", object_type="people.person",
                          object_id="a", fields=["given_name", "given_name", "phone"])  # fmt: skip
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
    assert second.fields == ["given_name", "phone"]
    assert second.organisation_name == "Maiti Nepal Biratnagar Transit Home"
    assert AuditHead.objects.get().hash == second.hash
    assert audit_verify() == []


@pytest.mark.django_db
def test_audit_events_refuse_update_and_delete(np_caseworker):
    event = audit_record(actor=np_caseworker, action="person.view")
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


@pytest.mark.django_db
def test_control_characters_are_not_logged(np_caseworker):
    event = audit_record(actor=np_caseworker, action="person.view\nforged line", object_id="x\r\ny")
    assert "\n" not in event.action and "\r" not in event.object_id


@pytest.mark.django_db
def test_setu_audit_verify_detects_a_row_edited_in_the_database(np_caseworker, capsys):
    for n in range(5):
        audit_record(actor=np_caseworker, action="person.view", object_id=str(n))
    call_command("audit", "verify")
    assert "intact: 5 events" in capsys.readouterr().out

    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:  # tampering by someone who can switch off the database's own guard
        _disable_guard(cursor)
        cursor.execute(f"UPDATE {table} SET action = 'nothing' WHERE seq = 3")  # noqa: S608
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
    assert "event 3" in capsys.readouterr().err


@pytest.mark.django_db
def test_setu_audit_verify_detects_a_deleted_row(np_caseworker):
    for n in range(4):
        audit_record(actor=np_caseworker, action="person.view", object_id=str(n))
    with connection.cursor() as cursor:
        _disable_guard(cursor)
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = 4")  # noqa: S608
    breaks = audit_verify()
    assert breaks and "removed" in breaks[-1].reason


@pytest.mark.django_db
def test_a_batch_appends_the_same_chain_with_the_head_written_once(np_caseworker):
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from setu.audit.services import audit_batch

    before = audit_record(actor=np_caseworker, action="person.view", object_type="people.person", object_id="a")
    with transaction.atomic(), audit_batch(), CaptureQueriesContext(connection) as queries:
        events = [audit_record(actor=np_caseworker, action="person.create", object_type="people.person",
                               object_id=str(i)) for i in range(5)]  # fmt: skip
    assert len(queries) <= 1 + 3  # the events in one insert; the head read and written once (and the savepoint)
    assert list(AuditEvent.objects.filter(seq__gt=before.seq).order_by("seq").values_list("hash", flat=True)) == [
        e.hash for e in events]  # fmt: skip
    assert [e.seq for e in events] == list(range(before.seq + 1, before.seq + 6))
    assert events[0].prev_hash == before.hash
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))
    assert AuditHead.objects.get().seq == events[-1].seq and AuditHead.objects.get().hash == events[-1].hash
    with pytest.raises(ValueError), transaction.atomic(), audit_batch():  # a refused batch leaves nothing
        audit_record(actor=np_caseworker, action="person.create", object_type="people.person", object_id="x")
        raise ValueError
    assert AuditHead.objects.get().seq == events[-1].seq
    after = audit_record(actor=np_caseworker, action="person.view", object_type="people.person", object_id="a")
    assert after.prev_hash == events[-1].hash
    assert audit_verify() == []
