from functools import wraps

from django.template.response import TemplateResponse


def staff_only_page(login_view):
    """Wraps the admin's login: a signed-in visitor who is not staff (a learner, a partner's member) is told the
    admin is for staff and shown the way back, on the site's own page, rather than the admin's login form."""

    @wraps(login_view)
    def login(request, *args, **kwargs):
        if request.user.is_authenticated and not (request.user.is_active and request.user.is_staff):
            return TemplateResponse(request, "workspace/staff_only.html", status=403)
        return login_view(request, *args, **kwargs)

    return login
