"""The catalog's admin, one module per concern; importing them registers the model admins."""

from . import approvals, frameworks, pathways, programs  # noqa: F401
