"""The built-in xAPI Learning Record Store (issue #4)."""
