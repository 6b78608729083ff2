"""Badge images: drawn from the institution's colours and the program's name and level (SVG for pages and
credentials, PNG for baking), and the checks an uploaded badge passes before it is stored.

An upload is told apart by its bytes, never its name: a PNG by its signature (and read whole by Pillow), an SVG
by parsing it as XML with an <svg> root. An SVG is parsed with defusedxml and rebuilt from an allow-list of
drawing elements and attributes: scripts, event handlers, foreign objects, style sheets and links to anything but
the image itself never reach storage. Attribute values are read as CSS by tinycss2 (escapes decoded, comments
dropped, as a browser reads them) and kept only if they fetch nothing; a ``style`` attribute becomes the
presentation attributes it sets, so badges drawn with inline styles keep their colours.
"""

import io
import math
import textwrap
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, tostring

import tinycss2
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SIZE = 400
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_PIXELS = 2048
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "DejaVuSans-Bold.ttf"
DRAWING = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text",
    "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "symbol", "use", "image",
}  # fmt: skip
# CSS properties kept as presentation attributes, whether written as attributes or in a style attribute.
PRESENTATION = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity", "stop-color",
    "stop-opacity", "font-family", "font-size", "font-style", "font-weight", "text-anchor", "dominant-baseline",
    "letter-spacing", "clip-path", "clip-rule", "mask",
}  # fmt: skip
ATTRIBUTES = PRESENTATION | {
    "id", "class", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d", "points",
    "transform", "viewBox", "preserveAspectRatio", "offset", "gradientUnits", "gradientTransform", "role",
    "aria-label", "version", "patternUnits",
}  # fmt: skip
LINKS = {"href", f"{{{XLINK_NS}}}href"}
# The only CSS functions an attribute may call besides url(#fragment): colours and transforms fetch nothing.
CSS_FUNCTIONS = {"rgb", "rgba", "hsl", "hsla", "matrix", "translate", "scale", "rotate", "skewx", "skewy"}


def design(program):
    """What a generated badge shows, in the institution's colours."""
    institution = program.institution
    return {
        "primary": institution.brand_colour,
        "accent": institution.accent_colour,
        "lines": textwrap.wrap(program.title, 16)[:3],
        "level": f"EQF level {program.level}" if program.level else program.get_achievement_type_display(),
        "code": program.code,
        "issuer": institution.name if len(institution.name) <= 28 else institution.name[:27] + "…",
    }


def _hexagon(inset=0):
    radius, centre = SIZE / 2 - 10 - inset, SIZE / 2
    angles = [math.radians(60 * i - 90) for i in range(6)]
    return [(round(centre + radius * math.cos(a), 1), round(centre + radius * math.sin(a), 1)) for a in angles]


def badge_svg(program) -> str:
    d = design(program)
    points = lambda inset: " ".join(f"{x},{y}" for x, y in _hexagon(inset))  # noqa: E731
    label = f"{program.title} — {d['level']}, {d['issuer']}"
    svg = Element("svg", xmlns=SVG_NS, width=str(SIZE), height=str(SIZE), viewBox=f"0 0 {SIZE} {SIZE}", role="img")
    svg.set("aria-label", label)
    SubElement(svg, "title").text = label
    SubElement(svg, "polygon", points=points(0), fill=d["primary"])
    SubElement(svg, "polygon", points=points(14), fill="none", stroke=d["accent"], **{"stroke-width": "6"})
    text = {"fill": "#ffffff", "font-family": "DejaVu Sans, Arial, sans-serif", "text-anchor": "middle"}
    SubElement(svg, "text", x="200", y="108", **text, **{"font-size": "17"}).text = d["issuer"]
    top = 200 - 17 * (len(d["lines"]) - 1)
    bold = {"font-weight": "bold"}
    for index, line in enumerate(d["lines"]):
        SubElement(svg, "text", x="200", y=str(top + 34 * index), **text, **bold, **{"font-size": "30"}).text = line
    SubElement(svg, "rect", x="110", y="276", width="180", height="34", rx="17", fill=d["accent"])
    level = {**text, **bold, "fill": d["primary"], "font-size": "17"}
    SubElement(svg, "text", x="200", y="299", **level).text = d["level"]
    SubElement(svg, "text", x="200", y="336", **text, **{"font-size": "15"}).text = d["code"]
    return tostring(svg, encoding="unicode")


