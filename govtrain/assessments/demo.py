"""Demo data of assessments: IMG's question banks (the RTI Act, the Kerala Service Rules,
office procedure and e-office, the financial rules) with questions of every kind in
English and Malayalam, a lesson quiz and a final exam for the online RTI course and a
final exam for the e-office course, and the attempts of the employees who study them,
written through the same services as the pages. Some essays are left in the grading
queue of IMG's coordinator, and the item analysis has enough attempts to say something.
Meant to be called by `govtrain seed_demo` after `build_online_learning`."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from govtrain.accounts.models import Role, User
from govtrain.assessments.models import Attempt, Question, QuestionBank, Quiz
from govtrain.assessments.models import Response as Answer
from govtrain.assessments.services import attempts, banks, grading, quizzes
from govtrain.catalog.models import Course, Provider
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.learning.services import authoring, progress
from govtrain.notifications.services import emails_muted
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

SEED = 11
K = Question.Kind
EASY, MEDIUM, HARD = Question.Difficulty.EASY, Question.Difficulty.MEDIUM, Question.Difficulty.HARD
# Essays of the last few attempts wait for IMG's coordinator (the grading queue).
ESSAYS_LEFT = 5
# The item response model of the simulated learners: P(right) = 1 / (1 + e^-(ability - b)).
DIFFICULTY: dict[str, float] = {EASY: -1.3, MEDIUM: 0.0, HARD: 1.1}

# A question: kind, (English, Malayalam), difficulty, competency, key, explanation.
Q = dict[str, Any]


def _q(kind: str, en: str, ml: str, difficulty: str, competency: str, **key: Any) -> Q:
    return {
        "kind": kind,
        "text": (en, ml),
        "difficulty": difficulty,
        "competency": competency,
        **key,
    }


RTI: list[Q] = [
    _q(
        K.SINGLE,
        "Within how many days must a Public Information Officer give the information asked for?",
        "ആവശ്യപ്പെട്ട വിവരം പബ്ലിക് ഇൻഫർമേഷൻ ഓഫീസർ എത്ര ദിവസത്തിനകം നൽകണം?",
        EASY,
        "RTI: time limits",
        choices=[
            ("30 days", "30 ദിവസം", True),
            ("45 days", "45 ദിവസം", False),
            ("60 days", "60 ദിവസം", False),
            ("90 days", "90 ദിവസം", False),
        ],
        explanation=(
            "Section 7(1): as soon as possible, and within 30 days of the request.",
            "വകുപ്പ് 7(1): എത്രയും വേഗം, അപേക്ഷ ലഭിച്ച് 30 ദിവസത്തിനകം.",
        ),
    ),
    _q(
        K.SINGLE,
        "Information that concerns the life or liberty of a person must be given within:",
        "ഒരു വ്യക്തിയുടെ ജീവനെയോ സ്വാതന്ത്ര്യത്തെയോ സംബന്ധിക്കുന്ന വിവരം നൽകേണ്ടത്:",
        MEDIUM,
        "RTI: time limits",
        choices=[
            ("48 hours", "48 മണിക്കൂറിനകം", True),
            ("7 days", "7 ദിവസത്തിനകം", False),
            ("15 days", "15 ദിവസത്തിനകം", False),
        ],
        explanation=("The proviso to section 7(1).", "വകുപ്പ് 7(1) ന്റെ വ്യവസ്ഥ."),
    ),
    _q(
        K.NUMERIC,
        "What is the application fee for an RTI request in Kerala, in rupees?",
        "കേരളത്തിൽ വിവരാവകാശ അപേക്ഷാ ഫീസ് എത്ര രൂപയാണ്?",
        EASY,
        "RTI: applications",
        numeric_answer=Decimal(10),
        explanation=(
            "The Kerala Right to Information (Regulation of Fee and Cost) Rules: ₹10.",
            "കേരള വിവരാവകാശ (ഫീസും ചെലവും) ചട്ടങ്ങൾ: 10 രൂപ.",
        ),
    ),
    _q(
        K.TRUE_FALSE,
        "An applicant must state the reason for asking for the information.",
        "വിവരം ആവശ്യപ്പെടുന്നതിന്റെ കാരണം അപേക്ഷകൻ വ്യക്തമാക്കണം.",
        EASY,
        "RTI: applications",
        true_is_correct=False,
        explanation=(
            "Section 6(2): no reason need be given, nor any personal detail beyond what is "
            "needed to reply.",
            "വകുപ്പ് 6(2): കാരണം ബോധിപ്പിക്കേണ്ടതില്ല; മറുപടി നൽകാൻ ആവശ്യമായതല്ലാതെ വ്യക്തിവിവരങ്ങളും നൽകേണ്ടതില്ല.",
        ),
    ),
    _q(
        K.TRUE_FALSE,
        "An applicant below the poverty line pays no application fee.",
        "ദാരിദ്ര്യരേഖയ്ക്ക് താഴെയുള്ള അപേക്ഷകൻ അപേക്ഷാ ഫീസ് നൽകേണ്ടതില്ല.",
        MEDIUM,
        "RTI: applications",
        true_is_correct=True,
        explanation=("The proviso to section 7(5).", "വകുപ്പ് 7(5) ന്റെ വ്യവസ്ഥ."),
    ),
    _q(
        K.MULTIPLE,
        "Which of these may be withheld under section 8(1)?",
        "വകുപ്പ് 8(1) പ്രകാരം താഴെ പറയുന്നവയിൽ ഏതെല്ലാം നൽകാതിരിക്കാം?",
        HARD,
        "RTI: exemptions",
        points=Decimal(2),
        choices=[
            (
                "Information that would endanger a person's life or safety",
                "ഒരു വ്യക്തിയുടെ ജീവനോ സുരക്ഷയ്ക്കോ ഭീഷണിയാകുന്ന വിവരം",
                True,
            ),
            (
                "Cabinet papers, before the decision is taken",
                "തീരുമാനം എടുക്കുന്നതിനു മുമ്പുള്ള മന്ത്രിസഭാ രേഖകൾ",
                True,
            ),
            ("The attendance register of the office", "ഓഫീസിലെ ഹാജർ രജിസ്റ്റർ", False),
            ("Copies of orders already issued", "പുറപ്പെടുവിച്ച ഉത്തരവുകളുടെ പകർപ്പുകൾ", False),
        ],
        explanation=("Section 8(1)(g) and 8(1)(i).", "വകുപ്പ് 8(1)(g), 8(1)(i)."),
    ),
    _q(
        K.SHORT,
        "To whom does an applicant make the first appeal?",
        "ഒന്നാം അപ്പീൽ ആർക്കാണ് നൽകുന്നത്?",
        MEDIUM,
        "RTI: appeals",
        accepted_answers=[
            "Appellate Authority",
            "First Appellate Authority",
            "അപ്പീൽ അധികാരി",
            "ഒന്നാം അപ്പീൽ അധികാരി",
        ],
        explanation=(
            "Section 19(1): an officer senior in rank to the PIO, in the same authority.",
            "വകുപ്പ് 19(1): അതേ സ്ഥാപനത്തിൽ പി.ഐ.ഒ.യേക്കാൾ ഉയർന്ന പദവിയിലുള്ള ഉദ്യോഗസ്ഥൻ.",
        ),
    ),
    _q(
        K.SINGLE,
        "Within how many days of the PIO's decision may the first appeal be filed?",
        "പി.ഐ.ഒ.യുടെ തീരുമാനം ലഭിച്ച് എത്ര ദിവസത്തിനകം ഒന്നാം അപ്പീൽ നൽകാം?",
        HARD,
        "RTI: appeals",
        choices=[
            ("30 days", "30 ദിവസം", True),
            ("60 days", "60 ദിവസം", False),
            ("90 days", "90 ദിവസം", False),
        ],
        explanation=(
            "Section 19(1); the appellate authority may admit it later for sufficient cause.",
            "വകുപ്പ് 19(1); മതിയായ കാരണമുണ്ടെങ്കിൽ വൈകിയ അപ്പീലും സ്വീകരിക്കാം.",
        ),
    ),
    _q(
        K.NUMERIC,
        "What is the highest penalty the Information Commission may impose on a PIO, in rupees?",
        "വിവരാവകാശ കമ്മീഷന് ഒരു പി.ഐ.ഒ.യ്ക്ക് ചുമത്താവുന്ന പരമാവധി പിഴ എത്ര രൂപ?",
        HARD,
        "RTI: appeals",
        numeric_answer=Decimal(25000),
        explanation=(
            "Section 20(1): ₹250 for each day of delay, up to ₹25,000.",
            "വകുപ്പ് 20(1): വൈകുന്ന ഓരോ ദിവസത്തിനും 250 രൂപ, പരമാവധി 25,000 രൂപ.",
        ),
    ),
    _q(
        K.SHORT,
        "Under which section must every public authority publish information about itself "
        "without being asked?",
        "ആവശ്യപ്പെടാതെ തന്നെ ഓരോ പൊതു അധികാരിയും സ്വന്തം വിവരങ്ങൾ പ്രസിദ്ധീകരിക്കേണ്ടത് ഏത് വകുപ്പ് പ്രകാരം?",
        EASY,
        "RTI: proactive disclosure",
        accepted_answers=["4", "Section 4", "4(1)(b)", "Section 4(1)(b)", "വകുപ്പ് 4"],
    ),
    _q(
        K.TRUE_FALSE,
        "A PIO may refuse an application because it is written in Malayalam.",
        "അപേക്ഷ മലയാളത്തിൽ എഴുതിയതാണെന്ന കാരണത്താൽ പി.ഐ.ഒ.യ്ക്ക് അത് നിരസിക്കാം.",
        HARD,
        "RTI: applications",
        true_is_correct=False,
        # Learners of every level guess at this one: the item analysis flags it.
        guessed=True,
        explanation=(
            "Section 6(1): in English, Hindi or the official language of the area.",
            "വകുപ്പ് 6(1): ഇംഗ്ലീഷിലോ ഹിന്ദിയിലോ പ്രദേശത്തെ ഔദ്യോഗിക ഭാഷയിലോ അപേക്ഷിക്കാം.",
        ),
    ),
    _q(
        K.ESSAY,
        "An application asks for information held by another office. Explain what you do, "
        "and within what time.",
        "മറ്റൊരു ഓഫീസിന്റെ കൈവശമുള്ള വിവരം ആവശ്യപ്പെട്ട് അപേക്ഷ ലഭിച്ചാൽ നിങ്ങൾ എന്തു "
        "ചെയ്യും, ഏത് സമയപരിധിക്കുള്ളിൽ? വിശദീകരിക്കുക.",
        MEDIUM,
        "RTI: applications",
        points=Decimal(5),
        explanation=(
            "Transfer it under section 6(3) within five days to the office that holds the "
            "information, and tell the applicant at once.",
            "വകുപ്പ് 6(3) പ്രകാരം അഞ്ചു ദിവസത്തിനകം വിവരം കൈവശമുള്ള ഓഫീസിലേക്ക് കൈമാറി അപേക്ഷകനെ ഉടൻ അറിയിക്കുക.",
        ),
    ),
]

KSR: list[Q] = [
    _q(
        K.SINGLE,
        "How many days of casual leave may a State Government employee take in a calendar year?",
        "ഒരു കലണ്ടർ വർഷത്തിൽ സംസ്ഥാന സർക്കാർ ജീവനക്കാരന് എത്ര ദിവസം ആകസ്മിക അവധി എടുക്കാം?",
        EASY,
        "KSR: leave",
        choices=[
            ("20 days", "20 ദിവസം", True),
            ("15 days", "15 ദിവസം", False),
            ("30 days", "30 ദിവസം", False),
        ],
    ),
    _q(
        K.TRUE_FALSE,
        "Earned leave is credited at one day for every eleven days of duty.",
        "ഓരോ പതിനൊന്ന് ദിവസത്തെ ഡ്യൂട്ടിക്കും ഒരു ദിവസം ആർജിതാവധി ലഭിക്കും.",
        MEDIUM,
        "KSR: leave",
        true_is_correct=True,
    ),
    _q(
        K.NUMERIC,
        "How many days of maternity leave may a woman employee take?",
        "വനിതാ ജീവനക്കാരിക്ക് എത്ര ദിവസം പ്രസവാവധി ലഭിക്കും?",
        MEDIUM,
        "KSR: leave",
        numeric_answer=Decimal(180),
    ),
    _q(
        K.SINGLE,
        "Which part of the Kerala Service Rules deals with pension?",
        "കേരള സർവീസ് ചട്ടങ്ങളിൽ പെൻഷനെ സംബന്ധിക്കുന്നത് ഏത് ഭാഗം?",
        HARD,
        "KSR: pension",
        choices=[
            ("Part III", "ഭാഗം III", True),
            ("Part I", "ഭാഗം I", False),
            ("Part II", "ഭാഗം II", False),
        ],
    ),
    _q(
        K.NUMERIC,
        "For each completed year of service, how many days of half pay leave are credited?",
        "പൂർത്തിയാക്കിയ ഓരോ വർഷ സേവനത്തിനും എത്ര ദിവസം അർധവേതനാവധി ലഭിക്കും?",
        HARD,
        "KSR: leave",
        numeric_answer=Decimal(20),
    ),
]

OFFICE: list[Q] = [
    _q(
        K.SINGLE,
        "In the e-office suite, which application holds the files and their notes?",
        "ഇ-ഓഫീസിൽ ഫയലുകളും കുറിപ്പുകളും കൈകാര്യം ചെയ്യുന്ന ആപ്ലിക്കേഷൻ ഏത്?",
        EASY,
        "e-office: files",
        choices=[("eFile", "ഇ-ഫയൽ", True), ("eLeave", "ഇ-ലീവ്", False), ("KMS", "കെ.എം.എസ്.", False)],
    ),
    _q(
        K.TRUE_FALSE,
        "A note in an e-file is signed with the officer's digital signature or e-sign.",
        "ഇ-ഫയലിലെ കുറിപ്പ് ഉദ്യോഗസ്ഥന്റെ ഡിജിറ്റൽ ഒപ്പോ ഇ-സൈനോ ഉപയോഗിച്ചാണ് ഒപ്പിടുന്നത്.",
        EASY,
        "e-office: files",
        true_is_correct=True,
    ),
    _q(
        K.MULTIPLE,
        "Which of these belong in the note portion of a file, not in its correspondence?",
        "താഴെ പറയുന്നവയിൽ ഫയലിന്റെ കുറിപ്പ് ഭാഗത്ത് വരുന്നവ ഏതെല്ലാം?",
        MEDIUM,
        "office procedure",
        points=Decimal(2),
        choices=[
            ("The dealing assistant's note", "ബന്ധപ്പെട്ട അസിസ്റ്റന്റിന്റെ കുറിപ്പ്", True),
            ("The officer's orders", "ഉദ്യോഗസ്ഥന്റെ ഉത്തരവുകൾ", True),
            ("The letter received from the applicant", "അപേക്ഷകനിൽ നിന്ന് ലഭിച്ച കത്ത്", False),
            ("The reply sent", "അയച്ച മറുപടി", False),
        ],
    ),
    _q(
        K.SHORT,
        "What is the incoming mail of a Kerala government office called?",
        "കേരള സർക്കാർ ഓഫീസിൽ ലഭിക്കുന്ന തപാലുകളെ എന്ത് പേരിൽ വിളിക്കുന്നു?",
        EASY,
        "office procedure",
        accepted_answers=["Tapal", "Tappal", "തപാൽ"],
    ),
    _q(
        K.ESSAY,
        "A file has been pending with you for three weeks. Describe how you would bring it "
        "to a decision.",
        "മൂന്നാഴ്ചയായി ഒരു ഫയൽ നിങ്ങളുടെ പക്കൽ തീർപ്പാകാതെ കിടക്കുന്നു. അത് തീരുമാനത്തിലെത്തിക്കാൻ "
        "നിങ്ങൾ എന്തു ചെയ്യും എന്ന് വിവരിക്കുക.",
        HARD,
        "office procedure",
        points=Decimal(4),
    ),
]

FINANCE: list[Q] = [
    _q(
        K.TRUE_FALSE,
        "Money received on behalf of the Government must be paid into the treasury without "
        "undue delay.",
        "സർക്കാരിനു വേണ്ടി ലഭിക്കുന്ന പണം അനാവശ്യ കാലതാമസമില്ലാതെ ട്രഷറിയിൽ അടയ്ക്കണം.",
        EASY,
        "financial rules",
        true_is_correct=True,
    ),
    _q(
        K.SINGLE,
        "Who answers for the correctness of a bill presented at the treasury?",
        "ട്രഷറിയിൽ സമർപ്പിക്കുന്ന ബില്ലിന്റെ കൃത്യതയ്ക്ക് ഉത്തരവാദി ആര്?",
        MEDIUM,
        "financial rules",
        choices=[
            ("The Drawing and Disbursing Officer", "ഡ്രോയിംഗ് ആൻഡ് ഡിസ്ബേഴ്സിംഗ് ഓഫീസർ", True),
            ("The Treasury Officer", "ട്രഷറി ഓഫീസർ", False),
            ("The clerk who prepared it", "ബിൽ തയ്യാറാക്കിയ ക്ലർക്ക്", False),
        ],
    ),
]

# Bank title (English, Malayalam), the course it is for (None: the whole institute), questions.
BANKS: list[tuple[tuple[str, str], str | None, list[Q]]] = [
    (("Right to Information Act, 2005", "വിവരാവകാശ നിയമം, 2005"), "IMG-RTI-OL", RTI),
    (("Kerala Service Rules", "കേരള സർവീസ് ചട്ടങ്ങൾ"), None, KSR),
    (("Office procedure and e-office", "ഓഫീസ് നടപടിക്രമവും ഇ-ഓഫീസും"), "IMG-EFILE", OFFICE),
    (("Kerala Financial Code", "കേരള ഫിനാൻഷ്യൽ കോഡ്"), None, FINANCE),
]

# Essays of three qualities, for the graders to read.
ESSAYS = [
    (
        "I would check the register and find which office holds the information. Under "
        "section 6(3) the application is transferred to that office within five days, and "
        "the applicant is told of the transfer in writing, with the address of the PIO "
        "there. If only part of it is held elsewhere, I answer my part and transfer the rest.",
        Decimal("0.9"),
    ),
    (
        "The application should be sent to the correct office and the applicant informed. "
        "This should be done quickly.",
        Decimal("0.5"),
    ),
    ("I would return the application to the applicant.", Decimal("0.1")),
]


@dataclass
class Summary:
    banks: int = 0
    questions: int = 0
    quizzes: int = 0
    attempts: int = 0
    waiting: int = 0
    learners: set[int] = field(default_factory=set)


def _author(provider: Provider) -> User | None:
    return (
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR, role_assignments__provider=provider
        )
        .order_by("pk")
        .first()
    )


def _build_bank(
    provider: Provider, spec: tuple[tuple[str, str], str | None, list[Q]], by: User
) -> tuple[QuestionBank, list[Question]]:
    (title_en, title_ml), code, rows = spec
    course = Course.objects.filter(code=code).first() if code else None
    bank = banks.bank_save(
        provider=provider,
        data=banks.BankInput(
            title_en=title_en, title_ml=title_ml, course_id=course.pk if course else None
        ),
        by=by,
    )
    made = []
    for row in rows:
        explanation = row.get("explanation", ("", ""))
        data = banks.QuestionInput(
            kind=row["kind"],
            text_en=row["text"][0],
            text_ml=row["text"][1],
            points=row.get("points", Decimal(1)),
            competency=row["competency"],
            difficulty=row["difficulty"],
            explanation_en=explanation[0],
            explanation_ml=explanation[1],
            choices=[
                banks.ChoiceInput(text_en=en, text_ml=ml, is_correct=ok)
                for en, ml, ok in row.get("choices", [])
            ],
            true_is_correct=row.get("true_is_correct"),
            numeric_answer=row.get("numeric_answer"),
            accepted_answers=row.get("accepted_answers", []),
        )
        made.append(banks.question_save(bank=bank, data=data, by=by))
    return bank, made


def _quiz(course: Course, by: User, data: quizzes.QuizInput, rules: list[dict[str, Any]]) -> Quiz:
    published = data.is_published
    data.is_published = False
    quiz = quizzes.quiz_save(course=course, data=data, by=by)
    for rule in rules:
        quizzes.quiz_rule_add(quiz=quiz, by=by, **rule)
    data.is_published = published
    return quizzes.quiz_save(course=course, quiz=quiz, data=data, by=by)


def _answer(response: Answer, right: bool, rng: random.Random) -> dict[str, Any]:
    """What a learner who knows (or does not know) the answer gives."""
    q = response.question
    correct = [pk for pk in response.choice_order if pk in grading.correct_choices(q)]
    wrong = [pk for pk in response.choice_order if pk not in correct]
    if q.kind == K.SINGLE:
        return {"choice": correct[0] if right else rng.choice(wrong)}
    if q.kind == K.MULTIPLE:
        return {"choices": correct if right else [correct[0], rng.choice(wrong)]}
    if q.kind == K.TRUE_FALSE:
        return {"value": q.true_is_correct if right else not q.true_is_correct}
    if q.kind == K.NUMERIC:
        value = q.numeric_answer or Decimal(0)
        return {"value": str(value if right else value * 2)}
    if q.kind == K.SHORT:
        return {"text": rng.choice(q.accepted_answers) if right else "The Collector"}
    return {"text": ESSAYS[0 if right else rng.choice([1, 2])][0]}


def _knows(question: Question, ability: float, guessed: set[int], rng: random.Random) -> bool:
    if question.pk in guessed:
        return rng.random() < 0.5
    b = DIFFICULTY.get(question.difficulty, 0.0)
    return rng.random() < 1 / (1 + math.exp(-(ability - b)))


def _sit(
    quiz: Quiz,
    enrolment: Enrolment,
    when: dt.datetime,
    ability: float,
    guessed: set[int],
    rng: random.Random,
) -> Attempt:
    by = enrolment.employee.user
    if by is None:
        raise LookupError(f"{enrolment.employee} has no login")
    paper_rng = random.Random(rng.random())  # noqa: S311 - a repeatable demo, not a secret
    attempt, _created = attempts.attempt_start(
        quiz=quiz, enrolment=enrolment, by=by, now=when, rng=paper_rng
    )
    responses = list(
        attempt.responses.select_related("question").prefetch_related("question__choices")
    )
    answers = {
        r.question_id: _answer(r, _knows(r.question, ability, guessed, rng), rng)
        for r in responses
        if rng.random() > 0.03  # now and then a question left blank
    }
    took = dt.timedelta(minutes=rng.randint(4, (quiz.time_limit_minutes or 20) - 1))
    attempts.responses_save(attempt=attempt, answers=answers, by=by, now=when + took)
    return attempts.attempt_submit(attempt=attempt, by=by, now=when + took)


def _last_activity(enrolment: Enrolment, now: dt.datetime) -> dt.datetime:
    last = (
        LessonProgress.objects.filter(enrolment=enrolment)
        .order_by("-last_opened_at")
        .values_list("last_opened_at", flat=True)
        .first()
    )
    return last or now - dt.timedelta(days=20)


@transaction.atomic
def build_assessments(*, learner: Employee | None = None, seed: int = SEED) -> Summary:
    """IMG's banks and quizzes (once: running again adds nothing), and attempts by the
    employees enrolled in its online RTI and e-office courses. The demo `learner` is
    enrolled in the RTI course, its quiz lesson and final exam waiting for them."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    summary = Summary()
    img = Provider.objects.filter(code="IMG").first()
    author = _author(img) if img else None
    if img is None or author is None or QuestionBank.objects.filter(provider=img).exists():
        return summary
    with emails_muted():
        made: dict[str, tuple[QuestionBank, list[Question]]] = {}
        guessed: set[int] = set()
        for spec in BANKS:
            bank, questions = _build_bank(img, spec, author)
            made[spec[0][0]] = (bank, questions)
            summary.banks += 1
            summary.questions += len(questions)
            guessed.update(
                q.pk for q, row in zip(questions, spec[2], strict=True) if row.get("guessed")
            )
        rti_bank, rti = made["Right to Information Act, 2005"]
        office_bank, _office = made["Office procedure and e-office"]
        ksr_bank, _ksr = made["Kerala Service Rules"]
        plan: list[tuple[Quiz, list[Enrolment]]] = []
        rti_course = Course.objects.filter(code="IMG-RTI-OL").first()
        if rti_course is not None:
            check = _quiz(
                rti_course,
                author,
                quizzes.QuizInput(
                    title_en="Check yourself: applications and time limits",
                    title_ml="സ്വയം പരിശോധിക്കുക: അപേക്ഷകളും സമയപരിധികളും",
                    instructions_en=(
                        "Four questions on what you have just read. Try as often as you like."
                    ),
                    instructions_ml=(
                        "ഇപ്പോൾ വായിച്ച കാര്യങ്ങളെക്കുറിച്ച് നാല് ചോദ്യങ്ങൾ. എത്ര തവണ വേണമെങ്കിലും ശ്രമിക്കാം."
                    ),
                    attempts_allowed=0,
                    pass_percent=75,
                    feedback=Quiz.Feedback.ANSWERS,
                    is_published=True,
                ),
                [{"question": q} for q in (rti[0], rti[2], rti[3], rti[1])],
            )
            module = Module.objects.filter(course=rti_course).order_by("-position").first()
            if module is not None:
                authoring.lesson_save(
                    module=module,
                    data=authoring.LessonInput(
                        kind=Lesson.Kind.QUIZ,
                        title_en="Check yourself",
                        title_ml="സ്വയം പരിശോധിക്കുക",
                        quiz_id=check.pk,
                    ),
                    by=author,
                )
            final = _quiz(
                rti_course,
                author,
                quizzes.QuizInput(
                    title_en="RTI for PIOs: final exam",
                    title_ml="പി.ഐ.ഒ.മാർക്ക് വിവരാവകാശം: അന്തിമ പരീക്ഷ",
                    instructions_en=(
                        "Eight questions drawn for you from the bank, one of them an essay read "
                        "by IMG's faculty. You have 30 minutes and two attempts."
                    ),
                    instructions_ml=(
                        "ചോദ്യബാങ്കിൽ നിന്ന് നിങ്ങൾക്കായി തിരഞ്ഞെടുത്ത എട്ട് ചോദ്യങ്ങൾ; ഒന്ന് ഐ.എം.ജി. "
                        "അധ്യാപകർ വിലയിരുത്തുന്ന ഉപന്യാസം. 30 മിനിറ്റ്, രണ്ട് അവസരങ്ങൾ."
                    ),
                    kind=Quiz.Kind.FINAL,
                    time_limit_minutes=30,
                    attempts_allowed=2,
                    pass_percent=60,
                    feedback=Quiz.Feedback.SCORE,
                    shuffle_questions=True,
                    is_published=True,
                ),
                [
                    {"question": rti[-1]},
                    {"bank": rti_bank, "count": 3, "difficulty": EASY},
                    {"bank": rti_bank, "count": 2, "difficulty": MEDIUM},
                    {"bank": rti_bank, "count": 2, "difficulty": HARD},
                ],
            )
            takers = _takers(rti_course, learner)
            plan += [(check, takers), (final, takers)]
            if learner is not None and learner.user is not None:
                progress.course_enrol(employee=learner, course=rti_course, by=learner.user)
        efile = Course.objects.filter(code="IMG-EFILE").first()
        if efile is not None:
            exam = _quiz(
                efile,
                author,
                quizzes.QuizInput(
                    title_en="e-Office file management: final exam",
                    title_ml="ഇ-ഓഫീസ് ഫയൽ കൈകാര്യം: അന്തിമ പരീക്ഷ",
                    kind=Quiz.Kind.FINAL,
                    time_limit_minutes=20,
                    attempts_allowed=2,
                    pass_percent=50,
                    feedback=Quiz.Feedback.ANSWERS,
                    is_published=True,
                ),
                [
                    {"bank": office_bank, "count": 4},
                    {"bank": ksr_bank, "count": 2, "competency": "KSR: leave"},
                ],
            )
            plan.append((exam, _takers(efile, learner)))
        summary.quizzes = len(plan)
        now = timezone.now()
        ability: dict[int, float] = {}
        for quiz, takers in plan:
            for enrolment in takers:
                theta = ability.setdefault(enrolment.employee_id, rng.gauss(0, 1))
                when = min(
                    _last_activity(enrolment, now) + dt.timedelta(hours=rng.randint(1, 48)),
                    now - dt.timedelta(hours=2),
                )
                attempt = _sit(quiz, enrolment, when, theta, guessed, rng)
                summary.attempts += 1
                summary.learners.add(enrolment.employee_id)
                if attempt.passed is False and quiz.attempts_allowed != 1 and rng.random() < 0.6:
                    # A second try after reading the feedback, a little better prepared.
                    later = min(when + dt.timedelta(days=1), now - dt.timedelta(hours=1))
                    _sit(quiz, enrolment, later, theta + 0.6, guessed, rng)
                    summary.attempts += 1
        summary.waiting = _grade(author, rng, ability)
    return summary


