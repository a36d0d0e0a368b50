from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.accounts"
    verbose_name = _("账户")

    def ready(self):
        from .otp import session_phones_forget
        from .roles import roles_sync

        post_migrate.connect(roles_sync, dispatch_uid="accounts_roles_sync")
        user_logged_in.connect(session_phones_forget, dispatch_uid="accounts_session_phones_forget")
