"""Pages of online learning: authoring (authoring.py), the learner's side (learner.py)."""
