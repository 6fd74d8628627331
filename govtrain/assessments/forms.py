"""Forms of the assessment pages: parsing and messages only; the rules live in services."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from govtrain.assessments.models import Question, Quiz, Response
from govtrain.assessments.services.banks import BankInput, ChoiceInput, QuestionInput
from govtrain.assessments.services.grading import KeyInput
from govtrain.assessments.services.quizzes import QuizInput

K = Question.Kind
CHOICE_ROWS = 6
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _truth(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


def _truth_field(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: by field where the form has it (services
    name chosen records `<field>_id`), else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = name.removesuffix("_id")
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


TRUTH_CHOICES = [("", "—"), ("true", _("True")), ("false", _("False"))]


class BankForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ml = forms.CharField(label=_("Title (Malayalam)"), max_length=200, required=False)
    course = forms.TypedChoiceField(
        label=_("For the course"), coerce=int, required=False, empty_value=None
    )
    topic = forms.TypedChoiceField(
        label=_("Or for the topic"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        courses: Sequence[tuple[int, str]] = (),
        topics: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", "—"), *courses]  # type: ignore[attr-defined]
        self.fields["topic"].choices = [("", "—"), *topics]  # type: ignore[attr-defined]

    def bank_input(self) -> BankInput:
        data = self.cleaned_data
        return BankInput(
            title_en=data["title_en"],
            title_ml=data.get("title_ml") or "",
            course_id=data.get("course"),
            topic_id=data.get("topic"),
        )


class QuestionFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All")), *K.choices], required=False)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"),
        choices=[("", _("All")), *Question.Difficulty.choices],
        required=False,
    )
    competency = forms.CharField(label=_("Competency"), max_length=100, required=False)


class QuestionForm(forms.Form):
    """A question with up to CHOICE_ROWS choices (rows left empty are ignored)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=K.choices)
    text_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_ml = forms.CharField(
        label=_("Question (Malayalam)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    points = forms.DecimalField(
        label=_("Points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2, initial=1
    )
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=Question.Difficulty.choices, initial="medium"
    )
    competency = forms.CharField(
        label=_("Competency"),
        max_length=100,
        required=False,
        help_text=_("A tag such as “RTI: time limits”; random draws can pick by it."),
    )
    true_is_correct = forms.ChoiceField(
        label=_("For true or false: the statement is"), choices=TRUTH_CHOICES, required=False
    )
    numeric_answer = forms.DecimalField(
        label=_("For a numeric question: the answer"),
        required=False,
        max_digits=16,
        decimal_places=4,
    )
    numeric_tolerance = forms.DecimalField(
        label=_("Tolerance (±)"), required=False, min_value=0, max_digits=16, decimal_places=4
    )
    accepted_answers = forms.CharField(
        label=_("For a short answer: accepted answers, one a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("In English and Malayalam; compared without regard to case and spaces."),
    )
    explanation_en = forms.CharField(
        label=_("Explanation (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    explanation_ml = forms.CharField(
        label=_("Explanation (Malayalam)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    is_active = forms.BooleanField(
        label=_("In use (drawn into new papers)"), required=False, initial=True
    )

    def __init__(self, *args: Any, rows: int = CHOICE_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for n in range(1, rows + 1):
            self.fields[f"choice_{n}_en"] = forms.CharField(
                label=_("Choice %(n)d (English)") % {"n": n}, max_length=500, required=False
            )
            self.fields[f"choice_{n}_ml"] = forms.CharField(
                label=_("Choice %(n)d (Malayalam)") % {"n": n}, max_length=500, required=False
            )
            self.fields[f"choice_{n}_correct"] = forms.BooleanField(
                label=_("Choice %(n)d is correct") % {"n": n}, required=False
            )

    @property
    def choice_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"choice_{n}_en"], self[f"choice_{n}_ml"], self[f"choice_{n}_correct"])
            for n in range(1, self.rows + 1)
        ]

    @classmethod
    def initial_of(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(question, name)
            for name in (
                "kind",
                "text_en",
                "text_ml",
                "points",
                "difficulty",
                "competency",
                "numeric_answer",
                "numeric_tolerance",
                "explanation_en",
                "explanation_ml",
                "is_active",
            )
        }
        initial["true_is_correct"] = _truth_field(question.true_is_correct)
        initial["accepted_answers"] = "\n".join(question.accepted_answers)
        for n, choice in enumerate(question.choices.all(), start=1):
            initial[f"choice_{n}_en"] = choice.text_en
            initial[f"choice_{n}_ml"] = choice.text_ml
            initial[f"choice_{n}_correct"] = choice.is_correct
        return initial

    def question_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            kind=data["kind"],
            text_en=data["text_en"],
            text_ml=data.get("text_ml") or "",
            points=data["points"],
            competency=data.get("competency") or "",
            difficulty=data["difficulty"],
            explanation_en=data.get("explanation_en") or "",
            explanation_ml=data.get("explanation_ml") or "",
            choices=[
                ChoiceInput(
                    text_en=data.get(f"choice_{n}_en") or "",
                    text_ml=data.get(f"choice_{n}_ml") or "",
                    is_correct=bool(data.get(f"choice_{n}_correct")),
                )
                for n in range(1, self.rows + 1)
            ],
            true_is_correct=_truth(data.get("true_is_correct") or ""),
            numeric_answer=data.get("numeric_answer"),
            numeric_tolerance=data.get("numeric_tolerance") or Decimal(0),
            accepted_answers=_lines(data.get("accepted_answers") or ""),
            is_active=bool(data.get("is_active")),
        )


class KeyForm(forms.Form):
    """A key correction: what is right now, and why."""

    correct_choices = forms.TypedMultipleChoiceField(
        label=_("Correct choices"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    true_is_correct = forms.ChoiceField(
        label=_("The statement is"), choices=TRUTH_CHOICES, required=False
    )
    numeric_answer = forms.DecimalField(
        label=_("Answer"), required=False, max_digits=16, decimal_places=4
    )
    numeric_tolerance = forms.DecimalField(
        label=_("Tolerance (±)"), required=False, min_value=0, max_digits=16, decimal_places=4
    )
    accepted_answers = forms.CharField(
        label=_("Accepted answers, one a line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    points = forms.DecimalField(
        label=_("Points"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2
    )
    reason = forms.CharField(
        label=_("Why the key changes"),
        max_length=500,
        help_text=_("Learners whose results change are told; the reason is kept with the key."),
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields["correct_choices"]
        field.choices = [(c.pk, c.text_en) for c in question.choices.all()]  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, question: Question) -> dict[str, Any]:
        return {
            "correct_choices": [c.pk for c in question.choices.all() if c.is_correct],
            "true_is_correct": _truth_field(question.true_is_correct),
            "numeric_answer": question.numeric_answer,
            "numeric_tolerance": question.numeric_tolerance,
            "accepted_answers": "\n".join(question.accepted_answers),
            "points": question.points,
        }

    def key_input(self) -> KeyInput:
        data = self.cleaned_data
        return KeyInput(
            correct_choices=list(data.get("correct_choices") or []),
            true_is_correct=_truth(data.get("true_is_correct") or ""),
            numeric_answer=data.get("numeric_answer"),
            numeric_tolerance=data.get("numeric_tolerance") or Decimal(0),
            accepted_answers=_lines(data.get("accepted_answers") or ""),
            points=data.get("points"),
        )


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class QuizForm(forms.Form):
    title_en = forms.CharField(label=_("Title (English)"), max_length=200)
    title_ml = forms.CharField(label=_("Title (Malayalam)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Quiz.Kind.choices)
    instructions_en = forms.CharField(
        label=_("Instructions (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    instructions_ml = forms.CharField(
        label=_("Instructions (Malayalam)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark (%)"), min_value=0, max_value=100, initial=60
    )
    attempts_allowed = forms.IntegerField(
        label=_("Attempts allowed"),
        min_value=0,
        max_value=100,
        initial=1,
        help_text=_("0 for no limit."),
    )
    time_limit_minutes = forms.IntegerField(
        label=_("Time limit (minutes)"),
        min_value=1,
        max_value=24 * 60,
        required=False,
        help_text=_("Leave empty for no limit. The server ends the attempt when time is up."),
    )
    feedback = forms.ChoiceField(label=_("What learners see"), choices=Quiz.Feedback.choices)
    opens_at = _datetime_field(_("Opens"))
    closes_at = _datetime_field(_("Closes"))
    shuffle_questions = forms.BooleanField(label=_("Shuffle the questions"), required=False)
    shuffle_choices = forms.BooleanField(
        label=_("Shuffle the choices"), required=False, initial=True
    )
    is_published = forms.BooleanField(label=_("Published: learners may take it"), required=False)

    @classmethod
    def initial_of(cls, quiz: Quiz) -> dict[str, Any]:
        return {name: getattr(quiz, name) for name in cls.base_fields}

    def quiz_input(self) -> QuizInput:
        data = self.cleaned_data
        return QuizInput(
            title_en=data["title_en"],
            title_ml=data.get("title_ml") or "",
            instructions_en=data.get("instructions_en") or "",
            instructions_ml=data.get("instructions_ml") or "",
            kind=data["kind"],
            shuffle_questions=bool(data.get("shuffle_questions")),
            shuffle_choices=bool(data.get("shuffle_choices")),
            time_limit_minutes=data.get("time_limit_minutes"),
            attempts_allowed=data["attempts_allowed"],
            pass_percent=data["pass_percent"],
            feedback=data["feedback"],
            opens_at=data.get("opens_at"),
            closes_at=data.get("closes_at"),
            is_published=bool(data.get("is_published")),
        )


class RuleForm(forms.Form):
    """A line of the paper: a fixed question (by its number) or a draw from a bank."""

    question = forms.IntegerField(
        label=_("A fixed question (its number)"), min_value=1, required=False
    )
    bank = forms.TypedChoiceField(
        label=_("Or draw from the bank"), coerce=int, required=False, empty_value=None
    )
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=200, initial=1)
    competency = forms.CharField(
        label=_("Only with the competency"), max_length=100, required=False
    )
    difficulty = forms.ChoiceField(
        label=_("Only of the difficulty"),
        choices=[("", _("Any")), *Question.Difficulty.choices],
        required=False,
    )

    def __init__(self, *args: Any, banks: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = [("", "—"), *banks]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("question")) == bool(data.get("bank")):
            raise forms.ValidationError(
                _("Give a question's number, or choose a bank to draw from.")
            )
        return data


class GradeForm(forms.Form):
    score = forms.CharField(label=_("Score"), max_length=12)
    comment = forms.CharField(
        label=_("Comment to the learner"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DeleteForm(forms.Form):
    """A confirmation with nothing to fill in."""


def answer_from_form(question: Question, values: list[str]) -> object:
    """A posted field's values (`q<pk>`) as the raw answer the services check."""
    first = values[0] if values else ""
    if question.kind == K.SINGLE:
        return {"choice": first}
    if question.kind == K.MULTIPLE:
        return {"choices": [v for v in values if v]}
    if question.kind in (K.TRUE_FALSE, K.NUMERIC):
        return {"value": first}
    return {"text": first}


def answers_from_post(responses: Sequence[Response], post: QueryDict) -> dict[int, object]:
    """The answers the attempt page posted, by question id, for the questions whose field
    came with it (`q<pk>`; a multiple choice question also sends `q<pk>-shown`, so that
    unticking every box clears it)."""
    answers: dict[int, object] = {}
    for response in responses:
        name = f"q{response.question_id}"
        if name in post or f"{name}-shown" in post:
            answers[response.question_id] = answer_from_form(response.question, post.getlist(name))
    return answers
