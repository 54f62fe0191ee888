"""Campaigns: private messages to a selected audience with a frozen control group, delivered at
most once within Telegram's limits, quiet hours, a frequency cap and opt-outs; reactivation of
members who went dormant; the report by arm (docs/campaigns.md)."""
