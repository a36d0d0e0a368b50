"""SMS texts as templates staff can edit (SmsTemplate), with the code's defaults beside them.

An app declares each of its texts once, at import time of its module:

    sms_template_register("rights.case_decided", name="维权案件办理进展",
                          text="您的维权案件{number}{status}。{detail}",
                          placeholders=["number", "status", "detail"])

and a sender renders it with `sms_text("rights.case_decided", number=..., status=..., detail=...)`.
The row is created from the default on first use, so a new key needs no migration; staff edit the
text in admin, where the placeholders it may use are shown and any other `{...}` is refused.
A value the sender gives but the template leaves out is simply not shown.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class TemplateDefault:
    key: str
    name: str
    text: str
    placeholders: tuple[str, ...]


_defaults: dict[str, TemplateDefault] = {}


def sms_template_register(key: str, *, name: str, text: str, placeholders: list[str] | tuple[str, ...]) -> str:
    """Declare an SMS text and its placeholders; returns the key. The default must itself pass
    the placeholder check (a typo in code fails at import, not at the first decision)."""
    problem = template_check(text, placeholders)
    if problem:
        raise ValueError(f"SMS template {key}: {problem}")
    _defaults[key] = TemplateDefault(key=key, name=name, text=text, placeholders=tuple(placeholders))
    return key


def template_defaults() -> dict[str, TemplateDefault]:
    return dict(_defaults)


def placeholders_used(text: str) -> list[str]:
    """The `{name}` fields of a template, in order; raises ValueError on broken braces."""
    return [field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None]


def template_check(text: str, allowed) -> str:
    """Why `text` is not a valid template for these placeholders ("" when it is)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return _("花括号不成对：占位符写作 {名称}，文字中的花括号请写成 {{ 或 }}。")
    allowed = set(allowed)
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field or spec or conversion or not field.isidentifier():
            return _("占位符“{%(field)s}”写法不对，只能写作 {名称}。") % {"field": field}
        if field not in allowed:
            return _("不能使用占位符“{%(field)s}”。可用的占位符：%(allowed)s") % {
                "field": field, "allowed": "、".join(f"{{{name}}}" for name in sorted(allowed)) or _("（无）"),
            }
    return ""


class _Values(dict):
    def __missing__(self, key):  # a placeholder the sender left out shows as nothing
        return ""


def sms_template_get(key: str):
    """The SmsTemplate row of `key`, created from the code's default on first use."""
    from .models import SmsTemplate

    default = _defaults.get(key)
    if default is None:
        raise KeyError(f"no SMS template registered as {key!r}")
    template, created = SmsTemplate.objects.get_or_create(
        key=key, defaults={"name": default.name, "text": default.text, "placeholders": ",".join(default.placeholders)},
    )
    if not created and template.placeholders != ",".join(default.placeholders):
        # The code now fills other values: keep the staff's text, update what it may use.
        template.placeholders = ",".join(default.placeholders)
        template.save(update_fields=["placeholders"])
    return template


def sms_text(key: str, **values) -> str:
    """The text of template `key` with `values` filled in (the signature is added when queued).

    A stored text that no longer passes the check (edited in the database by hand) falls back
    to the code's default, so a member still gets a sensible message."""
    template = sms_template_get(key)
    text = template.text
    if template_check(text, template.allowed):
        text = _defaults[key].text
    return text.format_map(_Values({name: "" if value is None else str(value) for name, value in values.items()}))
