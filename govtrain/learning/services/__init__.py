"""Writes of online learning: authoring (authoring.py), progress and completion
(progress.py), SCORM attempts (scorm.py); content checks in content.py."""
