"""The learner's own pages. Every query is scoped to request.user's learner record: others' data is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from . import selectors
from .models import Evidence, Learner


def _own_learner(request):
    try:
        return request.user.learner
    except Learner.DoesNotExist:
        return None


@login_required
def dashboard(request):
    learner = _own_learner(request)
    if learner is None:
        return render(request, "learners/no_record.html", status=200)
    context = {
        "learner": learner,
        "enrolments": selectors.learner_enrolments(learner),
        "attempts": selectors.learner_attempts(learner),
        "progress": selectors.learner_progress(learner),
    }
    return render(request, "learners/dashboard.html", context)


@login_required
def attempt_detail(request, pk):
    learner = _own_learner(request)
    if learner is None:
        raise Http404
    attempt = get_object_or_404(selectors.learner_attempts(learner), pk=pk)
    return render(request, "learners/attempt_detail.html", {"attempt": attempt})


@login_required
def evidence_file(request, pk):
    """Evidence uploads live in private storage; only their learner and registry staff may fetch them."""
    evidence = get_object_or_404(Evidence.objects.select_related("attempt__enrolment__learner"), pk=pk)
    is_owner = evidence.attempt.enrolment.learner.user_id == request.user.pk
    if not (is_owner or request.user.has_perm("learners.view_evidence")):
        raise Http404
    return evidence_file_response(evidence)


def evidence_file_response(evidence):
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])
