"""External courses (MOOCs): enrolments and verified evidence (issue #4)."""
