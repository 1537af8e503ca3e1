"""Services: outbox + dispatcher, scheduler, permissions, alerts, audit, clock."""
