from django.urls import URLPattern, URLResolver, path

from govtrain.learning.views import authoring, learner

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    # The learner's side.
    path("learn/", learner.my_learning, name="my-learning"),
    path("learn/courses/<int:pk>/", learner.course_learn, name="course-learn"),
    path("learn/courses/<int:pk>/enrol/", learner.course_enrol, name="course-enrol"),
    path("learn/lessons/<int:pk>/", learner.lesson_detail, name="lesson-detail"),
    path("learn/lessons/<int:pk>/heartbeat/", learner.lesson_heartbeat, name="lesson-heartbeat"),
    path("learn/lessons/<int:pk>/watched/", learner.lesson_watched, name="lesson-watched"),
    path("learn/lessons/<int:pk>/complete/", learner.lesson_complete, name="lesson-complete"),
    path("learn/lessons/<int:pk>/scorm-commit/", learner.scorm_commit, name="scorm-commit"),
    path("learn/lessons/<int:pk>/files/<str:kind>/", learner.lesson_file, name="lesson-file"),
    path(
        "learn/lessons/<int:pk>/captions/<str:language>.vtt",
        learner.caption_file,
        name="caption-file",
    ),
    # Authoring.
    path("learn/author/", authoring.author_course_list, name="author-course-list"),
    path("learn/author/courses/<int:pk>/", authoring.outline_edit, name="outline-edit"),
    path("learn/author/courses/<int:pk>/modules/", authoring.module_create, name="module-create"),
    path("learn/author/modules/<int:pk>/", authoring.module_edit, name="module-edit"),
    path("learn/author/modules/<int:pk>/move/", authoring.module_move, name="module-move"),
    path("learn/author/modules/<int:pk>/delete/", authoring.module_delete, name="module-delete"),
    path(
        "learn/author/modules/<int:pk>/lessons/new/",
        authoring.lesson_create,
        name="lesson-create",
    ),
    path("learn/author/lessons/<int:pk>/", authoring.lesson_edit, name="lesson-edit"),
    path("learn/author/lessons/<int:pk>/move/", authoring.lesson_move, name="lesson-move"),
    path("learn/author/lessons/<int:pk>/delete/", authoring.lesson_delete, name="lesson-delete"),
    path("learn/author/lessons/<int:pk>/captions/", authoring.caption_add, name="caption-add"),
    path("learn/flags/", authoring.flag_list, name="flag-list"),
    path("learn/flags/<int:pk>/resolve/", authoring.flag_resolve_view, name="flag-resolve"),
]
