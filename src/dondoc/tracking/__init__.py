"""The tracking service: agencies, documents, tasks and their append-only events (Django app).

Writes go through ``services`` (one transaction each, an event per change), reads through ``selectors``;
``states`` holds the pure rules that turn events into a task's state on any day.
"""
