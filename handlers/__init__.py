"""Every feature, registered in one place, and the routers composed from their declarations.

Order matters: aiogram runs the first handler that matches. The busiest path comes first;
catch-alls (wrong chat, unknown commands, every other group message) come last.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Dispatcher

from bot.features import CommandCatalog, Feature
from bot.filters import HasSender
from bot.middlewares import TrackAuthorMiddleware
from handlers import errors, wrong_chat
from handlers.analytics import stats
from handlers.campaigns import campaigns
from handlers.community import export, group_lifecycle, help, settings
from handlers.dashboard import command as dashboard
from handlers.engagement import activity, admin_points, checkin, leaderboard, profile
from handlers.feedback import inbox as feedback_inbox
from handlers.feedback import polls, surveys
from handlers.growth import growth
from handlers.numbers import goals, reports
from handlers.prediction import atrisk
from handlers.schedule import birthday, feeds, greeting, posts, welcome
from handlers.segments import segments
from handlers.shop import shop


def features() -> list[Feature]:
    return [
        checkin.feature(),  # /checkin, 签到, 打卡 (first: the busiest path)
        group_lifecycle.feature(),  # bot added/removed, joins and leaves
        shop.feature(),  # /shop, /redeem, rewards (before help: /start <claim link>)
        help.feature(),  # /start, /help
        profile.feature(),  # /me
        leaderboard.feature(),  # /top
        admin_points.feature(),  # /grant, /deduct (admins)
        settings.feature(),  # /settings (admins)
        export.feature(),  # /export (admins)
        stats.feature(),  # /stats (admins); reactions and what other use cases did, recorded
        reports.feature(),  # /retention, /funnel, /compare (admins)
        feedback_inbox.feature(),  # /feedback, /inbox; texts of its flows (before activity)
        surveys.feature(),  # /survey nps|csat|results|close (admins), answer buttons
        polls.feature(),  # /poll (admins): native polls, votes from poll_answer
        activity.feature(),  # every other group message: tracking and activity points (last)
        # Scheduled posts (admins). After activity only so its settings show last: activity's
        # router is a fallback, attached after every feature's routers anyway.
        posts.feature(),  # /schedule, /posts, /unschedule
        welcome.feature(),  # /welcome, and greeting members who join
        greeting.feature(),  # /greeting morning 07:30 …
        birthday.feature(),  # /birthday MM-DD (private)
        feeds.feature(),  # /feed add|list|remove (admins): RSS/Atom/JSON Feed items posted
        growth.feature(),  # /invite, /onboarding: referral links, join requests' questionnaire
        segments.feature(),  # /tag, /untag, /tags, /segments, /whois (admins); the daily run
        atrisk.feature(),  # /atrisk (admins), /whois risk from the model; the daily run
        goals.feature(),  # /goal (admins); the weekly report (the leader, after segments)
        campaigns.feature(),  # /campaign, /campaigns (admins), /unsubscribe: private campaigns
        dashboard.feature(),  # /dashboard (private): the Mini App's buttons, one per group
    ]


def register_routers(dispatcher: Dispatcher, features: Sequence[Feature]) -> CommandCatalog:
    """Feature routers hang directly off the dispatcher: every level adds cost to each update."""
    catalog = CommandCatalog(features)
    errors.register(dispatcher)  # domain errors become friendly replies, the rest are logged
    dispatcher.message.filter(HasSender())  # checked once, before any feature's router
    for feature in features:
        for router in feature.routers():
            if feature.tracks_authors and feature.commands:
                router.message.middleware(TrackAuthorMiddleware())
            dispatcher.include_router(router)
    dispatcher.include_router(wrong_chat.router(catalog))
    for feature in features:
        for router in feature.fallback_routers():
            dispatcher.include_router(router)
    return catalog
