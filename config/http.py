"""Responses for documents other programs fetch: credentials, DID documents, status lists, CTDL, OB 2.0."""

from django.http import JsonResponse

JSON_LD = "application/ld+json"


def public_json(document, content_type="application/json", **kwargs):
    """``document`` as readable JSON any origin may fetch (verifiers and registries run in browsers too)."""
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2}, **kwargs)
    response["Content-Type"] = content_type
    response["Access-Control-Allow-Origin"] = "*"
    return response
