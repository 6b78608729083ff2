"""The page a recruiter without an integration opens from a learner's share link."""

from django.http import Http404
from django.shortcuts import render

from awards import verification

from . import selectors, services


def shared(request, token):
    share = selectors.share_for(token)
    if share is None:
        raise Http404("This share does not exist, has expired or was withdrawn by its owner.")
    awards = selectors.share_awards(share)
    rows = [{"award": award, "result": verification.verify(award.document())} for award in awards]
    services.access_record(
        learners=[share.learner_id], api_key=None, what=f"Opened share “{share.code}” in a browser", share=share
    )
    response = render(request, "partners/shared.html", {"share": share, "rows": rows})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the link is the secret: never leak it to linked sites
    return response
