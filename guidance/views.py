"""The learner's own guidance pages: career goals, skill gaps and recommended programs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.forms import add_service_errors
from learners.selectors import learner_of_request

from . import selectors, services
from .forms import OccupationGoalForm, OccupationSearchForm, PostingGoalForm
from .models import CareerGoal, GoalSkill, Occupation

SEARCH_RESULTS = 20


@login_required
def goals(request):
    learner = learner_of_request(request)
    return _page(request, learner, posting_form=PostingGoalForm())


def _page(request, learner, *, posting_form, occupation_form=None, status=200):
    search = OccupationSearchForm(request.GET or None)
    found = []
    if search.is_valid() and search.cleaned_data["q"].strip():
        words = search.cleaned_data["q"].split()
        query = Q()
        for word in words:
            query &= Q(label__icontains=word) | Q(alt_labels__icontains=word)
        found = list(Occupation.objects.filter(query).order_by("label")[:SEARCH_RESULTS])
    context = {
        "guidance": _with_teaching_programs(services.guidance_for(learner), learner),
        "search": search,
        "found": found,
        "posting_form": posting_form,
        "occupation_form": occupation_form,
    }
    return render(request, "guidance/goals.html", context, status=status)


def _with_teaching_programs(guidance, learner):
    """Each gap's ``taught_by`` codes as the programs themselves: titled links, saying which the learner is
    enrolled in."""
    gaps = [gap for goal in guidance["goals"] for gap in goal["gaps"]]
    programs = selectors.programs_by_code(learner, {code for gap in gaps for code in gap["taught_by"]})
    for gap in gaps:
        gap["teachers"] = [programs[code] for code in gap["taught_by"] if code in programs]
    return guidance


@login_required
@require_POST
def add_occupation(request):
    learner = learner_of_request(request)
    form = OccupationGoalForm(request.POST)
    if form.is_valid():
        try:
            goal = services.add_occupation_goal(learner=learner, occupation=form.cleaned_data["occupation"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(goal)s” added to your goals.") % {"goal": goal.title})
            return redirect("guidance:goals")
    return _page(request, learner, posting_form=PostingGoalForm(), occupation_form=form, status=400)


@login_required
@require_POST
def add_posting(request):
    learner = learner_of_request(request)
    form = PostingGoalForm(request.POST)
    if form.is_valid():
        try:
            goal = services.add_posting_goal(learner=learner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(goal)s” added to your goals.") % {"goal": goal.title})
            return redirect("guidance:goals")
    return _page(request, learner, posting_form=form, status=400)


@login_required
def confirm_remove(request, pk):
    """The question before a goal goes, as a page of its own so it is asked without JavaScript too."""
    goal = get_object_or_404(CareerGoal, learner=learner_of_request(request), pk=pk)
    return render(request, "guidance/confirm_remove.html", {"goal": goal})


@login_required
@require_POST
def remove(request, pk):
    learner = learner_of_request(request)
    try:
        services.remove_goal(learner=learner, goal_id=pk)
    except CareerGoal.DoesNotExist:
        raise Http404("No such goal.") from None
    messages.success(request, _("Goal removed."))
    return redirect("guidance:goals")


@login_required
@require_POST
def drop_skill(request, pk, skill_id):
    learner = learner_of_request(request)
    try:
        services.drop_goal_skill(learner=learner, goal_id=pk, skill_id=skill_id)
    except GoalSkill.DoesNotExist:
        raise Http404("No such skill in your goal.") from None
    messages.success(request, _("Skill removed from this goal."))
    return redirect("guidance:goals")
