"""Search that ignores case and accents: ``field__unaccent_icontains="chloe"`` finds "Chloé", "CHLOÉ" finds "Chloe".

Registered on CharField and TextField when this module is imported (the admin filter modules of learners and
awards import it, so admin searches and the export worker see it). PostgreSQL compares
``UPPER(unaccent(column))`` with ``UPPER(unaccent(pattern))`` — the ``unaccent`` extension is created by a
migration (workspace 0001); SQLite compares both sides folded by ``fold_for_search``, a Python function added to
every new connection. Other databases fall back to ``icontains``. docs/decisions/0012-search-and-export.md.
"""

import unicodedata

from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField
from django.db.models.lookups import IContains

SQLITE_FOLD_FUNCTION = "registry_fold_for_search"


def fold_for_search(value):
    """The text without accents and case: "Chloé Ærø" → "chloe ærø" (decomposed marks removed, casefolded)."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class UnaccentIContains(IContains):
    lookup_name = "unaccent_icontains"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"UPPER(unaccent({lhs}::text)) LIKE UPPER(unaccent({rhs}))", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        fold = SQLITE_FOLD_FUNCTION
        return f"{fold}({lhs}) LIKE {fold}({rhs}) ESCAPE '\\'", (*lhs_params, *rhs_params)


def _add_fold_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD_FUNCTION, 1, fold_for_search, deterministic=True)


CharField.register_lookup(UnaccentIContains)
TextField.register_lookup(UnaccentIContains)
connection_created.connect(_add_fold_function, dispatch_uid="config.search.fold_function")
for _open in connections.all(initialized_only=True):  # connections opened before this module was imported
    if _open.connection is not None:
        _add_fold_function(sender=type(_open), connection=_open)
