"""The page a recruiter without an integration opens from a learner's share link."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from awards import verification
from config.http import client_ip, over_rate

from . import selectors, services


def shared(request, token):
    client = client_ip(request)
    # Plenty for a person, while a flood of guesses or reloads (each page verifies every credential) stays cheap.
    if over_rate("shared-page", client, settings.SHARE_PAGE_VIEWS_PER_MINUTE, 60):
        response = HttpResponse(
            _("Too many requests: wait a minute and try again."), status=429, content_type="text/plain; charset=utf-8"
        )
        response["Retry-After"] = "60"
        return response
    share = selectors.share_for(token)
    if share is None:
        raise Http404("This share does not exist, has expired or was withdrawn by its owner.")
    awards = selectors.share_awards(share)
    rows = [{"award": award, "result": verification.verify(award.document())} for award in awards]
    services.share_page_read_record(share=share, client=client)
    response = render(request, "partners/shared.html", {"share": share, "rows": rows})
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the link is the secret: never leak it to linked sites
    return response
