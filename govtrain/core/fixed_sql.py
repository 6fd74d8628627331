"""Model instances from fixed SQL statements, for the few reads made on every request.

Compiling an ORM query costs far more than SQLite or PostgreSQL take to answer a lookup
by key: loading the signed-in user with their employee record took ~1.2 ms through
`select_related`, ~0.05 ms as a fixed statement. `Columns` names a model's columns for
such a statement and turns the values back into an instance with the conversions the
ORM applies (aware datetimes, booleans, JSON, decimals), so the instance is the one the
ORM would have built.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


class Columns(Generic[M]):
    """The concrete columns of `model` under a table alias, and how to read them back;
    with `only`, those fields (by name or attname) and the primary key: the others are
    deferred on the instances, as with QuerySet.only()."""

    def __init__(self, model: type[M], alias: str, only: Sequence[str] | None = None) -> None:
        self.model = model
        self.alias = alias
        pk = model._meta.pk.attname
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if only is None or field.attname == pk or {field.name, field.attname} & set(only)
        ]
        self.attnames = [field.attname for field in self.fields]
        self.pk_index = self.attnames.index(pk)
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(str(field.column))}" for field in self.fields)
        self._converters: dict[int, tuple[list[Converter], Any]] | None = None

    def __len__(self) -> int:
        return len(self.fields)

    def converters(self) -> dict[int, tuple[list[Converter], Any]]:
        # As SQLCompiler.get_converters: the backend's converters, then the field's.
        if self._converters is None:
            found = {}
            for index, field in enumerate(self.fields):
                column = field.get_col(self.alias)
                chain = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if chain:
                    found[index] = (chain, column)
            self._converters = found
        return self._converters

    def instance(self, values: Sequence[Any]) -> M:
        """The model instance of one row's values for these columns (in this order)."""
        converted = list(values)
        for index, (chain, column) in self.converters().items():
            value = converted[index]
            for convert in chain:
                value = convert(value, column, connection)
            converted[index] = value
        return self.model.from_db(connection.alias, self.attnames, converted)


def split_row(row: Sequence[Any], *columns: Columns[Any]) -> list[Any]:
    """One instance per `columns`, from a row that selected their `sql` in that order;
    None where an outer join found nothing (a NULL primary key)."""
    instances: list[Any] = []
    start = 0
    for cols in columns:
        values = row[start : start + len(cols)]
        start += len(cols)
        instances.append(cols.instance(values) if values[cols.pk_index] is not None else None)
    return instances
