"""Every message a public or member page can show has an English translation.

The messages are read from the source (Python gettext calls and template translate tags), not
from the .po file, so a message someone adds without running makemessages and translating it
fails here. Staff screens may stay Chinese: admin modules and templates, imports, exports and
the staff e-mail digests are left out. Regenerate the catalogue as the README says.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
GETTEXT_NAMES = {
    "_": "gettext", "_lazy": "gettext", "gettext": "gettext", "gettext_lazy": "gettext",
    "pgettext": "pgettext", "pgettext_lazy": "pgettext",
    "ngettext": "ngettext", "ngettext_lazy": "ngettext",
}
# Modules and folders only staff see.
STAFF_ONLY_FILES = {"admin.py", "resources.py", "exports.py", "apps.py", "checks.py", "tasks.py"}
STAFF_ONLY_PARTS = {"admin", "email", "management", "migrations", "tests", "locale"}
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(rf"\b(n?p?gettext)\(({_LITERAL})(?:,\s*({_LITERAL}))?")


def _public(path: Path) -> bool:
    relative = path.relative_to(ROOT)
    return path.name not in STAFF_ONLY_FILES and not STAFF_ONLY_PARTS.intersection(relative.parts[:-1])


def _python_messages(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        kind = GETTEXT_NAMES.get(node.func.id)
        strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if kind is None or not strings:
            continue
        if kind == "pgettext" and len(strings) >= 2:
            yield f"{strings[0]}\x04{strings[1]}", node.lineno
        elif kind == "ngettext":
            yield (strings[0], 0), node.lineno
        elif kind == "gettext":
            yield strings[0], node.lineno


def _template_messages(path: Path):
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    for match in TEMPLATE_CALL.finditer(code):
        kind, first, second = match.groups()
        line = code.count("\n", 0, match.start()) + 1
        first = ast.literal_eval(first)
        if kind == "pgettext" and second:
            yield f"{first}\x04{ast.literal_eval(second)}", line
        elif kind == "ngettext":
            yield (first, 0), line
        else:
            yield first, line


def public_messages():
    """(msgid or catalogue key, "file:line") of every message outside the staff screens."""
    found = []
    for path in sorted((ROOT / "apps").rglob("*.py")) + sorted((ROOT / "yiwu_union").glob("*.py")):
        if _public(path):
            found += [(key, f"{path.relative_to(ROOT)}:{line}") for key, line in _python_messages(path)]
    templates = sorted((ROOT / "templates").rglob("*.html")) + sorted((ROOT / "apps").glob("*/templates/**/*.html"))
    for path in templates:
        if _public(path):
            found += [(key, f"{path.relative_to(ROOT)}:{line}") for key, line in _template_messages(path)]
    return found


def _text(key) -> str:
    return key[0] if isinstance(key, tuple) else key


def test_the_scan_finds_messages_of_forms_models_and_templates():
    keys = {_text(key) for key, _where in public_messages()}
    assert "证件号码" in keys  # membership/forms.py
    assert "您要找的页面不存在" in keys  # templates/404.html
    assert "这是座机号码。请填写11位手机号码，用于接收短信验证码和通知。" in keys  # core/validators.py
    assert not any(where.startswith("apps/members/admin.py") for _key, where in public_messages())


def test_every_public_and_member_message_has_an_english_translation():
    catalog = trans_real.translation("en")._catalog
    missing = sorted(
        {f"{where}: {_text(key)!r}" for key, where in public_messages()
         if CJK.search(_text(key)) and not catalog.get(key)}
    )
    assert not missing, (
        f"{len(missing)} message(s) shown on public or member pages have no English translation "
        "(run makemessages and translate them, see README):\n" + "\n".join(missing[:80])
    )


@pytest.mark.parametrize("message", ["义乌市总工会", "请输入11位手机号码。", "页面不存在"])
def test_a_known_message_reads_in_english(message):
    from django.utils import translation

    with translation.override("en"):
        assert not CJK.search(translation.gettext(message))
