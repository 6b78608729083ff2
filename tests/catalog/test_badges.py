"""Badge images: drawn from the institution's colours, and uploads checked, cleaned, stored and served safely."""

import importlib
import io
import re
import struct
import zlib

import pytest
from defusedxml import ElementTree
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from PIL import Image, ImageFile

from catalog import badges
from catalog.models import Program
from config.security import SANDBOXED
from tests.factories import InstitutionFactory, ProgramFactory, published_program

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
GENERATED_NAME = re.compile(r"programs/[0-9a-f]{32}\.(png|svg)")


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
    cleaned = _cleaned(hostile)
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
        ("badge.svg", b"<html><body>not an svg</body></html>", "a PNG or an SVG"),
        ("badge.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "cannot be read"),
        ("badge.gif", b"GIF89a....", "a PNG or an SVG"),
        ("huge.png", _png(3000, 10), "at most 2048"),
    ],
)
def test_other_uploads_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError, match=message):
        badges.clean_upload(SimpleUploadedFile(name, content))


def test_an_oversized_png_is_refused_from_its_header_without_decoding_it(monkeypatch):
    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG")  # 4 KB of file, 36 million pixels
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image.size))
    with pytest.raises(ValidationError, match="at most 2048×2048 pixels"):
        badges.clean_upload(SimpleUploadedFile("huge.png", out.getvalue()))
    assert decoded == []


