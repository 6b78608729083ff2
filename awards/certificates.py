"""PDF certificates: WeasyPrint renders a Django template to PDF/A-3b with the signed credential attached.

The QR code and a link annotation both point to the public verification page; fonts are the project's own
(static/fonts), so rendering never touches the network.
"""

import json
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher

from .credentials import credential_url

PAGE_SIZES = {"A4": "A4", "Letter": "letter"}
FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def render(award, page_size="A4"):
    """Return the PDF bytes of ``award``'s certificate."""
    document = json.loads(award.credential)
    url = credential_url(award)
    subject = document["credentialSubject"]
    context = {
        "award": award,
        "program": award.program,
        "institution": award.program.institution,
        "url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=4, border=1),
        "page_size": PAGE_SIZES[page_size],
        "fonts_dir": FONTS_DIR.as_uri(),
        "results": _rubric_summary(subject),
        "components": list(award.components.select_related("program")),
        "credits": subject.get("creditsEarned"),
    }
    html = render_to_string("awards/certificate.html", context)
    attachment = Attachment(
        string=award.credential.encode(),
        name=f"credential-{award.pk}.json",
        description="Signed Open Badges 3.0 credential (eddsa-rdfc-2022)",
        relationship="Source",
    )
    # Only local files and data: URIs; any network fetch is refused and fails the rendering.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    return HTML(string=html, base_url=str(FONTS_DIR), url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/a-3b", attachments=[attachment], uncompressed_pdf=False
    )


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
