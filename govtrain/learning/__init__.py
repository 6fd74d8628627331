"""Online courses: modules and lessons, progress, SCORM attempts (issue #4)."""
