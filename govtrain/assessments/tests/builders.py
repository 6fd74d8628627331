"""Tiny builders of banks, questions and quizzes for the assessment tests, through the
services the pages use."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from govtrain.accounts.models import User
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz, Response
from govtrain.assessments.services import banks, quizzes
from govtrain.catalog.models import Course

K = Question.Kind


def bank_of(course: Course, by: User, title: str = "Right to Information Act") -> QuestionBank:
    return banks.bank_save(
        provider=course.provider,
        data=banks.BankInput(title_en=title, title_ml="വിവരാവകാശ നിയമം", course_id=course.pk),
        by=by,
    )


def question(
    bank: QuestionBank,
    by: User,
    kind: str,
    text: str,
    *,
    choices: Sequence[tuple[str, bool]] = (),
    **fields: Any,
) -> Question:
    data = banks.QuestionInput(
        kind=kind,
        text_en=text,
        text_ml=fields.pop("text_ml", ""),
        choices=[banks.ChoiceInput(text_en=t, is_correct=c) for t, c in choices],
        **fields,
    )
    return banks.question_save(bank=bank, data=data, by=by)


def one_of_each(bank: QuestionBank, by: User) -> dict[str, Question]:
    """Six questions of the RTI Act, one of each kind, each worth its points."""
    return {
        K.SINGLE: question(
            bank,
            by,
            K.SINGLE,
            "Within how many days must a PIO answer an RTI application?",
            text_ml="വിവരാവകാശ അപേക്ഷയ്ക്ക് എത്ര ദിവസത്തിനകം മറുപടി നൽകണം?",
            choices=[("30 days", True), ("45 days", False), ("60 days", False)],
            competency="RTI: time limits",
            difficulty=Question.Difficulty.EASY,
            explanation_en="Section 7(1): thirty days.",
        ),
        K.MULTIPLE: question(
            bank,
            by,
            K.MULTIPLE,
            "Which of these are exempt from disclosure under section 8?",
            choices=[
                ("Cabinet papers", True),
                ("Information received in confidence from a foreign government", True),
                ("The office's attendance register", False),
                ("Tender results already published", False),
            ],
            points=Decimal(2),
            competency="RTI: exemptions",
            difficulty=Question.Difficulty.HARD,
        ),
        K.TRUE_FALSE: question(
            bank,
            by,
            K.TRUE_FALSE,
            "An applicant must give reasons for asking for information.",
            true_is_correct=False,
            competency="RTI: applications",
        ),
        K.NUMERIC: question(
            bank,
            by,
            K.NUMERIC,
            "What is the application fee in Kerala, in rupees?",
            numeric_answer=Decimal(10),
            numeric_tolerance=Decimal(0),
            competency="RTI: applications",
        ),
        K.SHORT: question(
            bank,
            by,
            K.SHORT,
            "Who hears the first appeal?",
            accepted_answers=["Appellate Authority", "first appellate authority", "അപ്പീൽ അധികാരി"],
            competency="RTI: appeals",
        ),
        K.ESSAY: question(
            bank,
            by,
            K.ESSAY,
            "Explain how you would handle an application that concerns another office.",
            points=Decimal(5),
            explanation_en="Transfer under section 6(3) within five days and tell the applicant.",
        ),
    }


def quiz_of(
    course: Course,
    by: User,
    *,
    fixed: Sequence[Question] = (),
    draws: Sequence[dict[str, Any]] = (),
    publish: bool = True,
    **settings: Any,
) -> Quiz:
    """A quiz with the questions fixed in order and the draws after them."""
    settings.setdefault("title_en", "Check yourself: RTI")
    settings.setdefault("shuffle_choices", False)
    data = quizzes.QuizInput(**settings)
    quiz = quizzes.quiz_save(course=course, data=data, by=by)
    for q in fixed:
        quizzes.quiz_rule_add(quiz=quiz, by=by, question=q)
    for draw in draws:
        quizzes.quiz_rule_add(quiz=quiz, by=by, **draw)
    if publish:
        data.is_published = True
        quiz = quizzes.quiz_save(course=course, quiz=quiz, data=data, by=by)
    return quiz


def right_answer(response: Response) -> dict[str, Any]:
    """The answer that earns every point (an essay: some text)."""
    q = response.question
    correct = [c.pk for c in q.choices.all() if c.is_correct]
    if q.kind == K.SINGLE:
        return {"choice": correct[0]}
    if q.kind == K.MULTIPLE:
        return {"choices": correct}
    if q.kind == K.TRUE_FALSE:
        return {"value": q.true_is_correct}
    if q.kind == K.NUMERIC:
        return {"value": str(q.numeric_answer)}
    if q.kind == K.SHORT:
        return {"text": q.accepted_answers[0]}
    return {"text": "I would transfer it to the office that holds the information."}


def wrong_answer(response: Response) -> dict[str, Any]:
    q = response.question
    wrong = [c.pk for c in q.choices.all() if not c.is_correct]
    if q.kind == K.SINGLE:
        return {"choice": wrong[0]}
    if q.kind == K.MULTIPLE:
        return {"choices": wrong}
    if q.kind == K.TRUE_FALSE:
        return {"value": not q.true_is_correct}
    if q.kind == K.NUMERIC:
        return {"value": "100"}
    if q.kind == K.SHORT:
        return {"text": "The collector"}
    return {"text": "I would return it."}


def responses_of(attempt: Attempt) -> list[Response]:
    return list(
        attempt.responses.select_related("question")
        .prefetch_related("question__choices")
        .order_by("position")
    )
