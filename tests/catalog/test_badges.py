"""Badge images: drawn from the institution's colours, and uploads checked and cleaned."""

import io

import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from catalog import badges
from catalog.models import Program
from tests.factories import InstitutionFactory, ProgramFactory, published_program

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _png(width=64, height=64):
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#336699").save(out, format="PNG")
    return out.getvalue()


def test_a_drawn_badge_uses_the_institution_s_colours_name_level_and_code():
    institution = InstitutionFactory(brand_colour="#123456", accent_colour="#abcdef")
    program = ProgramFactory(institution=institution, title="Data Visualisation", level=6, code="DATA-201")
    root = ElementTree.fromstring(badges.badge_svg(program))
    fills = [polygon.get("fill") for polygon in root.iter(f"{SVG}polygon")]
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert fills[0] == "#123456" and root.find(f"{SVG}rect").get("fill") == "#abcdef"
    assert {"Data", "Visualisation", "EQF level 6", "DATA-201"} <= set(texts)
    assert root.find(f"{SVG}title").text.startswith("Data Visualisation — EQF level 6")


def test_the_drawn_png_is_a_real_square_image_in_the_brand_colour():
    program = ProgramFactory(institution=InstitutionFactory(brand_colour="#123456"))
    with Image.open(io.BytesIO(badges.badge_png(program))) as image:
        assert image.size == (badges.SIZE, badges.SIZE)
        assert image.convert("RGB").getpixel((200, 60)) == (0x12, 0x34, 0x56)


def test_an_svg_upload_loses_its_script_handlers_and_outside_links():
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">'
        b'<script>alert(2)</script><circle cx="5" cy="5" r="4" fill="red" onclick="steal()"/>'
        b'<foreignObject><div>hi</div></foreignObject><a href="javascript:alert(3)"><rect width="1" height="1"/></a>'
        b'<image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/>'
        b'<rect width="2" height="2" style="fill: url(https://tracker.example/x)"/></svg>'
    )
    cleaned = badges.clean_upload(SimpleUploadedFile("badge.svg", hostile, content_type="image/svg+xml")).decode()
    for unsafe in ("script", "onload", "onclick", "foreignObject", "javascript:", "tracker.example"):
        assert unsafe not in cleaned
    assert '<circle cx="5" cy="5" r="4" fill="red"' in cleaned


def test_an_svg_with_entities_is_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(ValidationError, match="cannot be read safely"):
        badges.clean_upload(SimpleUploadedFile("bomb.svg", bomb))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("badge.svg", b"<html><body>not an svg</body></html>", "not an SVG image"),
        ("badge.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "cannot be read"),
        ("badge.gif", b"GIF89a....", "a PNG or an SVG"),
        ("huge.png", _png(3000, 10), "at most 2048"),
    ],
)
def test_other_uploads_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        badges.clean_upload(SimpleUploadedFile(name, content))


def test_a_png_upload_is_kept_as_it_is():
    png = _png()
    assert badges.clean_upload(SimpleUploadedFile("badge.png", png)) == png


def test_the_admin_stores_the_cleaned_svg(registrar_client):
    program = ProgramFactory()
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>'
    form = registrar_client.get(reverse("admin:catalog_program_change", args=[program.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data.update(
        {
            "prerequisites": [],
            "tags": [],
            "alignments-TOTAL_FORMS": "0",
            "alignments-INITIAL_FORMS": "0",
            "image": SimpleUploadedFile("badge.svg", hostile, content_type="image/svg+xml"),
        }
    )
    response = registrar_client.post(reverse("admin:catalog_program_change", args=[program.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    stored = program.image.read().decode()
    assert "script" not in stored and "<rect" in stored


def test_the_badge_urls_serve_the_drawn_images(client):
    program = published_program()
    svg = client.get(reverse("catalog:program-badge", args=[program.slug]))
    png = client.get(reverse("catalog:program-badge-png", args=[program.slug]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_draft_program_s_badge_is_not_public(client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(reverse("catalog:program-badge", args=[draft.slug])).status_code == 404
