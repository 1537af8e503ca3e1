"""One repository per aggregate. Repositories own all SQL and return frozen dataclasses."""
