"""Signals other apps hook into, sent inside the transaction of the change (so what they write commits or
rolls back with it)."""

from django.dispatch import Signal

# A consent was withdrawn on this node by a person here: sender=Consent, consent=, actor=.
# (The exchange sends the withdrawal to the other country's node: DESIGN.md "Consent withdrawal is itself a
# message".) A withdrawal that came from the other node is not sent back.
consent_withdrawn = Signal()
