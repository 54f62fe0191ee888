"""Behaviour prediction (#25 §4): who will be active next week, and why (docs/prediction.md)."""
