"""Django project settings and URL map for dondoc's tracking service (the extraction package does not use them)."""
