import os

from django.urls import URLPattern, URLResolver, path

from govtrain.lrs import views, xapi

app_name = "lrs"
urlpatterns: list[URLPattern | URLResolver] = [
    path("lrs/clients/", views.client_list, name="client-list"),
    path("lrs/clients/<int:pk>/revoke/", views.client_revoke, name="client-revoke"),
    # The xAPI resources (xAPI 1.0.3 part three, 2.1): no trailing slash, as clients send them.
    path("xapi/about", xapi.about, name="xapi-about"),
    path("xapi/statements", xapi.statements, name="xapi-statements"),
    path("xapi/activities", xapi.activities, name="xapi-activities"),
    path("xapi/activities/state", xapi.state, name="xapi-state"),
    path("xapi/activities/profile", xapi.activity_profile, name="xapi-activity-profile"),
    path("xapi/agents", xapi.agents, name="xapi-agents"),
    path("xapi/agents/profile", xapi.agent_profile, name="xapi-agent-profile"),
]

if os.environ.get("GOVTRAIN_LRS_BENCH_BASELINE") == "1":
    from govtrain.lrs import baseline

    urlpatterns.append(path("xapi/bench-baseline", baseline.store_body, name="bench-baseline"))
