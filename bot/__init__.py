"""iopbot: a Discord bot for addiction-recovery Intensive Outpatient Programs."""

__version__ = "0.1.0"
