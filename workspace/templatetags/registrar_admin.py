"""The admin's front page (templates/admin/index.html) reads the registrar's dashboard through these tags, so the
admin's own index view, its URL and its permission checks stay Django's."""

from django import template

from workspace import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def registrar_dashboard(context):
    return dashboard.registrar_dashboard(context["request"].user)


@register.simple_tag
def task_navigation(app_list, links):
    return dashboard.navigation(app_list, links)
