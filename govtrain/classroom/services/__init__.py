"""Writes for classroom training, one module per area:
`batches` (scheduling, timetable, quotas, conflicts), `nominations` (the approval chain,
quotas, waitlist), `attendance`, `feedback`. Completion lives in `govtrain.records`."""
