"""Domain events of the awards app, sent after the transaction that caused them commits.

``award_status_changed(award_id, event)``: ``event`` is "revoked", "suspended" or "reinstated".
"""

from django.dispatch import Signal

award_status_changed = Signal()