def _png_header_only(width, height):
    """A PNG's signature and header, declaring a size that would not fit in memory, and no pixels at all."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunk = struct.pack(">I", len(header)) + b"IHDR" + header + struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return badges.PNG_SIGNATURE + chunk + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def test_a_decompression_bomb_is_refused_by_pillow_s_own_check_with_the_size_message():
    assert Image.MAX_IMAGE_PIXELS is not None  # Pillow's check is on: it refuses this header when opening it
    with pytest.raises(ValidationError, match="at most 2048×2048 pixels"):
        badges.clean_upload(SimpleUploadedFile("bomb.png", _png_header_only(100_000, 100_000)))


def test_a_png_upload_is_kept_as_it_is():
    png = _png()
    assert badges.clean_upload(SimpleUploadedFile("badge.png", png)).read() == png


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("badge.html", _png(), "badge.png"),
        ("badge.svg", _png(), "badge.png"),
        ("badge.html", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>', "badge.svg"),
        ("badge", b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>', "badge.svg"),
    ],
)
def test_an_upload_is_named_for_what_its_bytes_are_not_for_its_name(name, content, kind):
    assert badges.clean_upload(SimpleUploadedFile(name, content, content_type="text/html")).name == kind


def _cleaned(svg: bytes) -> str:
    return badges.clean_upload(SimpleUploadedFile("badge.svg", svg)).read().decode()


def _svg_with(attributes="", body=""):
    return f'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4" {attributes}/>{body}</svg>'.encode()


@pytest.mark.parametrize(
    "attributes",
    [
        r'style="background:u\72l(javascript:alert(1))"',
        r'style="background:u\72l(https://tracker.example/a)"',  # hex escape, no space after it
        r'style="fill:\75 rl(https://tracker.example/a)"',  # hex escape ended by a space
        r'style="fill:\000075rl(https://tracker.example/a)"',  # six hex digits
        r'fill="\75 rl(https://tracker.example/a)"',  # in a presentation attribute
        r'fill="u\&#10;rl(https://tracker.example/a)"',  # escaped newline
        'fill="URL(https://tracker.example/a)"',
        'style="fill:url(/**/https://tracker.example/a)"',  # comment inside url(
        'style="fill:ur/**/l(https://tracker.example/a)"',
        "style=\"width:expression(/**/fetch('https://tracker.example/a'))\"",  # comment inside expression(
        "style=\"width:expr\\65 ssion(fetch('https://tracker.example/a'))\"",
        "style=\"@import 'https://tracker.example/a.css'; fill:red\"",
        'style="filter:url(https://tracker.example/f.svg#blur)"',
        'clip-path="url(&quot;https://tracker.example/a&quot;)"',
        "mask=\"url('https://tracker.example/a#m')\"",
    ],
)
def test_css_escapes_and_comments_do_not_smuggle_a_fetch_through_the_svg_cleaner(attributes):
    cleaned = _cleaned(_svg_with(attributes))
    for unsafe in ("tracker.example", "javascript", "expression", "@import"):
        assert unsafe not in cleaned
    assert '<rect width="4" height="4"' in cleaned


def test_style_elements_are_dropped():
    cleaned = _cleaned(_svg_with(body="<style>@import url(https://tracker.example/a.css); rect{fill:red}</style>"))
    assert "<style" not in cleaned and "tracker.example" not in cleaned


def test_an_inline_style_becomes_the_presentation_attributes_it_sets():
    cleaned = _cleaned(_svg_with('fill="blue" style="fill:#123456; stroke-width:3; cursor:pointer"'))
    root = ElementTree.fromstring(cleaned)
    rect = root.find(f"{SVG}rect")
    assert rect.attrib == {"width": "4", "height": "4", "fill": "#123456", "stroke-width": "3"}


def test_references_to_the_image_s_own_gradients_are_kept():
    gradient = '<defs><linearGradient id="g"><stop offset="0" stop-color="rgb(1,2,3)"/></linearGradient></defs>'
    cleaned = _cleaned(_svg_with('fill="url(#g)" style="stroke:url(\'#g\')"', gradient))
    rect = ElementTree.fromstring(cleaned).find(f"{SVG}rect")
    assert rect.get("fill") == "url(#g)" and rect.get("stroke") == 'url("#g")'
    assert 'stop-color="rgb(1,2,3)"' in cleaned


def test_the_admin_stores_the_cleaned_svg(post_program_change):
    program = ProgramFactory()
    hostile = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>'
    response = post_program_change(program, image=SimpleUploadedFile("badge.svg", hostile))
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    stored = program.image.read().decode()
    assert "script" not in stored and "<rect" in stored


def test_the_admin_stores_an_upload_under_a_generated_name_with_the_extension_of_its_content(post_program_change):
    program = ProgramFactory()
    response = post_program_change(program, image=SimpleUploadedFile("badge.html", _png(), content_type="text/html"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    assert GENERATED_NAME.fullmatch(program.image.name) and program.image.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (_png(), "badge.png", "image/png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>', "badge.svg", "image/svg+xml"),
    ],
)
def test_an_uploaded_badge_is_served_as_an_image_that_is_never_sniffed_and_runs_nothing(
    client, content, name, content_type
):
    program = published_program(image=ContentFile(content, name=name))
    response = client.get(program.badge_url())
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response.content == program.image.open("rb").read()
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == SANDBOXED


def test_a_new_upload_gets_a_new_badge_url():
    program = ProgramFactory(image=ContentFile(_png(), name="badge.png"))
    first = program.badge_url()
    program.image = ContentFile(_png(8, 8), name="badge.png")
    program.save()
    assert program.badge_url() != first


def test_a_badge_stored_under_its_uploader_s_name_moves_to_a_generated_name_and_the_old_file_goes(
    django_capture_on_commit_callbacks,
):
    program = ProgramFactory()
    old = program.image.storage.save("programs/evil.html", ContentFile(_png()))
    Program.objects.filter(pk=program.pk).update(image=old)
    migration = importlib.import_module("catalog.migrations.0010_safe_badges_and_translations")
    with django_capture_on_commit_callbacks(execute=True):
        migration.store_badges_under_generated_names(apps, connection.schema_editor())
    program.refresh_from_db()
    assert GENERATED_NAME.fullmatch(program.image.name) and program.image.name.endswith(".png")
    assert program.image.read() == _png() and not program.image.storage.exists(old)


def test_the_badge_urls_serve_the_drawn_images(client):
    program = published_program()
    svg = client.get(reverse("catalog:program-badge", args=[program.slug]))
    png = client.get(reverse("catalog:program-badge-png", args=[program.slug]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert svg["Content-Security-Policy"] == SANDBOXED


def test_a_draft_program_s_badge_is_not_public(client):
    draft = ProgramFactory(status=Program.Status.DRAFT)
    assert client.get(reverse("catalog:program-badge", args=[draft.slug])).status_code == 404
