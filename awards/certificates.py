"""PDF certificates: WeasyPrint renders a Django template to PDF/A-3b with the signed credential attached.

The QR code and a link annotation both point to the public verification page; fonts are the project's own
(static/fonts), so rendering never touches the network.
"""

import base64
import json
import mimetypes
from pathlib import Path

import segno
from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from catalog import badges

from .credentials import credential_url
from .models import CertificateTemplate

PAGE_SIZES = {"A4": "A4", "Letter": "letter", "letter": "letter"}
FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def template_for(program):
    """The program's own template, else its institution's, else None (the registry's default design)."""
    candidates = CertificateTemplate.objects.filter(
        Q(program=program) | Q(program__isnull=True, institution=program.institution)
    ).prefetch_related("signatories")
    return sorted(candidates, key=lambda template: template.program_id is None)[0] if candidates else None


def render(award, page_size=None, template=None):
    """Return the PDF bytes of ``award``'s certificate, in its template's design (PDF/A-3a: tagged, with the
    signed credential attached)."""
    html = render_html(award, page_size=page_size, template=template)
    attachment = Attachment(
        string=award.credential.encode(),
        name=f"credential-{award.pk}.json",
        description="Signed Open Badges 3.0 credential (eddsa-rdfc-2022)",
        relationship="Source",
    )
    # Only local files and data: URIs; any network fetch is refused and fails the rendering.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    return HTML(string=html, base_url=str(FONTS_DIR), url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/a-3a", pdf_tags=True, attachments=[attachment], uncompressed_pdf=False
    )


def render_html(award, page_size=None, template=None):
    document = json.loads(award.credential)
    url = credential_url(award)
    subject = document["credentialSubject"]
    program, institution = award.program, award.program.institution
    template = template or template_for(program)
    logo = template.logo if template and template.logo else institution.logo
    context = {
        "award": award,
        "program": program,
        "institution": institution,
        "url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=4, border=1),
        "page_size": PAGE_SIZES[page_size or (template.paper_size if template else "A4")],
        "orientation": template.orientation if template else "landscape",
        "heading": template.heading if template else gettext_lazy("Certificate of Achievement"),
        "colour": (template.colour if template and template.colour else "") or institution.brand_colour,
        "accent": institution.accent_colour,
        "logo": _data_uri(logo),
        "badge": _badge_uri(program),
        "signatories": [
            {"name": s.name, "title": s.title, "signature": _data_uri(s.signature)}
            for s in (template.signatories.all() if template else [])
        ],
        "fonts_dir": FONTS_DIR.as_uri(),
        "results": _rubric_summary(subject),
        "components": list(award.components.select_related("program")),
        "credits": subject.get("creditsEarned"),
    }
    with translation.override(program.interface_language):  # the certificate speaks the program's language
        return render_to_string("awards/certificate.html", context)


def _data_uri(field):
    """An uploaded image as a data: URI (rendering reads nothing but local fonts and data)."""
    if not field:
        return ""
    with field.open("rb") as handle:
        data = handle.read()
    kind = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _badge_uri(program):
    if program.image and program.image.name.lower().endswith(".png"):
        return _data_uri(program.image)
    return "data:image/svg+xml;base64," + base64.b64encode(badges.program_badge_svg(program).encode()).decode()


def _rubric_summary(subject):
    descriptions = {d["id"]: d for d in subject["achievement"].get("resultDescription", [])}
    rows = []
    for result in subject.get("result", []):
        description = descriptions.get(result["resultDescription"])
        if description is None:
            continue
        if "achievedLevel" in result:
            level = next(lv for lv in description["rubricCriterionLevel"] if lv["id"] == result["achievedLevel"])
            rows.append((description["name"], level["name"]))
        else:
            rows.append((description["name"], f"{result['value']} of {description['valueMax']}"))
    return rows
