"""The assessment pages: learners' quizzes and attempts, authors' banks and quizzes, grading."""
