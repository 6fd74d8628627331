"""Who is signed in: the user, their employee record, their roles' facts and their unread
notifications, read in one fixed statement on every request."""

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection

from govtrain.accounts.access import FACT_COLUMNS, access_from_facts, fact_joins, remember_access
from govtrain.accounts.models import User
from govtrain.core.fixed_sql import Columns, split_row
from govtrain.notifications.selectors import remember_unread, unread_count_sql
from govtrain.people.models import Employee


@cache
def _signed_in_statement() -> tuple[Columns[User], Columns[Employee], str]:
    users, employees = Columns(User, "u"), Columns(Employee, "e")
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {users.sql}, {employees.sql}, {unread_count_sql('u.id')}, {FACT_COLUMNS}"  # noqa: S608 - names only
        f" FROM {quote(User._meta.db_table)} u"
        f" LEFT JOIN {quote(Employee._meta.db_table)} e ON e.{quote('user_id')} = u.id"
        f" LEFT JOIN ({fact_joins()}) ON a.user_id = u.id"
        " WHERE u.id = %s"
    )
    return users, employees, sql


class UserWithEmployeeBackend(ModelBackend):
    """Django's model backend, loading with the user what every page asks for: their
    employee record (the permission layer, the navigation), their access (one row per
    role assignment) and the navigation's unread count.

    Four ORM queries cost ~3 ms of a learner's page on PostgreSQL, most of it compiling
    statements and waiting for four answers; this is one fixed statement
    (govtrain.core.fixed_sql) that builds the same instances.
    """

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        users, employees, sql = _signed_in_statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            rows = cursor.fetchall()
        if not rows:
            return None
        user, employee = split_row(rows[0], users, employees)
        if not isinstance(user, User):  # the WHERE found the row: never None
            return None
        # What select_related("employee") leaves: user.employee without a query, or
        # RelatedObjectDoesNotExist at once for a login that is no employee.
        User._meta.get_field("employee").set_cached_value(user, employee)
        if employee is not None:
            Employee._meta.get_field("user").set_cached_value(employee, user)
        facts_at = len(users) + len(employees) + 1
        remember_unread(user, int(rows[0][facts_at - 1]))
        facts = [row[facts_at:] for row in rows if row[facts_at] is not None]  # LEFT JOIN
        remember_access(user, access_from_facts(user, facts))
        return user if self.user_can_authenticate(user) else None
