"""Link each interception that sent an alert to its outbox message (found, as before, by the time the alert
was sent and the interception number it carries). Reversible: going back copies the message's time."""

import base64
import json

from django.db import migrations


def _payload(token: str) -> dict:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))["payload"]


def forwards(apps, schema_editor):
    Interception = apps.get_model("interceptions", "Interception")
    OutboxMessage = apps.get_model("exchange", "OutboxMessage")
    for interception in Interception.objects.filter(alert_sent_at__isnull=False, alert__isnull=True).iterator():
        for message in OutboxMessage.objects.filter(type="interception.alert", created_at=interception.alert_sent_at):
            if _payload(message.token).get("interception_number") == interception.number:
                interception.alert = message
                interception.save(update_fields=["alert"])
                break


def backwards(apps, schema_editor):
    Interception = apps.get_model("interceptions", "Interception")
    for interception in Interception.objects.filter(alert__isnull=False).select_related("alert").iterator():
        interception.alert_sent_at = interception.alert.created_at
        interception.save(update_fields=["alert_sent_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("interceptions", "0004_interception_alert_message"),
        ("exchange", "0002_messages"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
