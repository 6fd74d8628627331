"""The bench's baseline for single-statement ingestion (bench/lrs.py): a bare Django view
that stores the posted body as one row of a plain table, with no validation and no LRS.

Routed only when the server runs with GOVTRAIN_LRS_BENCH_BASELINE=1 (the bench sets it and
creates the table); a normal server has no such URL.
"""

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE = "lrs_bench_baseline"


@csrf_exempt
@require_POST
def store_body(request: HttpRequest) -> HttpResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s)", [request.body.decode()])  # noqa: S608 - a fixed table name
    return HttpResponse(status=204)
