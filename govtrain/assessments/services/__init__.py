"""Writes of assessments: banks and questions, quizzes, attempts, grading."""
