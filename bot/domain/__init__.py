"""Pure domain logic: no I/O, no Discord, no database."""
