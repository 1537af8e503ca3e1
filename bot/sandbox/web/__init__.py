"""The sandbox's web page: a Discord-like view of the emulator, served at its root URL."""