def _takers(course: Course, learner: Employee | None) -> list[Enrolment]:
    """The employees enrolled in the course (not the demo learner, nobody with a role at
    IMG: a grader never grades their own essay)."""
    return list(
        Enrolment.objects.filter(course=course, batch=None)
        .exclude(employee__user=None)
        .exclude(employee__user__role_assignments__provider__code="IMG")
        .exclude(employee=learner)
        .select_related("employee__user", "course")
        .order_by("pk")
    )


def _grade(by: User, rng: random.Random, ability: dict[int, float]) -> int:
    """IMG's coordinator grades the essays, oldest first, leaving the last few waiting.
    How many are left."""
    waiting = list(
        Answer.objects.filter(
            attempt__status=Attempt.Status.SUBMITTED,
            attempt__quiz__course__provider__code="IMG",
            question__kind=K.ESSAY,
            manual_score=None,
            auto_score=None,
        )
        .select_related("attempt", "question")
        .order_by("attempt__submitted_at", "pk")
    )
    now = timezone.now()
    keep = waiting[-ESSAYS_LEFT:] if len(waiting) > ESSAYS_LEFT else []
    for response in waiting[: len(waiting) - len(keep)]:
        text = str((response.answer or {}).get("text", ""))
        share = next((s for essay, s in ESSAYS if essay == text), Decimal("0.3"))
        theta = ability.get(response.attempt.employee_id, 0.0)
        share = min(Decimal(1), max(Decimal(0), share + Decimal(str(round(theta / 10, 2)))))
        score = (response.points * share).quantize(Decimal("0.5"))
        grading.response_grade(
            response=response,
            score=str(score),
            comment=rng.choice(["", "Cite the section.", "Clear and complete.", "Too brief."]),
            by=by,
            now=min((response.attempt.submitted_at or now) + dt.timedelta(hours=6), now),
        )
    return len(keep)
