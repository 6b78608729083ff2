from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from config.roles import REGISTRAR


class WalletsConfig(AppConfig):
    """Delivering credentials into learners' own wallets: offers, VC-API exchanges, OpenID4VCI, wallet copies."""

    name = "wallets"
    verbose_name = _("Wallets")
    role_permissions = {
        REGISTRAR: ["view_walletoffer", "view_walletcopy", "view_registeredclient", "delete_registeredclient"]
    }

    def ready(self):
        from config.roles import sync_app_roles

        post_migrate.connect(sync_app_roles, sender=self, dispatch_uid="wallets.sync_app_roles")
