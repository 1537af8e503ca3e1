"""Offline Discord: a loopback emulator, a demo world, scenarios and `iopbot sandbox`."""
