from django.db import connection
from django.db.models import QuerySet

from govtrain.accounts.models import User
from govtrain.notifications.models import Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


# Every page's navigation shows the count: a fixed statement on the (user, read_at) index,
# as the ORM took ten times longer to compile the query than the database to answer it.
_UNREAD_SQL = "SELECT COUNT(*) FROM {table} WHERE user_id = %s AND read_at IS NULL"


def notifications_unread_count(*, user: User) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            _UNREAD_SQL.format(table=connection.ops.quote_name(Notification._meta.db_table)),
            [user.pk],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
