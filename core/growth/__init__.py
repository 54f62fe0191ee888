"""Growth: members' personal invite links and the newcomers they bring (裂变), and
onboarding through join requests (a questionnaire in private, then approval)."""
