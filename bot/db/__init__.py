"""Storage: the aiosqlite Database, the migration runner and the repositories (all SQL)."""

from bot.db.database import Database, Transaction

__all__ = ["Database", "Transaction"]
