"""The page a recruiter without an integration opens from a learner's share link."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from awards import verification
from config.http import client_ip

from . import selectors, services


def _over_rate(client: str) -> bool:
    """Each client may open a few share pages a minute: plenty for a person, while a flood of guesses or reloads
    (each page verifies every credential it shows) stays cheap. A fixed window per minute, counted in the cache."""
    key = f"shared-page-views:{client}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)  # outlives its minute, so the increment never meets an expired key
    return cache.incr(key) > settings.SHARE_PAGE_VIEWS_PER_MINUTE


def shared(request, token):
    client = client_ip(request)
    if _over_rate(client):
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
