"""Therapist accounts: sign-in and two-step."""
