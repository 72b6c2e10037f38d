"""Báo cáo giao ban: briefing reports (DOCX, XLSX, PDF, Markdown), calendar feeds and open-data exports."""
