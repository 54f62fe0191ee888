"""Every table, by area. Importing this package registers them all on SQLModel.metadata."""

from storage.tables.community import (
    AuditLog,
    ChatGroup,
    GroupMigration,
    GroupSetting,
    Member,
    TgUser,
)
from storage.tables.engagement import (
    ALL_TIME,
    BoardValueCount,
    Checkin,
    DailyCheckinCount,
    LedgerEntry,
)
from storage.tables.feedback import (
    FeedbackCounter,
    FeedbackDraft,
    FeedbackItem,
    FeedbackMessage,
    FeedbackStaffChat,
    FeedbackTopic,
    Poll,
    PollVote,
    Survey,
    SurveyAnswer,
)
from storage.tables.idempotency import ProcessedKey, ProcessedUpdate, SetAsideUpdate
from storage.tables.schedule import (
    GreetingTemplate,
    MemberBirthday,
    PostOccurrence,
    PostVote,
    ScheduledPost,
    ScheduleDraft,
)
from storage.tables.shop import MemberBadge, Redemption, Reward, RewardCode, RewardPhotoPrompt

__all__ = [
    "ALL_TIME",
    "AuditLog",
    "BoardValueCount",
    "ChatGroup",
    "Checkin",
    "DailyCheckinCount",
    "FeedbackCounter",
    "FeedbackDraft",
    "FeedbackItem",
    "FeedbackMessage",
    "FeedbackStaffChat",
    "FeedbackTopic",
    "GreetingTemplate",
    "GroupMigration",
    "GroupSetting",
    "LedgerEntry",
    "Member",
    "MemberBadge",
    "MemberBirthday",
    "Poll",
    "PollVote",
    "PostOccurrence",
    "PostVote",
    "ProcessedKey",
    "ProcessedUpdate",
    "Redemption",
    "Reward",
    "RewardCode",
    "RewardPhotoPrompt",
    "ScheduleDraft",
    "ScheduledPost",
    "SetAsideUpdate",
    "Survey",
    "SurveyAnswer",
    "TgUser",
]