def badge_png(program) -> bytes:
    d = design(program)
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_hexagon(0), fill=d["primary"])
    draw.polygon(_hexagon(14), outline=d["accent"], width=6)

    def centred(y, text, size, fill="#ffffff"):
        font = ImageFont.truetype(str(FONT), size)
        draw.text((SIZE / 2, y), text, font=font, fill=fill, anchor="ms")

    centred(108, d["issuer"], 16)
    top = 200 - 17 * (len(d["lines"]) - 1)
    for index, line in enumerate(d["lines"]):
        centred(top + 34 * index, line, 28)
    draw.rounded_rectangle((110, 276, 290, 310), radius=17, fill=d["accent"])
    centred(299, d["level"], 16, fill=d["primary"])
    centred(336, d["code"], 14)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def clean_upload(upload: File) -> ContentFile:
    """What to store for an uploaded badge, whatever its name: a PNG as it is once Pillow reads it whole, or an
    SVG rebuilt from the allow-list, named for what it is. Anything else, too big or unreadable, is refused."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(_("A badge image may be at most 1 MB."))
    data = upload.read()
    if data.startswith(PNG_SIGNATURE):
        return ContentFile(_checked_png(data), name="badge.png")
    return ContentFile(sanitise_svg(data).encode(), name="badge.svg")


def _checked_png(data):
    """``data`` if it is a whole, readable PNG of at most MAX_PIXELS a side. The size comes from the header and is
    checked before any pixel is decoded: a 140 KB file can hold 6000×6000 pixels, over 100 MB decoded. Opening
    keeps Pillow's own decompression-bomb check, for sizes beyond even that."""
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            fits = max(image.size) <= MAX_PIXELS
        if fits:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Image.DecompressionBombError:
        fits = False
    except Exception as error:  # Pillow raises many types for broken files
        raise ValidationError(_("This PNG file cannot be read.")) from error
    if not fits:
        raise ValidationError(_("A badge image may be at most %(size)s×%(size)s pixels.") % {"size": MAX_PIXELS})
    return data


def sanitise_svg(data: bytes) -> str:
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:  # entities, DTDs, external references
        raise ValidationError(_("This SVG file cannot be read safely.")) from error
    except Exception as error:  # not XML at all: ElementTree's ParseError, or decoding errors
        raise ValidationError(_("A badge image is a PNG or an SVG file.")) from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ValidationError(_("A badge image is a PNG or an SVG file."))
    return tostring(_clean(root), encoding="unicode")


def _clean(element):
    local = element.tag.split("}", 1)[-1]
    copy = Element(local)
    if local == "svg":
        copy.set("xmlns", SVG_NS)
        copy.set("xmlns:xlink", XLINK_NS)
    for name, value in element.attrib.items():
        if name in LINKS:
            if value.startswith(("#", "data:image/png;")):
                copy.set("href" if name == "href" else "xlink:href", value)
        elif name in ATTRIBUTES and _fetches_nothing(tinycss2.parse_component_value_list(value, skip_comments=True)):
            copy.set(name, value)
    # A style attribute wins over presentation attributes, as in a browser; @rules and other properties go.
    for declaration in tinycss2.parse_blocks_contents(element.get("style", ""), skip_comments=True):
        if declaration.type == "declaration" and declaration.lower_name in PRESENTATION:
            if _fetches_nothing(declaration.value):
                copy.set(declaration.lower_name, tinycss2.serialize(declaration.value).strip())
    copy.text = element.text
    for child in element:
        namespace, _brace, name = child.tag[1:].partition("}") if child.tag.startswith("{") else ("", "", child.tag)
        if namespace == SVG_NS and name in DRAWING:
            cleaned = _clean(child)
            cleaned.tail = child.tail
            copy.append(cleaned)
    return copy


def _fetches_nothing(tokens) -> bool:
    """True when CSS component values load and run nothing: url() only to a fragment of the image itself, no
    function but colours and transforms, no @rule. tinycss2 has decoded escapes and dropped comments already, so
    u\\72l( or \\75 rl( arrive here as url(, and exp/**/ression( as two harmless tokens."""
    for token in tokens:
        if token.type in ("error", "at-keyword"):
            return False
        if token.type == "url" and not token.value.startswith("#"):
            return False
        if token.type == "function":
            if token.lower_name == "url":
                target = [t for t in token.arguments if t.type != "whitespace"]
                if not (len(target) == 1 and target[0].type == "string" and target[0].value.startswith("#")):
                    return False
            elif token.lower_name not in CSS_FUNCTIONS or not _fetches_nothing(token.arguments):
                return False
        if token.type.endswith("block") and not _fetches_nothing(token.content):
            return False
    return True


def program_badge_png(program) -> bytes:
    """The program's badge as PNG: the uploaded one when it is a PNG, else the drawn one."""
    if program.image and program.image.name.lower().endswith(".png"):
        with program.image.open("rb") as handle:
            return handle.read()
    return badge_png(program)


def program_badge_svg(program) -> str:
    """The program's badge as SVG: the uploaded (cleaned) one when it is an SVG, else the drawn one."""
    if program.image and program.image.name.lower().endswith(".svg"):
        with program.image.open("rb") as handle:
            return handle.read().decode()
    return badge_svg(program)
