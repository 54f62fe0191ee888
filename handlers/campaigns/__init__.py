"""Campaigns: /campaign, /campaigns, /unsubscribe, /subscribe, claims; the sending runner."""
