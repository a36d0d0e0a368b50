"""The project's base for django-import-export resources: all or nothing, bad rows by number.

django-import-export 4.4 wraps `import_data()` in one transaction, but only rolls it back for
row *errors* (exceptions); rows refused by validation are skipped and the rest is written
unless `rollback_on_validation_errors=True` is passed, which the admin's confirm step does
not do. `GuardedModelResource` forces both flags, refuses files over `max_rows` before reading
a single row, neutralises formula cells on export and reports every problem in Chinese with
the line number the person sees in Excel (the header is line 1).
"""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Error, Result

from .exports import safe_cell

HEADER_LINES = 1  # data row 1 of django-import-export is Excel line 2


@dataclass
class ImportProblem:
    line: int | None  # Excel line number, None for a problem with the whole file
    messages: list[str] = field(default_factory=list)

    def __str__(self):
        text = "；".join(self.messages)
        if self.line is None:
            return text
        return _("第 %(line)d 行：%(text)s") % {"line": self.line, "text": text}


class GuardedResult(Result):
    """A Result that can explain itself in Chinese (set by the resource after importing)."""

    problems: list[ImportProblem]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []

    def has_problems(self) -> bool:
        return self.has_errors() or self.has_validation_errors()


class GuardedModelResource(resources.ModelResource):
    """Subclass for every staff import: caps rows, validates all rows, writes all or none.

    Pass `user=` when constructing it (the admin does, see `get_*_resource_kwargs`) so that
    subclasses can scope what the person may import or see.
    """

    max_rows = 5000

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    # ---- import -------------------------------------------------------------------------
    def get_result_class(self):
        return GuardedResult

    def required_columns(self) -> list[str]:
        """Column headers a file must carry (default: none)."""
        return []

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=False, rollback_on_validation_errors=False, **kwargs):
        refusal = self._file_refusal(dataset)
        if refusal:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            result.append_base_error(Error(ValidationError(refusal)))
            result.problems = [ImportProblem(None, [refusal])]
            return result
        # One transaction for the whole file, rolled back for any bad row of any kind.
        result = super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True, **kwargs,
        )
        result.problems = self.problems_of(result)
        return result

    def _file_refusal(self, dataset) -> str | None:
        if len(dataset) > self.max_rows:
            return _("文件有 %(rows)d 行数据，超过每个文件 %(max)d 行的上限，请拆分后分批导入。") % {
                "rows": len(dataset), "max": self.max_rows,
            }
        headers = [str(h).strip() for h in (dataset.headers or []) if h is not None]
        missing = [c for c in self.required_columns() if c not in headers]
        if missing:
            return _("文件缺少以下列：%(cols)s。请使用导出的模板填写。") % {"cols": "、".join(missing)}
        if not len(dataset):
            return _("文件中没有数据行。")
        return None

    def column_label(self, key: str) -> str:
        """The column header for a field attribute named in a ValidationError."""
        for name, fld in self.fields.items():
            if key in (name, fld.attribute):
                return str(fld.column_name)
        return key

    def problems_of(self, result: Result) -> list[ImportProblem]:
        """Every bad row, in Chinese, by Excel line number."""
        by_line: dict[int | None, ImportProblem] = {}

        def add(line, message):
            by_line.setdefault(line, ImportProblem(line)).messages.append(message)

        for error in result.base_errors:
            add(None, self.error_text(error.error))
        for error_row in result.error_rows:
            for error in error_row.errors:
                add(error_row.number + HEADER_LINES, self.error_text(error.error))
        for row in result.invalid_rows:
            for key, messages in row.error_dict.items():
                for message in messages:
                    if key == NON_FIELD_ERRORS:
                        add(row.number + HEADER_LINES, str(message))
                    else:
                        add(row.number + HEADER_LINES, f"{self.column_label(key)}：{message}")
        return sorted(by_line.values(), key=lambda p: (p.line is not None, p.line or 0))

    def error_text(self, exc) -> str:
        if isinstance(exc, ValidationError):
            return "；".join(exc.messages)
        if isinstance(exc, IntegrityError):
            return _("与已有数据冲突（可能是重复的证件号码、手机号码或会员号）。")
        return _("无法导入此行：%(error)s") % {"error": exc}

    # ---- export -------------------------------------------------------------------------
    def export_resource(self, instance, selected_fields=None, **kwargs):
        values = super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        return [safe_cell(v) for v in values]
