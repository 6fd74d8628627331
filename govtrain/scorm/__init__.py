"""SCORM 1.2 and 2004 packages, and their content on its own origin (issue #4)."""
