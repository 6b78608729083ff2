"""Reading what partners may see: shares, talent search. Learners appear only through what they chose to show."""

import hashlib
import hmac

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, IntegerField, Prefetch, Q, QuerySet
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from awards.models import Award
from catalog.models import Competency
from learners.models import Sharing

from .models import LEGACY_CODE_LENGTH, PartnerAPIKey, PartnerOrganisation, Share, TalentProfile


def share_for(token_or_code: str, api_key: PartnerAPIKey | None = None) -> Share | None:
    """The active share with this token (or code), if this caller may read it; else None.

    A share for one partner is readable through the API by that partner's keys only; without a key (a person
    following the link) any share can be read. A short code made before codes were lengthened could be guessed,
    so it works only with a key: keys are accountable and throttled, the page is open to anyone.
    """
    if api_key is None and len(token_or_code) <= LEGACY_CODE_LENGTH:
        return None
    lookup = Q(token=token_or_code) | Q(code=token_or_code.upper())
    share = Share.objects.active().filter(lookup).select_related("learner", "partner").first()
    if share is None:
        return None
    if api_key is not None and share.partner_id not in (None, api_key.organisation_id):
        return None
    return share


def share_awards(share: Share) -> list[Award]:
    """The issued credentials a share shows, with what the summary needs, in one fixed number of queries."""
    awards = Award.objects.issued().filter(learner_id=share.learner_id)
    if not share.whole_record:
        awards = awards.filter(shares=share)
    return list(
        awards.select_related("program__institution", "program__awarded_by_pathway")
        .prefetch_related(Prefetch("program__competencies", queryset=Competency.objects.select_related("framework")))
        .order_by("issued_at")
    )


def completed_pathways(awards: list[Award]) -> list[str]:
    """Names of the pathways whose awards are among ``awards`` (as loaded by ``share_awards``: no query)."""
    names = []
    for award in awards:
        try:
            names.append(award.program.awarded_by_pathway.name)
        except ObjectDoesNotExist:
            continue  # a microcredential, not a pathway's award
    return names


def discoverable_awards() -> QuerySet[Award]:
    """Credentials in good standing that their holder marked discoverable, of learners who opted in."""
    now = timezone.now()
    return (
        Award.objects.in_good_standing()
        .filter(sharing=Sharing.DISCOVERABLE, suspended_at__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
        .filter(learner__talent_profile__discoverable=True)
    )


def talent_search(
    *, competency: str = "", framework: str = "", min_level: int | None = None, pathway: str = ""
) -> QuerySet[TalentProfile]:
    """Discoverable learners with at least one discoverable credential matching every filter given."""
    matching = discoverable_awards()
    if competency:
        matching = matching.filter(program__competencies__code=competency)
    if framework:
        matching = matching.filter(program__competencies__framework__name=framework)
    if min_level is not None:
        matching = matching.filter(program__level__gte=min_level)
    if pathway:
        matching = matching.filter(program__awarded_by_pathway__slug=pathway)
    shown = (
        discoverable_awards()
        .select_related("program__institution")
        .prefetch_related(Prefetch("program__competencies", queryset=Competency.objects.select_related("framework")))
    )
    return (
        TalentProfile.objects.filter(discoverable=True, learner__awards__in=matching.values("pk"))
        .distinct()
        .prefetch_related(Prefetch("learner__awards", queryset=shown.order_by("issued_at"), to_attr="shown_awards"))
    )


# A prime above every learner id, and small enough that learner_id * a + b (a, b < P) fits in 64 bits, which
# SQLite and PostgreSQL compute exactly.
TALENT_ORDER_PRIME = 2**31 - 1


def talent_order_keys(organisation: PartnerOrganisation) -> tuple[int, int]:
    """The partner's secret ``a`` (not 0 mod P) and ``b`` of its order of talent search results."""
    digest = hmac.new(organisation.pseudonym_salt.encode(), b"talent-order", hashlib.sha256).digest()
    a, b = int.from_bytes(digest[:16]), int.from_bytes(digest[16:])
    return 1 + a % (TALENT_ORDER_PRIME - 1), b % TALENT_ORDER_PRIME


def in_partner_order(profiles: QuerySet[TalentProfile], organisation: PartnerOrganisation) -> QuerySet[TalentProfile]:
    """``profiles`` with ``partner_rank``, the partner's own order: (learner id × a + b) mod P, a permutation of
    the learner ids keyed per partner. Ordered by id, two partners would see a learner at the same place in the
    same results, and could pair their pseudonyms by position."""
    a, b = talent_order_keys(organisation)
    rank = ExpressionWrapper((F("learner_id") * a + b) % TALENT_ORDER_PRIME, output_field=IntegerField())
    return profiles.annotate(partner_rank=rank)
