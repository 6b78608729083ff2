from django.shortcuts import get_object_or_404, render

from .models import Pathway, Program


def program_list(request):
    programs = Program.objects.published().select_related("subject", "institution").order_by("title")
    pathways = Pathway.objects.published().select_related("award").order_by("name")
    return render(request, "catalog/program_list.html", {"programs": programs, "pathways": pathways})


def program_detail(request, slug):
    program = get_object_or_404(
        Program.objects.published()
        .select_related("subject", "institution", "rubric")
        .prefetch_related("alignments__competency__framework", "rubric__criteria__levels", "prerequisites"),
        slug=slug,
    )
    return render(request, "catalog/program_detail.html", {"program": program})


def pathway_detail(request, slug):
    pathway = get_object_or_404(Pathway.objects.published().with_rules(), slug=slug)
    return render(request, "catalog/pathway_detail.html", {"pathway": pathway})
