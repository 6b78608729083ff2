"""Baked badges: a credential carried inside its badge image, so the image alone can be verified.

Open Badges 3.0 (§ 5.3 "Baking"): a PNG with an iTXt chunk keyword ``openbadgecredential``, or an SVG with an
``<openbadges:credential>`` element (namespace https://purl.imsglobal.org/ob/v3p0) holding the credential.
Open Badges 2.0: a PNG with an iTXt chunk keyword ``openbadges`` holding the assertion. Pillow writes and reads
the PNG chunks; the SVG is checked with defusedxml and gets
its ``<openbadges:credential>`` as the root's first child.
"""

import io
import json
import re

from defusedxml import ElementTree as SafeElementTree
from PIL import Image, PngImagePlugin

OB3_PNG_KEYWORD = "openbadgecredential"
OB2_PNG_KEYWORD = "openbadges"
OB3_NS = "https://purl.imsglobal.org/ob/v3p0"
SVG_START = re.compile(r"<svg\b[^>]*(?<!/)>")
BAKED_SVG = re.compile(r"<openbadges:credential>.*?</openbadges:credential>", re.DOTALL)


class NotBaked(ValueError):
    """The image carries no badge."""


def bake_png(png: bytes, document: dict, keyword: str = OB3_PNG_KEYWORD) -> bytes:
    with Image.open(io.BytesIO(png)) as image:
        info = PngImagePlugin.PngInfo()
        for key, value in getattr(image, "text", {}).items():
            if key not in (OB3_PNG_KEYWORD, OB2_PNG_KEYWORD):  # a badge image is baked once, never twice
                info.add_text(key, value)
        info.add_itxt(keyword, json.dumps(document, ensure_ascii=False, separators=(",", ":")), zip=False)
        out = io.BytesIO()
        image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def extract_png(png: bytes, keyword: str = OB3_PNG_KEYWORD) -> dict:
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        text = getattr(image, "text", {}).get(keyword)
    if text is None:
        raise NotBaked(f"This PNG has no {keyword} chunk.")
    return json.loads(text)


def bake_svg(svg: str, credential: dict) -> str:
    """Insert the credential as the root's first child, in a CDATA section, leaving the drawing as it is."""
    SafeElementTree.fromstring(svg.encode())  # only an image that parses safely is baked
    svg = BAKED_SVG.sub("", svg)
    opening = SVG_START.search(svg)
    if opening is None:
        raise NotBaked("This is not an SVG image.")
    tag = opening.group(0)
    if "xmlns:openbadges" not in tag:
        tag = f'{tag[:-1]} xmlns:openbadges="{OB3_NS}">'
    payload = json.dumps(credential, ensure_ascii=False, separators=(",", ":")).replace("]]>", "]]]]><![CDATA[>")
    carrier = f"<openbadges:credential><![CDATA[{payload}]]></openbadges:credential>"
    return svg[: opening.start()] + tag + carrier + svg[opening.end() :]


def extract_svg(svg: str) -> dict:
    carrier = SafeElementTree.fromstring(svg.encode()).find(f"{{{OB3_NS}}}credential")
    if carrier is None or not (carrier.text or "").strip():
        raise NotBaked("This SVG has no openbadges:credential element.")
    return json.loads(carrier.text)
