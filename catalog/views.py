import json

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from config.http import JSON_LD, public_json
from config.security import SANDBOXED

from . import badges, ctdl
from .filters import ProgramFilter
from .models import Pathway, Program
from .selectors import alignments_with_matches, catalog_programs

PAGE_SIZE = 12
JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def program_list(request):
    filterset = ProgramFilter(request.GET or None, queryset=catalog_programs())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    pathways = Pathway.objects.published().select_related("award").order_by("name")
    context = {"filter": filterset, "page": page, "pathways": pathways, "query": query.urlencode()}
    return render(request, "catalog/program_list.html", context)


def program_detail(request, slug):
    program = get_object_or_404(
        Program.objects.published()
        .select_related("subject", "institution", "rubric")
        .prefetch_related(
            Prefetch("alignments", queryset=alignments_with_matches()),
            "rubric__criteria__levels",
            "prerequisites",
            "endorsements",  # the awards app's model; named, not imported (the catalog sits beneath awards)
            "credit_recognitions",
        ),
        slug=slug,
    )
    stacks_into = Pathway.objects.published().filter(rules__programs__code=program.code).distinct()
    today = timezone.localdate()
    context = {
        "program": program,
        "stacks_into": stacks_into,
        "schema_org": _json_ld(ctdl.schema_org(program)),
        "recognitions": [r for r in program.credit_recognitions.all() if r.in_force(today)],
    }
    return render(request, "catalog/program_detail.html", context)


def _json_ld(document):
    """JSON for a <script type="application/ld+json"> block: no character can close the element."""
    text = json.dumps(document, ensure_ascii=False)
    return mark_safe(text.translate(JSON_LD_ESCAPES))  # noqa: S308  # nosec B308 B703 - escaped above


def program_ctdl(request, slug):
    """The program's CTDL graph, for Credential Engine's registry (a pathway's award lists its components)."""
    program = get_object_or_404(
        Program.objects.exclude(status=Program.Status.DRAFT)
        .select_related("institution")
        .prefetch_related("tags", Prefetch("alignments", queryset=alignments_with_matches())),
        slug=slug,
    )
    pathway = Pathway.objects.filter(award=program).prefetch_related("rules__programs").first()
    components = (
        sorted({p for rule in pathway.rules.all() for p in rule.programs.all()}, key=lambda p: p.code)
        if pathway
        else ()
    )
    return public_json(ctdl.program_graph(program, components=components), JSON_LD)


def pathway_detail(request, slug):
    pathway = get_object_or_404(Pathway.objects.published().with_rules(), slug=slug)
    return render(request, "catalog/pathway_detail.html", {"pathway": pathway})


@cache_control(max_age=3600)
def program_badge(request, slug, image_format="svg"):
    """The program's badge in one format: the uploaded one when it is in that format, else the one drawn in its
    institution's colours (any program a credential may name)."""
    programs = Program.objects.select_related("institution")
    if not request.user.is_staff:  # staff preview drafts in the admin
        programs = programs.exclude(status=Program.Status.DRAFT)
    program = get_object_or_404(programs, slug=slug)
    if image_format == "png":
        response = HttpResponse(badges.program_badge_png(program), content_type="image/png")
    else:
        response = HttpResponse(badges.program_badge_svg(program), content_type="image/svg+xml")
    # Opened on its own, an SVG is a document: it may run and load nothing.
    response["Content-Security-Policy"] = SANDBOXED
    return response
