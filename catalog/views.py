from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .filters import ProgramFilter
from .models import Pathway, Program
from .selectors import alignments_with_matches, catalog_programs

PAGE_SIZE = 12


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
            Prefetch("alignments", queryset=alignments_with_matches()), "rubric__criteria__levels", "prerequisites"
        ),
        slug=slug,
    )
    stacks_into = Pathway.objects.published().filter(rules__programs__code=program.code).distinct()
    return render(request, "catalog/program_detail.html", {"program": program, "stacks_into": stacks_into})


def pathway_detail(request, slug):
    pathway = get_object_or_404(Pathway.objects.published().with_rules(), slug=slug)
    return render(request, "catalog/pathway_detail.html", {"pathway": pathway})
