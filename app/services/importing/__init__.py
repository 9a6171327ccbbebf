"""Importing the incubator's records from a spreadsheet: every row checked, all stored or none.

``run_import`` reads the rows of a file into a kind's columns, then stores each row through the
same service a form uses, inside a savepoint of its own: a row the rules refuse is rolled back
alone and its errors noted, so one pass finds every error and later rows see earlier ones (a
second lease of the same office in the file overlaps the first). With ``dry_run`` (the preview),
or when any row has an error, everything is undone; otherwise the caller commits once.
"""

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import User
from app.services.errors import Conflict, DomainError, NotAllowed, NotFound, RuleViolation
from app.services.importing.columns import CellError, Column, cell_text, header_key
from app.services.importing.companies import CompanyImport
from app.services.importing.files import RawSheet
from app.services.importing.kinds import ImportKind
from app.services.importing.leases import LeaseImport
from app.services.importing.people import PeopleImport
from app.services.importing.spaces import SpaceImport

ACTIONS = ("create", "update", "unchanged")
KINDS: dict[str, type[ImportKind]] = {
    kind.name: kind for kind in (CompanyImport, SpaceImport, LeaseImport, PeopleImport)
}


@dataclass
class RowError:
    """One problem of a row: in a column (its header as in the file) or in the row as a whole."""

    column: str | None
    message: Any  # lazy: translated when shown


@dataclass
class RowResult:
    """What became (or would become) of one row of the file."""

    number: int
    label: str = ""
    action: str | None = None  # create, update, unchanged; None when the row has errors
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # header: (old, new)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of a file: its rows, problems of the file as a whole, whether it was stored."""

    kind: str
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Any] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    stored: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """No problem with the file and none in any row."""
        return not self.problems and not any(row.errors for row in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        """Rows by what becomes of them, plus ``error`` and ``total``."""
        found = Counter(row.action or "error" for row in self.rows)
        return {name: found.get(name, 0) for name in (*ACTIONS, "error")} | {
            "total": len(self.rows)
        }

    @property
    def failed_rows(self) -> list[RowResult]:
        """The rows with errors, in file order."""
        return [row for row in self.rows if row.errors]


class ImportRefused(DomainError):
    """Nothing was stored: the file, or at least one row, has errors (all are in ``report``)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _l(
                "Nothing was imported: correct the rows with errors first (%(count)d).",
                count=len(report.failed_rows),
            )
            if report.rows
            else _l("Nothing was imported.")
        )
        self.report = report


def import_kind(name: str) -> ImportKind:
    """The kind of import called ``name`` (companies, spaces, leases, people)."""
    if name not in KINDS:
        raise NotFound(_l("There is no import of %(kind)s.", kind=name))
    return KINDS[name]()


def _map_header(kind: ImportKind, sheet: RawSheet, report: ImportReport) -> dict[int, Column]:
    """The file's columns that the kind knows, by position; unknown ones are noted, missing
    required ones are problems of the file."""
    by_key = {key: column for column in kind.columns for key in column.header_keys()}
    mapped: dict[int, Column] = {}
    for index, text in enumerate(sheet.header):
        column = by_key.get(header_key(text))
        if column is None:
            if text:
                report.ignored_columns.append(text)
        elif column in mapped.values():
            report.problems.append(_l("The column %(name)s appears twice.", name=text))
        else:
            mapped[index] = column
    for column in kind.columns:
        if column.required and column not in mapped.values():
            report.problems.append(
                _l("The column %(name)s is missing (see the template).", name=column.header)
            )
    return mapped


def _read_row(mapped: dict[int, Column], cells: list[Any], result: RowResult) -> dict[str, Any]:
    """The row's values by column key; a cell that cannot be read adds an error."""
    values: dict[str, Any] = {}
    for index, column in mapped.items():
        cell = cells[index] if index < len(cells) else None
        try:
            values[column.key] = column.read(cell)
        except CellError as error:
            result.errors.append(RowError(column.header, error.message))
    return values


def _store_row(
    actor: User | None, kind: ImportKind, values: dict[str, Any], result: RowResult
) -> None:
    """Store one row in a savepoint of its own; roll it alone back if the rules refuse it."""
    headers = {column.key: column.header for column in kind.columns}
    savepoint = db.session.begin_nested()
    try:
        plan = kind.apply(actor, values)
    except NotAllowed as error:
        savepoint.rollback()
        result.errors.append(RowError(headers.get(kind.refusal_column or ""), error.message))
    except RuleViolation as error:
        savepoint.rollback()
        column = kind.column_of(error.field)
        result.errors.append(RowError(headers.get(column or ""), error.message))
    except Conflict as error:
        savepoint.rollback()
        result.errors.append(RowError(headers.get(kind.conflict_column or ""), error.message))
    except DomainError as error:
        savepoint.rollback()
        result.errors.append(RowError(None, error.message))
    except sa.exc.IntegrityError:
        # The checks passed but the database refused: someone stored the same thing meanwhile.
        savepoint.rollback()
        result.errors.append(RowError(None, _l("This row clashes with a record saved meanwhile.")))
    else:
        savepoint.commit()
        result.action, result.label = plan.action, plan.label
        result.changes = {headers.get(key, key): change for key, change in plan.changes.items()}


def run_import(
    actor: User | None, kind_name: str, sheet: RawSheet, *, dry_run: bool = False
) -> ImportReport:
    """Check every row of ``sheet`` and store them all, or (``dry_run``, or any error) none.

    Raises ``ImportRefused`` with the report when not a dry run and something is wrong; the
    caller then rolls back. A dry run leaves the session as it found it.
    """
    started = time.perf_counter()
    kind = import_kind(kind_name)
    report = ImportReport(kind=kind.name)
    mapped = _map_header(kind, sheet, report)
    if kind.needs_actor and actor is None:
        report.problems.append(_l("Say which manager sends the invitations."))
    if report.problems:
        report.seconds = time.perf_counter() - started
        if dry_run:
            return report
        raise ImportRefused(report)
    outer = db.session.begin_nested()
    try:
        kind.prepare()
        _run_rows(actor, kind, mapped, sheet, report)
    except BaseException:
        outer.rollback()
        raise
    if dry_run or not report.ok:
        outer.rollback()
    else:
        outer.commit()
        report.stored = True
    report.seconds = time.perf_counter() - started
    if not dry_run and not report.ok:
        raise ImportRefused(report)
    return report


def _run_rows(
    actor: User | None,
    kind: ImportKind,
    mapped: dict[int, Column],
    sheet: RawSheet,
    report: ImportReport,
) -> None:
    seen: dict[Any, int] = {}
    example = kind.example_identity()
    for number, cells in sheet.rows:
        result = RowResult(number=number)
        report.rows.append(result)
        values = _read_row(mapped, cells, result)
        result.label = cell_text(cells[min(mapped)] if cells and mapped else "")
        if result.errors:
            continue
        identity = kind.identity(dict(values))
        if identity == example:
            result.errors.append(
                RowError(None, _l("This is the template's example row: replace or delete it."))
            )
            continue
        if identity in seen:
            result.errors.append(
                RowError(None, _l("Row %(row)d holds the same record.", row=seen[identity]))
            )
            continue
        seen[identity] = number
        _store_row(actor, kind, values, result)
