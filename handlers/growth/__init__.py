"""Growth: referral invites and onboarding through join requests."""
