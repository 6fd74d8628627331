"""Question banks, quizzes, attempts and grading (issue #5)."""
