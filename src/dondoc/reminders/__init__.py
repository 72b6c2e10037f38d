"""Đôn đốc: reminders before and after deadlines, by email digest and signed webhooks (Django app)."""
