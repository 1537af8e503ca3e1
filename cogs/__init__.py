"""Feature cogs: one package per feature, each with only ``setup()`` in ``__init__.py``."""
