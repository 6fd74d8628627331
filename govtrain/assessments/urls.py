from django.urls import URLPattern, URLResolver, path

from govtrain.assessments.views import authoring, grading, learner

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    # The learner's side.
    path("quizzes/<int:pk>/", learner.quiz_detail, name="quiz-detail"),
    path("quizzes/<int:pk>/start/", learner.quiz_start, name="quiz-start"),
    path("attempts/<int:pk>/", learner.attempt_detail, name="attempt-detail"),
    path(
        "attempts/<int:pk>/answers/<int:question_pk>/",
        learner.response_save,
        name="response-save",
    ),
    path("attempts/<int:pk>/submit/", learner.attempt_submit, name="attempt-submit"),
    path("attempts/<int:pk>/result/", learner.attempt_result, name="attempt-result"),
    # Question banks.
    path("assessments/banks/", authoring.bank_list, name="bank-list"),
    path("assessments/banks/new/", authoring.bank_create, name="bank-create"),
    path("assessments/banks/<int:pk>/", authoring.bank_detail, name="bank-detail"),
    path("assessments/banks/<int:pk>/edit/", authoring.bank_edit, name="bank-edit"),
    path(
        "assessments/banks/<int:pk>/questions/new/",
        authoring.question_create,
        name="question-create",
    ),
    path("assessments/questions/<int:pk>/", authoring.question_edit, name="question-edit"),
    path(
        "assessments/questions/<int:pk>/delete/",
        authoring.question_delete,
        name="question-delete",
    ),
    path("assessments/questions/<int:pk>/key/", authoring.question_key, name="question-key"),
    # Quizzes, their results and item analysis.
    path("assessments/courses/<int:pk>/quizzes/", authoring.course_quizzes, name="course-quizzes"),
    path("assessments/courses/<int:pk>/quizzes/new/", authoring.quiz_create, name="quiz-create"),
    path("assessments/quizzes/<int:pk>/", authoring.quiz_edit, name="quiz-edit"),
    path("assessments/quizzes/<int:pk>/delete/", authoring.quiz_delete, name="quiz-delete"),
    path("assessments/quizzes/<int:pk>/rules/", authoring.rule_add, name="rule-add"),
    path("assessments/rules/<int:pk>/delete/", authoring.rule_delete, name="rule-delete"),
    path("assessments/quizzes/<int:pk>/results/", authoring.quiz_results, name="quiz-results"),
    path("assessments/quizzes/<int:pk>/items/", authoring.item_analysis, name="item-analysis"),
    path("assessments/attempts/<int:pk>/", authoring.attempt_review, name="attempt-review"),
    # Grading.
    path("assessments/grading/", grading.grading_queue, name="grading-queue"),
    path(
        "assessments/grading/responses/<int:pk>/",
        grading.response_grade,
        name="response-grade",
    ),
]
