cmd-atrisk = Valuable members likely to go quiet
example-atrisk = /atrisk 20
help-atrisk = [N] — the N (10; at most 50) core and regular members least likely to be active in the next 7 days, why, and how well the model is measured to predict

atrisk-title = ⚠️ <b>At risk · { $title }</b>
atrisk-intro-model = Core and regular members least likely to be active in the next 7 days (the model, as of { $date }):
atrisk-intro-baseline = Core and regular members ranked by days since their last activity (the baseline, as of { $date }):
atrisk-none = No core or regular member is scored at risk right now.
atrisk-none-scored = No scores yet: the bot scores members once a day, after its first look at the group's history.
atrisk-chance = { $percent }% likely active
atrisk-no-chance = no probability yet
atrisk-bad-limit = How many? A number from 1 to { $most }, e.g. /atrisk 20
atrisk-no-groups = You administer no group I know. Use /atrisk in your group.
atrisk-choose-group = Which group?
atrisk-quality = 📏 Measured on the latest { $weeks } weeks held out ({ $rows } member-weeks): AUC { $auc } (baseline { $auc_baseline }), Brier { $brier } (baseline { $brier_baseline }).
atrisk-verdict-model = The model ranks better than days since last activity, so it ranks this list.
atrisk-verdict-baseline = The model did not rank better than days since last activity, so the list is ranked by that baseline.
atrisk-pooled = Learned from every group's history together (this group's alone is too small).
atrisk-quality-short = 📏 Not enough history yet to measure a model honestly (it needs a few weeks of activity): the list is ranked by days since last activity.
atrisk-quality-none = 📏 No model trained yet: the first training runs after a full week of recorded activity.

predict-whois = ⚠️ Chance active in the next 7 days: { $percent }% ({ $source }, { $date }) — { $reasons }
predict-whois-plain = ⚠️ Chance active in the next 7 days: { $percent }% ({ $source }, { $date })
predict-source-model = model
predict-source-baseline = by days since last activity

predict-reason-quiet = no activity for { $days } days
predict-reason-streak-broken = a streak of { $streak } broke { $days ->
        [1] yesterday
       *[other] { $days } days ago
    }
predict-reason-no-checkin = no check-in for { $days } days
predict-reason-fading = active { $before } → { $now } days a week
predict-reason-new = joined { $days ->
        [0] today
        [1] yesterday
       *[other] { $days } days ago
    }
predict-reason-streak = on a { $days }-day check-in streak
predict-reason-growing = active { $before } → { $now } days a week
predict-reason-steady = active { $days } of the last 7 days
predict-reason-habit = comes on the same { $days } weekdays every week
