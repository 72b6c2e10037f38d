"""dondoc: theo dõi, đôn đốc nhiệm vụ — Vietnamese directives turned into tracked tasks."""

__version__ = "0.1.0"
