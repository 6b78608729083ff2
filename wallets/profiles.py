"""The learner as an OB 3.0 / CLR 2.0 ``Profile``: what getProfile returns and what putProfile may change.

Through a platform a learner changes only the name this registry calls them by (``display_name``, the Profile's
``name``). Their legal name is printed on certificates and their email address links their account, so both are
the registrar's to change after checking who asks; a Profile that changes the email, or carries what is not kept
here (a phone number, an address…), is refused whole, as OB 3.0 §6.2.5 allows.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from awards.credentials import OB_CONTEXT, VC_CONTEXT
from learners.models import Learner

LEARNER_NAMESPACE = uuid.UUID("6c1d7a1e-5f0b-4a53-9a7e-1a7f4b1f2c10")  # stable urn:uuid ids for learner profiles
KEPT = {"@context", "id", "type", "name", "email"}


def learner_profile(learner: Learner) -> dict:
    """The learner as an OB 3.0 ``Profile``: a stable ``urn:uuid`` id, the name they go by and their email."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uuid.uuid5(LEARNER_NAMESPACE, f'{settings.REGISTRY_PUBLIC_URL}/learners/{learner.pk}')}",
        "type": ["Profile"],
        "name": learner.display_name,
        "email": learner.email,
    }


def profile_replace(*, learner: Learner, profile, user, platform: str) -> Learner:
    """putProfile: ``profile`` (the whole Profile, as the specification asks) replaces what a platform may change,
    recorded in the learner's history as changed by ``user`` through ``platform``."""
    problem = _problem(learner, profile)
    if problem:
        raise ValidationError(problem)
    name = profile["name"].strip()
    if name != learner.display_name:
        learner.display_name = name
        learner._history_user = user
        learner._change_reason = f"putProfile from {platform}"[:100]
        learner.save(update_fields=["display_name"])
    return learner


def _problem(learner: Learner, profile) -> str | None:
    if not isinstance(profile, dict) or "Profile" not in _types(profile.get("type")):
        return _("The body must be a Profile (type Profile).")
    if profile.get("id") != learner_profile(learner)["id"]:
        return _("This is not the profile of the learner who gave this access: its id differs.")
    if "email" in profile and str(profile["email"]).strip().lower() != learner.email:
        return _("The email address identifies the learner's account; only the registrar can change it.")
    unkept = sorted(set(profile) - KEPT)
    if unkept:
        return _("This registry keeps only a learner's name and email; it cannot store: %(fields)s.") % {
            "fields": ", ".join(unkept)
        }
    name = profile.get("name")
    limit = Learner._meta.get_field("display_name").max_length
    if not isinstance(name, str) or not name.strip() or len(name) > limit or not name.isprintable():
        return _("The name must be printable text of 1 to %(limit)d characters.") % {"limit": limit}
    return None


def _types(value) -> list:
    return value if isinstance(value, list) else [value]
