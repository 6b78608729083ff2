import json
from functools import cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from awards.models import Award

SCHEMAS = Path(__file__).resolve().parents[2] / "awards" / "vc" / "standards" / "schemas"


@cache
def validator(name="ob_v3p0_achievementcredential_schema.json"):
    schema = json.loads((SCHEMAS / name).read_text())
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    return jsonschema.Draft201909Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def schema_errors(document, name="ob_v3p0_achievementcredential_schema.json"):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]


def credential_of(award):
    award = Award.objects.get(pk=award.pk)
    return json.loads(award.credential)


def did_public_key(client, method):
    document = client.get("/.well-known/did.json").json()
    return next(m["publicKeyMultibase"] for m in document["verificationMethod"] if m["id"] == method)
