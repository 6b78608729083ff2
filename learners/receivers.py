from . import services


def link_learner_on_verified_email(request, email_address, **kwargs):
    """allauth confirmed that the user owns this address: only now may it link a learner record."""
    services.learner_link_verified_email(user=email_address.user, email=email_address.email)
