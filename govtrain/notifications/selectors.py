from django.db import connection
from django.db.models import QuerySet

from govtrain.accounts.models import User
from govtrain.notifications.models import Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


# Every page's navigation shows the count: a fixed statement on the (user, read_at) index,
# as the ORM took ten times longer to compile the query than the database to answer it.
# For the signed-in user it comes with the user (accounts.backends): the count as the
# request began, until a service here changes it.
_UNREAD_SQL = "SELECT COUNT(*) FROM {table} n WHERE n.user_id = {user} AND n.read_at IS NULL"
_UNREAD_MEMO = "_govtrain_unread"


def unread_count_sql(user_column: str) -> str:
    """The unread count of the user in `user_column`, as a scalar subquery."""
    table = connection.ops.quote_name(Notification._meta.db_table)
    return "(" + _UNREAD_SQL.format(table=table, user=user_column) + ")"


# A memo on the user instance, as accounts.access keeps the user's access (and why
# through setattr/delattr).
def remember_unread(user: User, count: int) -> None:
    setattr(user, _UNREAD_MEMO, count)


def forget_unread(user: User) -> None:
    if hasattr(user, _UNREAD_MEMO):
        delattr(user, _UNREAD_MEMO)


def notifications_unread_count(*, user: User) -> int:
    remembered: int | None = getattr(user, _UNREAD_MEMO, None)
    if remembered is not None:
        return remembered
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Notification._meta.db_table)
        cursor.execute(_UNREAD_SQL.format(table=table, user="%s"), [user.pk])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
