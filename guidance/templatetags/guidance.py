from django import template

from learners.selectors import learner_of

from ..selectors import also_took

register = template.Library()


@register.inclusion_tag("guidance/also_took.html", takes_context=True)
def learners_with_your_goal_also_took(context, program):
    """On a program page, for a signed-in learner with an occupation goal."""
    learner = learner_of(context["request"].user) if context["request"].user.is_authenticated else None
    return {"programs": also_took(learner, program) if learner else []}
