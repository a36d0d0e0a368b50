"""makemessages that also reads `_lazy(...)`, the project's name for gettext_lazy in forms.

xgettext only knows Django's own names; without this the labels and help texts of the forms
that import `gettext_lazy as _lazy` never reach the catalogue (and a rerun drops them)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy"]
