"""Pages for classroom training, one module per area (batches, calendar, nominations,
attendance, feedback)."""
