"""KPIs per agency and quantitative indicators against their targets (Django app; the formulas are pure functions)."""
