"""Dose estimates of Patient Radiation Dose SRs (TID 10030): stored per study, shown on its page."""
