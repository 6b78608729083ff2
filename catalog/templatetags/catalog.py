from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(program, field):
    """``{{ program|localized:"title" }}``: the program's text in the visitor's language when it has one."""
    return program.localized(field, (get_language() or "en").split("-")[0])
