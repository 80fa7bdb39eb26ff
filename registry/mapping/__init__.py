"""Standard-exam mapping: the rule engine and its services, suggestions for unmapped names, and the page."""
