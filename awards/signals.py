"""Domain events of the awards app, for apps above it (partner webhooks) to act on without being imported.

``award_status_changed(award_id, event)``, sent after the change commits: "revoked", "suspended", "reinstated".
``credentials_verified(api_key, verdicts)``: a partner key checked these credentials of this registry —
``(award id, verdict)`` pairs, whatever the verdict.
"""

from django.dispatch import Signal

award_status_changed = Signal()
credentials_verified = Signal()
